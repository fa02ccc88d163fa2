package dev.kiebot.telegram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Virtual time: sleeping advances the clock instantly and is recorded. */
final class FakeTicker implements OutboundLimiter.Ticker {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Duration> sleeps = new ArrayList<>();

    @Override
    public long nanos() {
        return now.get();
    }

    @Override
    public synchronized void sleepNanos(long nanos) {
        if (nanos > 0) {
            sleeps.add(Duration.ofNanos(nanos));
            now.addAndGet(nanos);
        }
    }

    void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    Duration elapsedSince(long start) {
        return Duration.ofNanos(now.get() - start);
    }
}
