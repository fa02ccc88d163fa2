package dev.kiebot.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand, in UTC. Thread-safe. */
public final class MutableClock extends Clock {
    private volatile Instant now;

    /**
     * A clock standing at {@code start} until moved.
     *
     * @param start its first instant
     */
    public MutableClock(Instant start) {
        this.now = start;
    }

    /**
     * A clock standing at {@code iso} (e.g. {@code 2026-11-21T10:00:00Z}) until moved.
     *
     * @param iso an instant as {@link Instant#parse} reads it
     * @return the clock
     */
    public static MutableClock at(String iso) {
        return new MutableClock(Instant.parse(iso));
    }

    /**
     * Moves the clock forward by {@code d}: holds, deadlines and leases fall due as they would.
     *
     * @param d how far; a negative one moves it back
     */
    public synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    /**
     * Sets the clock to {@code instant}, also backwards.
     *
     * @param instant what it reads from now on
     */
    public void set(Instant instant) {
        now = instant;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
