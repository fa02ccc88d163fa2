package dev.kiebot.runtime.metrics;

import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.Transfer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kiebot_ledger_overdue_hold_age_seconds}: how long the oldest hold past its deadline has been left open (0
 * with none). The sweep of expired holds (every minute) skips a due hold whose expiry lock or row another transaction
 * holds (V50: it waits for neither) and takes it at a later sweep; one skipped at every sweep — a session left open
 * on it, an operator's {@code SELECT … FOR UPDATE} in psql, a bug — keeps its user's money held, and nothing else
 * says so. Read once after each sweep ({@link Ledger#oldestDueHold}, one indexed row), never at a scrape: an idle bot
 * stays idle; between sweeps the age grows with the clock. NaN when that read failed.
 *
 * <p>A hold overdue longer than {@link #WARN_AFTER} is told by one WARN naming it and what to look at, and again
 * only once no hold has been overdue that long (an INFO says so).
 */
final class OverdueHolds extends ForwardingLedger {
    /** Overdue this long, a hold is stuck, not late: ten sweeps left it. */
    static final Duration WARN_AFTER = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(OverdueHolds.class);

    private final Clock clock;
    /** The oldest due hold's deadline as the last sweep left it; empty: none. */
    private volatile Optional<Instant> oldestDeadline = Optional.empty();
    /** The last sweep's read of it failed: the gauge is NaN, as others are when the database does not answer. */
    private volatile boolean unread;
    private boolean told;

    OverdueHolds(Ledger real, MeterRegistry registry, Clock clock) {
        super(real);
        this.clock = clock;
        Gauge.builder("kiebot.ledger.overdue.hold.age.seconds", this, OverdueHolds::ageSeconds)
                .description("how long the oldest hold past its deadline has been left open by the sweep")
                .baseUnit("seconds")
                .register(registry);
    }

    @Override
    public List<String> expire(Instant now, int limit) {
        List<String> expired = real.expire(now, limit);
        look(now);
        return expired;
    }

    double ageSeconds() {
        if (unread) {
            return Double.NaN;
        }
        return oldestDeadline.map(at -> Math.max(0, Duration.between(at, clock.instant()).toMillis() / 1000.0)).orElse(0.0);
    }

    private synchronized void look(Instant now) {
        Optional<Transfer> oldest;
        try {
            oldest = real.oldestDueHold(now);
        } catch (RuntimeException e) {
            // the sweep's own work is done: its expired holds' jobs must still be failed by the caller
            unread = true;
            LOG.debug("the oldest hold past its deadline not read: {}", e.toString());
            return;
        }
        oldestDeadline = oldest.map(t -> t.timeoutAt().orElse(now));
        unread = false;
        Optional<Transfer> stuck = oldest.filter(t -> overdue(t, now).compareTo(WARN_AFTER) > 0);
        if (stuck.isPresent() && !told) {
            told = true;
            Transfer hold = stuck.get();
            LOG.warn("hold {} has been past its deadline for {} min and the sweep of expired holds has not "
                            + "taken it: a session holds its expiry lock or its row (an open transaction, a "
                            + "SELECT ... FOR UPDATE left in psql), or more holds are due than a sweep takes; its "
                            + "user's money stays held meanwhile. Look in pg_stat_activity (state 'idle in "
                            + "transaction', its xact_start) and pg_locks (locktype advisory or the row of "
                            + "ledger_open_holds) for the session, and end it; "
                            + "kiebot_ledger_overdue_hold_age_seconds shows it, no other line until none is overdue "
                            + "that long",
                    hold.id(), overdue(hold, now).toMinutes());
        } else if (stuck.isEmpty() && told) {
            told = false;
            LOG.info("no hold is past its deadline longer than {} min any more", WARN_AFTER.toMinutes());
        }
    }

    private static Duration overdue(Transfer hold, Instant now) {
        return Duration.between(hold.timeoutAt().orElse(now), now);
    }
}
