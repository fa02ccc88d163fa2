package dev.kiebot.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResidentPagesTest {

    @Test
    void aPageMappedByTwoMembersCountsOnce() throws Exception {
        Process child = new ProcessBuilder("sleep", "30").start(); // a process whose memory stands still
        try {
            Thread.sleep(200);
            long once = ResidentPages.distinctKb(List.of(child.pid()));
            assumeThat(once).as("pagemap names frames only to root").isPositive();

            long twice = ResidentPages.distinctKb(List.of(child.pid(), child.pid()));

            // every page is mapped twice here: a sum of VmRSS doubles, the distinct pages do not
            assertThat(twice).isEqualTo(once);
            assertThat(once).isLessThanOrEqualTo(vmRssKb(child.pid()));
        } finally {
            child.destroyForcibly().waitFor();
        }
    }

    @Test
    void twoProcessesOfOneBinaryShareItsPages() throws Exception {
        Process a = new ProcessBuilder("sleep", "30").start();
        Process b = new ProcessBuilder("sleep", "30").start();
        try {
            Thread.sleep(200);
            long both = ResidentPages.distinctKb(List.of(a.pid(), b.pid()));
            assumeThat(both).as("pagemap names frames only to root").isPositive();

            assertThat(both).isLessThan(vmRssKb(a.pid()) + vmRssKb(b.pid()));
        } finally {
            a.destroyForcibly().waitFor();
            b.destroyForcibly().waitFor();
        }
    }

    private static long vmRssKb(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
                .findFirst().orElseThrow();
    }
}
