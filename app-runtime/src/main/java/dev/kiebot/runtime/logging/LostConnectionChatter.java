package dev.kiebot.runtime.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.slf4j.Marker;

/**
 * HikariCP's own lines about connections the database dropped, left out of the log. At a database restart, a failover
 * or a killed embedded PostgreSQL, each pooled connection in use wrote a WARN with a stack trace of 20 to 40 lines
 * ({@code Connection … marked as broken because of SQLSTATE(57P01)}), and each idle one {@code Failed to validate
 * connection … Possibly consider using a shorter maxLifetime value}, advice that does not fit a restart: in the polling
 * end-to-end suite's database outages and crashes five such warnings with 145 lines of stack trace, and four of that
 * advice, beside the bot's own one line per loop that says it with the SQLState ({@code taking updates failed (…,
 * SQLState 57P01); retrying until it works}) and the one that says when it works again. Hikari's other warnings (a
 * leak, a dirty commit state on close, a pool that cannot connect) stay, and so does a connection Hikari drops for
 * another SQLState than a lost session's ({@link #LOST_SESSION}): it drops one on {@code 0A000} too, PostgreSQL's
 * "cached plan must not change result type" after a deploy altered a table under an old instance, no lost database.
 *
 * <p>An idle connection that fails its validation is left out only within {@link #STALE_AFTER_LOSS} of a loss the bot
 * reported: the embedded server's unasked exit, which {@code RestartingPostmaster} says at ERROR before starting it
 * again, or a connection in use dropped with a lost session's SQLState, which the bot's loops say with it. Left out
 * always, it hid the only trace of a database that dropped idle sessions while nothing was in use (a managed server's
 * restart, a firewall's idle cut-off), where the advice on maxLifetime may well fit. Such a line kept is itself the
 * loss told: the others of that spell (every idle connection of the pool fails so in turn, a line each) are left out
 * for the same while, and a cut-off that comes back every few minutes is still told, once per {@link
 * #STALE_AFTER_LOSS}.
 */
final class LostConnectionChatter extends TurboFilter {
    /** The loggers and the starts of the two message patterns, as HikariCP 6 writes them. */
    static final List<List<String>> LEFT_OUT = List.of(
            List.of("com.zaxxer.hikari.pool.ProxyConnection", "{} - Connection {} marked as broken because of SQLSTATE("),
            List.of("com.zaxxer.hikari.pool.PoolBase", "{} - Failed to validate connection {} ({})."));
    /** The place of the SQLState among the arguments of the first pattern's line. */
    private static final int SQL_STATE_ARGUMENT = 2;
    /**
     * A session the database dropped: class 08 (connection exception) and 57P01-57P03 (the server shutting down,
     * crashed, or not yet accepting), the states core's {@code ConnectionLoss} waits out as a lost connection.
     */
    private static final Pattern LOST_SESSION = Pattern.compile("08...|57P0[123]");
    /** The embedded server's unasked exit, as {@code RestartingPostmaster} says it (before starting it again). */
    static final List<String> EMBEDDED_EXIT = List.of("dev.kiebot.postgres.RestartingPostmaster",
            "PostgreSQL (pid {}) on {} exited with status {} without being asked to");
    /**
     * How long after a reported loss a connection made before it may still sit in the pool: HikariCP's default
     * maxLifetime, which the bot does not change ({@code Database}), retires every connection by then. Only a JVM's
     * {@code -Dhikaricp.configurationFile} could (HikariCP reads it in every pool's config): a longer maxLifetime
     * there lets a stale connection's line through after this while, a shorter one leaves out the rest of it.
     */
    static final Duration STALE_AFTER_LOSS = Duration.ofMinutes(30);

    private final Clock clock;
    /** When the bot last reported a lost database; {@link Instant#MIN} before any. */
    private final AtomicReference<Instant> lastLoss = new AtomicReference<>(Instant.MIN);

    LostConnectionChatter() {
        this(Clock.systemUTC());
    }

    LostConnectionChatter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        // asked of every logging call, also the disabled ones (Jdbi's TRACE lines at every handle): the lines
        // this filter hears are HikariCP's WARNs and RestartingPostmaster's ERROR, so anything lower is answered at once
        if (format == null || level == null || level.levelInt < Level.WARN_INT) {
            return FilterReply.NEUTRAL;
        }
        if (EMBEDDED_EXIT.get(0).equals(logger.getName()) && format.startsWith(EMBEDDED_EXIT.get(1))) {
            lost();
            return FilterReply.NEUTRAL;
        }
        if (level.isGreaterOrEqual(Level.ERROR)) {
            return FilterReply.NEUTRAL;
        }
        List<String> broken = LEFT_OUT.get(0);
        if (broken.get(0).equals(logger.getName()) && format.startsWith(broken.get(1))) {
            if (!lostSession(params)) {
                return FilterReply.NEUTRAL;
            }
            lost();
            return FilterReply.DENY;
        }
        List<String> notValid = LEFT_OUT.get(1);
        if (notValid.get(0).equals(logger.getName()) && format.startsWith(notValid.get(1))) {
            if (afterReportedLoss()) {
                return FilterReply.DENY;
            }
            lost(); // this line tells it: the pool's other idle connections fail in turn, a line each
            return FilterReply.NEUTRAL;
        }
        return FilterReply.NEUTRAL;
    }

    /** A loss told now; the latest wins whichever thread says it last (logging threads race). */
    private void lost() {
        Instant now = clock.instant();
        lastLoss.accumulateAndGet(now, (was, next) -> next.isAfter(was) ? next : was);
    }

    private boolean afterReportedLoss() {
        Instant loss = lastLoss.get();
        return !loss.equals(Instant.MIN) && !clock.instant().isAfter(loss.plus(STALE_AFTER_LOSS));
    }

    private static boolean lostSession(Object[] params) {
        return params != null && params.length > SQL_STATE_ARGUMENT && params[SQL_STATE_ARGUMENT] instanceof String state
                && LOST_SESSION.matcher(state).matches();
    }
}
