package dev.kiebot.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock tests move by hand, in UTC. Thread-safe: {@link #advance} and {@link #set} take turns, so neither is lost.
 * {@link #withZone} gives a view of it in another zone, which moves with it.
 */
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
    public synchronized void set(Instant instant) {
        now = instant;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /**
     * This clock seen in {@code zone}: the same instant, moving as this one is moved ({@code Clock}'s contract; the
     * zone was ignored, so a {@code LocalDate.now(clock.withZone(berlin))} read UTC's day).
     *
     * @param zone the zone its dates and times are read in
     * @return this clock for UTC, else a view of it in {@code zone}
     */
    @Override
    public Clock withZone(ZoneId zone) {
        return zone.equals(getZone()) ? this : new Zoned(this, zone);
    }

    @Override
    public Instant instant() {
        return now;
    }

    /** A {@link MutableClock} read in another zone. */
    private static final class Zoned extends Clock {
        private final MutableClock source;
        private final ZoneId zone;

        Zoned(MutableClock source, ZoneId zone) {
            this.source = source;
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId other) {
            return source.withZone(other);
        }

        @Override
        public Instant instant() {
            return source.instant();
        }
    }
}
