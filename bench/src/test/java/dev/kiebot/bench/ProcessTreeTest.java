package dev.kiebot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessTreeTest {

    @Test
    void parsesStatLinesWhoseCommandNameHasSpacesAndParentheses() {
        String line = "4242 (postgres: x (y)) S 1 4242 4242 0 -1 4194560 300 0 0 0 120 30 7 3 20 0 1 0 500 "
                + "180000000 6000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

        ProcessTree.Stat s = ProcessTree.parseStat(4242, line);

        assertThat(s.ppid()).isEqualTo(1);
        assertThat(s.ownTicks()).isEqualTo(120 + 30);
        assertThat(s.cpuTicks()).isEqualTo(120 + 30 + 7 + 3);
    }

    @Test
    void findsAChildAndItsDescendantsButNotTheBenchmarkItself() throws Exception {
        Process child = new ProcessBuilder("sh", "-c", "sleep 30 & wait").start();
        try {
            ProcessTree tree = new ProcessTree(child.pid(), "no-such-marker-" + System.nanoTime());
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (tree.pids().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }

            assertThat(tree.pids()).contains(child.pid()).hasSize(2)
                    .doesNotContain(ProcessHandle.current().pid());
            assertThat(tree.sample(false).rssKb()).isPositive();
        } finally {
            child.descendants().forEach(ProcessHandle::destroyForcibly);
            child.destroyForcibly().waitFor();
        }
    }
}
