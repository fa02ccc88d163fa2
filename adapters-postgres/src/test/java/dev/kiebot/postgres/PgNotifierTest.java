package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.postgres.testing.TwoInstances;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Signals from many threads become at most as many NOTIFYs (usually far fewer), and none is lost: after the last
 * signal returns, a notification sent after it still reaches the other instance.
 */
class PgNotifierTest extends TwoInstances {
    private static final String CHANNEL = "kiebot_test_notifier";
    private static final int THREADS = 8;
    private static final int SIGNALS = 200;

    @Test
    void manySignalsAreCoalescedAndTheLastIsNeverLost() throws Exception {
        AtomicInteger heard = new AtomicInteger();
        try (PgNotifications listening = PgNotifications.start(instanceB, List.of(CHANNEL))) {
            assertThat(listening.awaitListening(Duration.ofSeconds(10))).isTrue();
            PgNotifier notifier = new PgNotifier(instanceA.jdbi(), CHANNEL);
            listening.on(CHANNEL, heard::incrementAndGet);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < SIGNALS; i++) {
                        notifier.now();
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            int settled = settle(heard);
            assertThat(settled).isBetween(1, THREADS * SIGNALS);

            notifier.now();
            assertThat(awaitAbove(heard, settled)).as("a signal after the others is heard").isTrue();
        }
    }

    /** @return the count once it stopped moving for half a second */
    private static int settle(AtomicInteger count) throws InterruptedException {
        int last = -1;
        while (last != count.get()) {
            last = count.get();
            Thread.sleep(500);
        }
        return last;
    }

    private static boolean awaitAbove(AtomicInteger count, int floor) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (count.get() > floor) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }
}
