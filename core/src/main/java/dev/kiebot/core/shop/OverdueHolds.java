package dev.kiebot.core.shop;

import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.Transfer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The holds the sweep of expired holds ({@link JobWorker#sweepExpiredHolds}) leaves past their deadline. A sweep
 * skips a due hold it cannot lock now (kiebot's PostgreSQL ledger: another transaction holds its expiry's lock or its
 * row) and takes it at a later sweep; one left at every sweep — a session left open on it, an operator's
 * {@code SELECT … FOR UPDATE} in a SQL console, a bug in a store's {@code expire} — keeps its user's money held, and
 * nothing else says so. Where to find that session is the store's to say ({@link Ledger#stuckHoldHint}, said
 * after the WARNING's cause): core names no database. Read once after each sweep ({@link Ledger#oldestDueHold}, one
 * indexed row in a store that overrides it), never otherwise: an idle shop stays idle.
 *
 * <p>A hold overdue longer than {@link #WARN_AFTER} is told by one WARNING through {@link System.Logger} (this class's
 * name), naming it, why the sweep may have left it and what to look at; once no hold has been overdue that long, an
 * INFO says so, and a hold stuck later is told again: as {@link ClockSkew} tells its clocks parting, each instance for
 * itself. {@link #oldestPastDeadline} is the figure for a gauge (kiebot's runners:
 * {@code kiebot_ledger_overdue_hold_age_seconds}).
 */
public final class OverdueHolds {
    /** Overdue this long, a hold is stuck, not late: ten sweeps ({@link Upkeep#EXPIRIES_EVERY}) left it. */
    public static final Duration WARN_AFTER = Duration.ofMinutes(10);

    private static final System.Logger LOG = System.getLogger(OverdueHolds.class.getName());

    /**
     * What the last sweep's read left.
     *
     * @param read           whether it answered
     * @param oldestDeadline the deadline of the oldest hold past it; empty with none (or unread)
     */
    private record Seen(boolean read, Optional<Instant> oldestDeadline) {
    }

    private final Ledger ledger;
    /** Before the first sweep: none seen, as an idle shop's. */
    private volatile Seen seen = new Seen(true, Optional.empty());
    /** A WARNING was said and no all-clear since. Guarded by this. */
    private boolean told;

    OverdueHolds(Ledger ledger) {
        this.ledger = ledger;
    }

    /**
     * How long the oldest hold past its deadline, as the last sweep left it, has been past it at {@code at}: it grows
     * with the clock between sweeps.
     *
     * @param at the instant asked of (a gauge's: the shop's clock now)
     * @return zero when the last sweep left none due (also before the first sweep); empty when its read of the ledger
     *         failed (the store not answering), which a gauge shows as unknown, not as none
     */
    public Optional<Duration> oldestPastDeadline(Instant at) {
        Seen last = seen;
        if (!last.read()) {
            return Optional.empty();
        }
        return Optional.of(last.oldestDeadline().map(deadline -> Duration.between(deadline, at))
                .filter(d -> !d.isNegative()).orElse(Duration.ZERO));
    }

    /**
     * After a sweep: reads the oldest due hold once, and tells what changed. Never throws: the sweep's expired holds'
     * jobs must still be failed by the caller.
     *
     * @param now     the sweep's instant
     * @param expired how many holds the sweep expired
     * @param limit   the most it could ({@code limit} of {@link Ledger#expire})
     */
    synchronized void afterSweep(Instant now, int expired, int limit) {
        Optional<Transfer> oldest;
        try {
            oldest = ledger.oldestDueHold(now);
        } catch (RuntimeException e) {
            // the store's trouble is told by the sweep's own failures and the store's errors
            seen = new Seen(false, Optional.empty());
            LOG.log(System.Logger.Level.DEBUG, "the oldest hold past its deadline not read: {0}", e.toString());
            return;
        }
        seen = new Seen(true, oldest.map(t -> deadline(t, now)));
        Optional<Transfer> stuck = oldest.filter(t -> Duration.between(deadline(t, now), now)
                .compareTo(WARN_AFTER) > 0);
        if (stuck.isPresent() && !told) {
            told = true;
            Transfer hold = stuck.get();
            // every argument a string: MessageFormat would group a number's digits by the machine's locale
            LOG.log(System.Logger.Level.WARNING, "hold {0} has been past its deadline for {1} min and the sweep of "
                            + "expired holds has not taken it; its user''s money stays held meanwhile. {2} No other "
                            + "line until no hold is overdue that long", hold.id(),
                    String.valueOf(Duration.between(deadline(hold, now), now).toMinutes()), cause(expired, limit));
        } else if (stuck.isEmpty() && told) {
            told = false;
            LOG.log(System.Logger.Level.INFO, "no hold is past its deadline longer than {0} min any more",
                    String.valueOf(WARN_AFTER.toMinutes()));
        }
    }

    /**
     * Why the sweep left it, as far as its result tells: one that took fewer holds than it could had room for this
     * one and skipped it; one that took a full batch may simply have had more due than it takes. Where to look is the
     * store's to say ({@link Ledger#stuckHoldHint}): core knows no database.
     */
    private String cause(int expired, int limit) {
        // an argument of the line, not its pattern: a quote is one quote here
        String locked = "a session of the store holds its expiry's lock or its row (a transaction left open, a lock "
                + "taken by hand in the database's console), or the store's expire skips it (a bug)";
        String cause;
        if (expired < limit) {
            cause = "The sweep had room (it expired " + expired + " of at most " + limit + ") and left it: " + locked
                    + ".";
        } else {
            cause = "The sweep expired a full batch (" + limit + ", earliest deadline first): either more holds are "
                    + "due than a sweep takes, and the next sweeps take them " + limit + " at a time (nothing to do), "
                    + "or " + locked + ".";
        }
        return hint().map(h -> cause + " " + h).orElse(cause);
    }

    /** The store's hint, or none: a store's fault must not cost the WARNING it completes. */
    private Optional<String> hint() {
        try {
            return ledger.stuckHoldHint().map(String::strip).filter(h -> !h.isEmpty());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "the ledger's hint for a stuck hold not read: {0}", e.toString());
            return Optional.empty();
        }
    }

    private static Instant deadline(Transfer hold, Instant now) {
        return hold.timeoutAt().orElse(now);
    }
}
