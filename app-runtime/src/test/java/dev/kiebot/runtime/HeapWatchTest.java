package dev.kiebot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.runtime.testing.LogCapture;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
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

    @Test
    void aSurvivorSpaceFullAfterAYoungCollectionIsNotWarnedOfTheOldGenerationIs() {
        // SerialGC's pools as the JVM describes them (the tests' JVM may run another collector): the chaos runs'
        // restarted bots said "the heap is 100 % full (Survivor Space: 8 MiB of 8 MiB)" with most of -Xmx free
        MemoryPoolMXBean eden = pool("Eden Space", 34 << 20, false);
        MemoryPoolMXBean survivor = pool("Survivor Space", 8 << 20, false);
        MemoryPoolMXBean tenured = pool("Tenured Gen", 86 << 20, true);
        try (HeapWatch watch = HeapWatch.start(0.85, List.of(eden, survivor, tenured))) {
            assertThat(watch.pools()).containsExactly("Tenured Gen");
        }
    }

    /** A heap pool with a maximum that tells a collection usage threshold crossed, and a usage one if it is old. */
    private static MemoryPoolMXBean pool(String name, long maxBytes, boolean old) {
        Map<String, Object> answers = Map.of("getName", name, "getType", MemoryType.HEAP,
                "getUsage", new MemoryUsage(0, maxBytes / 2, maxBytes, maxBytes), "getCollectionUsageThreshold", 0L,
                "isCollectionUsageThresholdSupported", true, "isUsageThresholdSupported", old);
        return (MemoryPoolMXBean) Proxy.newProxyInstance(HeapWatchTest.class.getClassLoader(),
                new Class<?>[] {MemoryPoolMXBean.class}, (proxy, method, args) -> {
                    if (method.getName().equals("setCollectionUsageThreshold")) {
                        return null;
                    }
                    if (method.getName().equals("hashCode")) {
                        return System.identityHashCode(proxy);
                    }
                    if (method.getName().equals("equals")) {
                        return proxy == args[0];
                    }
                    if (!answers.containsKey(method.getName())) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return answers.get(method.getName());
                });
    }
}
