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
     * Other instances may write to the database. The listener makes up for what it missed while away (it wakes
     * everyone when it listens again, and its ping finds a connection that died silently), yet 60 s here made one
     * end-to-end run wait more than 20 s for a reply (once in two full suites, not reproduced alone): a wake-up is
     * lost somewhere (not the one fixed since, idle senders ignoring a paced chat's turn while another chat was being
     * sent: the stall came back with that fix in place), and this poll finds the work within a few seconds meanwhile.
     */
    public static final SafetyPoll SHARED_DATABASE = new SafetyPoll(Duration.ofSeconds(5));
    /**
     * On its own embedded database every write is this instance's, and each wakes its workers in process: the
     * poll only guards against a lost wake-up (a bug, an operator's psql). Longer than the pool's idle timeout
     * (30 s), so an idle bot's pool shrinks to one connection: with a poll every few seconds each polling thread
     * kept the connection it last used (HikariCP hands a thread its own last connection) and three PostgreSQL
     * backends of 13-17 MB stayed resident.
     */
    public static final SafetyPoll OWN_DATABASE = new SafetyPoll(Duration.ofSeconds(60));

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

    /** The same, for work due in {@code untilDue}. */
    public Duration until(Duration untilDue) {
        Duration wait = untilDue.plusMillis(1);
        return wait.compareTo(period) < 0 ? wait : period;
    }

    /** The poll for a database other instances may share, or one this instance owns. */
    public static SafetyPoll forDatabase(boolean shared) {
        return shared ? SHARED_DATABASE : OWN_DATABASE;
    }
}
