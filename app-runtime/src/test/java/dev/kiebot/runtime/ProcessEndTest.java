package dev.kiebot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.testing.ShippedClassPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a child JVM, as a runner's main uses it: a failure closes the runner and exits with its status (a supervisor
 * restarting failed processes must see one; the shutdown hook used to halt with 0 whatever the status), SIGTERM
 * closes it and exits 0.
 */
class ProcessEndTest {
    private static final long WAIT_SECONDS = 60;

    /** The child: a "runner" that says when it is closed, then either fails with status 4 or waits for SIGTERM. */
    public static final class Child {
        public static void main(String[] args) throws InterruptedException {
            ProcessEnd.closeOnExit(() -> System.out.println("runner closed"));
            System.out.println("running");
            System.out.flush();
            if (args[0].equals("fail")) {
                ProcessEnd.fail(4, "a condition it cannot leave");
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }
    }

    @Test
    void aFailureClosesTheRunnerAndExitsWithItsStatus(@TempDir Path tmp) throws Exception {
        Process child = child("fail", tmp.resolve("out.txt"));
        assertThat(child.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isEqualTo(4);
        String log = Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8);
        assertThat(log.indexOf("stopping (exit status 4)")).as(log).isNotNegative()
                .isLessThan(log.indexOf("runner closed"));
    }

    @Test
    void sigtermClosesTheRunnerAndExitsZero(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out.txt");
        Process child = child("wait", out);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!Files.readString(out, StandardCharsets.UTF_8).contains("running") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        child.destroy();
        assertThat(child.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("0, not 143").isZero();
        String log = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(log).contains("runner closed");
        // the stop says so before its waits: half a minute of silence read as a hang
        assertThat(log.indexOf("stopping (SIGTERM or Ctrl-C)")).as(log).isNotNegative()
                .isLessThan(log.indexOf("runner closed"));
    }

    /** A child that runs out of heap: kept apart from {@link Child} so the other two never carry the flag. */
    public static final class OutOfHeap {
        public static void main(String[] args) {
            java.util.List<long[]> kept = new java.util.ArrayList<>();
            while (true) {
                kept.add(new long[1 << 20]);
            }
        }
    }

    /**
     * The JVM's status out of heap (-XX:+ExitOnOutOfMemoryError) is taken by none of ours: the webhook runner's
     * REQUIRE_WEBHOOK_REGISTERED exited with that same 3, and an operator could not tell the two apart.
     */
    @Test
    void everyStatusOfOursDiffersFromTheJvmsOutOfHeap(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out.txt");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-XX:+ExitOnOutOfMemoryError", "-cp", ShippedClassPath.of(),
                OutOfHeap.class.getName()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(child.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isEqualTo(ProcessEnd.OUT_OF_HEAP);
        assertThat(java.util.List.of(StartFailure.STATUS, ProcessEnd.DATABASE_LEFT_DOWN,
                ProcessEnd.WEBHOOK_NOT_REGISTERED, ProcessEnd.WEBHOOK_IS_SET,
                ProcessEnd.SCHEMA_NEWER_THAN_BUILD)).doesNotHaveDuplicates().doesNotContain(ProcessEnd.OUT_OF_HEAP);
    }

    private static Process child(String mode, Path out) throws Exception {
        Files.writeString(out, "");
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", ShippedClassPath.of(), Child.class.getName(), mode)
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }
}
