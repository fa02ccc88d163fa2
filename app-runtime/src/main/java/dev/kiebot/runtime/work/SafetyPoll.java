package dev.kiebot.runtime.work;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How long an idle worker sleeps, with no wake-up, before it looks at the database on its own. Work is found by
 * wake-ups (committed here, or announced by another instance's NOTIFY); this poll is only the net under them.
 *
 * @param period the longest sleep of an idle worker
 */
public record SafetyPoll(Duration period) {
    /**
     * Every write wakes this instance's workers in process, and another instance's NOTIFY wakes them too: a NOTIFY
     * sent while the listener was away is made up for by waking everyone when it is back, and a listening connection
     * that died silently is found by its ping within a minute. So the poll only guards against a lost wake-up (a
     * failed NOTIFY, a bug, an operator's psql). Longer than the pool's idle timeout (30 s), so an idle bot's pool
     * shrinks to one connection: with a poll every few seconds each polling thread kept the connection it last used
     * (HikariCP hands a thread its own last connection) and three PostgreSQL backends of 13-17 MB stayed resident.
     */
    public static final SafetyPoll DEFAULT = new SafetyPoll(Duration.ofSeconds(60));

    public SafetyPoll {
        Objects.requireNonNull(period, "period");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("a safety poll must be positive, got " + period);
        }
    }

    /** How long an idle worker sleeps when work falls {@code due}: until just after it, at most the poll. */
    public Duration until(Instant due, Instant now) {
        Duration untilDue = Duration.between(now, due).plusMillis(1);
        return untilDue.compareTo(period) < 0 ? untilDue : period;
    }
}
