package dev.kiebot.runtime.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long this JVM was kept from running while a step of a test was timed: a thread asks to sleep a millisecond at a
 * time and counts what each sleep overran (the machine's other processes holding its cores, a GC pause). A bound that
 * is part of the behaviour ("the close takes under ten seconds") is then checked against the time less the stalls:
 * it holds on a loaded two-core box that gave the test no core for seconds, and still sees a wait of the code's own,
 * during which the JVM runs on and nothing is counted.
 */
public final class JvmStalls implements AutoCloseable {
    /** A sleep's overrun the system's timer may add on an idle machine; more is counted whole. */
    private static final long SLACK_NANOS = 2_000_000;

    private final AtomicLong stalledNanos = new AtomicLong();
    private final Thread sampler;

    private JvmStalls() {
        sampler = new Thread(this::sample, "jvm-stalls");
        sampler.setDaemon(true);
    }

    /** Starts counting. */
    public static JvmStalls count() {
        JvmStalls stalls = new JvmStalls();
        stalls.sampler.start();
        return stalls;
    }

    private void sample() {
        long last = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long overrun = now - last - 1_000_000;
            if (overrun > SLACK_NANOS) {
                stalledNanos.addAndGet(overrun);
            }
            last = now;
        }
    }

    /** The stalls counted so far. */
    public Duration stalled() {
        return Duration.ofNanos(stalledNanos.get());
    }

    /** {@code took} less the stalls counted so far (never below zero). */
    public Duration unstalled(Duration took) {
        Duration less = took.minus(stalled());
        return less.isNegative() ? Duration.ZERO : less;
    }

    @Override
    public void close() throws InterruptedException {
        sampler.interrupt();
        sampler.join();
    }
}
