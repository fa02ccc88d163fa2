package dev.kiebot.testing;

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
    /** Counts for the JVM's whole life, in sleeps of 10 ms: for waits of seconds ({@link Patience}). */
    private static final JvmStalls ALWAYS = start(10);

    private final AtomicLong stalledNanos = new AtomicLong();
    private final Thread sampler;
    private final long sleepMillis;

    private JvmStalls(long sleepMillis) {
        this.sleepMillis = sleepMillis;
        sampler = new Thread(this::sample, "jvm-stalls");
        sampler.setDaemon(true);
    }

    /** Starts counting, in sleeps of a millisecond: for a step of a few seconds. */
    public static JvmStalls count() {
        return start(1);
    }

    private static JvmStalls start(long sleepMillis) {
        JvmStalls stalls = new JvmStalls(sleepMillis);
        stalls.sampler.start();
        return stalls;
    }

    /** The JVM's stalls from now on: {@code since(mark())} is what it was kept from running since. */
    static long mark() {
        return ALWAYS.stalledNanos.get();
    }

    /** The stalls counted by the JVM-wide count since {@code mark}. */
    static Duration since(long mark) {
        return Duration.ofNanos(ALWAYS.stalledNanos.get() - mark);
    }

    private void sample() {
        long last = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long overrun = now - last - sleepMillis * 1_000_000;
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
    public void close() {
        sampler.interrupt();
        try {
            sampler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
