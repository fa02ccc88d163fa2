package dev.kiebot.runtime.loops;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long an idle worker sleeps, with no wake-up, before it looks at the database on its own. Work is found by
 * wake-ups (committed here, or announced by another instance's NOTIFY); this poll is only the net under them.
 *
 * @param period the longest sleep of an idle worker
 */
public record SafetyPoll(Duration period) {
    /**
     * The poll on any database. Work is found by wake-ups: this instance's writes wake its workers in process, and
     * on a shared database the listener hears the other instances (it wakes everyone when it listens again, and its
     * ping finds a connection that died without a word). So the poll only guards against a lost wake-up — a bug, an
     * operator's psql — and it is longer than the pool's idle timeout (30 s), so an idle bot's pool shrinks to one
     * connection: with a poll every few seconds each polling thread kept the connection it last used (HikariCP hands
     * a thread its own last connection) and three PostgreSQL backends of 13-17 MB stayed resident. A shared database
     * kept 5 s while an end-to-end test met a lost wake-up about once in two runs at 60 s; that loss was an idle
     * sender asking "what is due?" and "how long until the next?" at two instants (fixed: one instant for both).
     */
    public static final SafetyPoll DEFAULT = new SafetyPoll(Duration.ofSeconds(60));
    /** How much of a whole rest {@link #spread} may take off: a tenth, 0-6 s of the default poll. */
    static final int SPREAD_PARTS = 10;

    public SafetyPoll {
        Objects.requireNonNull(period, "period");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("a safety poll must be positive, got " + period);
        }
    }

    /** How long an idle worker sleeps when work falls {@code due}: until just after it, at most the poll. */
    public Duration until(Instant due, Instant now) {
        return until(Duration.between(now, due));
    }

    /**
     * A rest of {@code wait}; when it is the whole safety poll, shortened by a random part of up to
     * {@link #SPREAD_PARTS}th of it. The loops of an instance start (and go idle after a burst) together, so
     * without it they polled at one instant every minute (seen with {@code pg_stat_activity}: the job worker, the
     * handlers' and the senders' watches within a millisecond): polls that meet each need a connection at once, and
     * the pool opens a second for the one that finds the first busy — a PostgreSQL backend of 10-15 MB kept for
     * 30-60 s more.
     */
    public Duration spread(Duration wait) {
        if (wait.compareTo(period) < 0) {
            return wait;
        }
        long spreadMillis = period.toMillis() / SPREAD_PARTS;
        return period.minusMillis(spreadMillis == 0 ? 0 : ThreadLocalRandom.current().nextLong(spreadMillis + 1));
    }

    /** The same, for work due in {@code untilDue}. */
    public Duration until(Duration untilDue) {
        Duration wait = untilDue.plusMillis(1);
        return wait.compareTo(period) < 0 ? wait : period;
    }
}
