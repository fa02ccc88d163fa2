package dev.kiebot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.runtime.testing.LogCapture;
import org.junit.jupiter.api.Test;

/**
 * An operator review: nothing said the heap was near -Xmx before -XX:+ExitOnOutOfMemoryError ended the process. A
 * collection that leaves a heap pool past its share is one WARN, from the JVM's own notification.
 */
class HeapWatchTest {
    @Test
    void aHeapStillFullAfterACollectionIsOneWarningNamingTheExitAndTheMetric() throws InterruptedException {
        LogCapture logs = LogCapture.attach();
        // a share every collection leaves crossed: what 85 % of -Xmx is on a full heap
        try (HeapWatch watch = HeapWatch.start(0.000_001)) {
            assertThat(watch.pools()).as("the old generation at least").isNotEmpty();
            for (int i = 0; i < 3_000 && logs.warnings().stream().noneMatch(l -> l.contains("HeapWatch")); i++) {
                if (i % 100 == 0) {
                    System.gc();
                }
                Thread.sleep(10);
            }
        } finally {
            logs.detach();
        }
        assertThat(logs.warnings()).filteredOn(l -> l.contains("HeapWatch")).first().asString()
                .startsWith("WARN ").contains("% full after a collection", "status 3", "-XX:+ExitOnOutOfMemoryError",
                        "jvm_memory_used_bytes");
    }
}
