package dev.kiebot.examples.console;

import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.core.shop.ConnectionLoss;
import dev.kiebot.core.shop.Contention;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.Transactions;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The way in for updates, to copy as it is: each update id is recorded once before it is handled, so a platform's
 * re-delivery (Telegram sends an update again when it missed the answer to a webhook call, or polling did not confirm
 * its offset) is dropped instead of being handled a second time. {@code Storefront.serve} would handle it twice: it
 * handles whatever it is given.
 *
 * <p>The record is core's {@link ProcessedUpdates}, one of the shop's stores: in PostgreSQL here (adapters-postgres'
 * {@code PgProcessedUpdates}), in your database if you write the stores, proved by core-testing's
 * {@code QueuesContract}. Never in memory: after a restart a re-delivery would be new again. kiebot's runtime does the
 * same in {@code UpdateInbox} (the door) and {@code UpdateDispatcher} (the handlers).
 *
 * <p>Watch it from your metrics: {@code ProcessedUpdates.oldestPending()} says when the oldest update not handled yet
 * came in (kiebot's gauge {@code kiebot_inbox_oldest_pending_seconds}); one that grows is an inbox stuck behind an
 * update that keeps failing, or handler threads that stopped.
 */
final class Intake {
    private static final System.Logger LOG = System.getLogger(Intake.class.getName());
    /**
     * Claims of an update whose transaction met a deadlock (or a serialization failure) past its own retries each
     * time, before it is given up: another transaction's timing, so the next claim usually goes through; one that
     * always meets it would otherwise hold its chat for good. kiebot's runtime: the same.
     */
    static final int CONTENDED_TRIES_MAX = 10;
    /**
     * Calls that throw an {@code Error} (not an exception) on the same update before it is given up. Thrown on, as it
     * may be the process's (memory short for a moment), not the update's; one that comes back on the same update is
     * the update's (a library that throws {@code InternalError} on this update's data), and thrown on for ever it
     * stayed first in the inbox and failed every later handleWaiting. kiebot's runtime: the same.
     */
    static final int ERROR_TRIES_MAX = 3;
    /** Update id → failed tries in a row; a few entries at most (forgotten past this many). */
    private static final int TRACKED_MAX = 256;

    private final Shop shop;
    private final ProcessedUpdates updates;
    private final Transactions transactions;
    private final Function<PendingUpdate, Optional<Incoming>> translate;
    private final Clock clock;
    /** In this process only: after a restart an update is tried the full count again. */
    private final Map<Long, Integer> triesByUpdate = new ConcurrentHashMap<>();

    /**
     * @param translate your platform's update (as recorded) in core's terms; empty for one the shop has nothing to do
     *                  with, which is then marked done
     */
    Intake(Shop shop, Function<PendingUpdate, Optional<Incoming>> translate, Clock clock) {
        this.shop = shop;
        this.updates = shop.stores().processedUpdates();
        this.transactions = shop.stores().transactions();
        this.translate = translate;
        this.clock = clock;
    }

    /**
     * The platform's door (webhook or long polling): keeps the update durably. Answer the platform only after this
     * returns (Telegram: the webhook's 200, the next poll's offset), so that an update not kept comes again.
     *
     * @return false for an update id recorded before: a re-delivery, to drop
     */
    boolean record(long updateId, long chatId, String rawUpdate) {
        return updates.record(updateId, chatId, rawUpdate, clock.instant());
    }

    /**
     * Handles the recorded updates until none is waiting, each in one transaction. The console calls it right after
     * recording; a real door only records and wakes a few handler threads that run this: {@code claimNext} gives
     * each thread another chat, and a chat's updates one at a time, in order.
     *
     * @return how many were handled
     * @throws RuntimeException when the database cannot be reached or its connection was lost, or the update's
     *                          transaction kept meeting a deadlock ({@link Contention}, up to
     *                          {@link #CONTENDED_TRIES_MAX} times): the update in hand stays pending, for the next
     *                          call (your handler threads: after a pause)
     * @throws Error            what handling the update threw, other than a {@code StackOverflowError}: it stays
     *                          pending, for the next call, up to {@link #ERROR_TRIES_MAX} times; a handler thread of
     *                          yours catches it too, or it dies with it
     */
    int handleWaiting() {
        int handled = 0;
        while (handleOne()) {
            handled++;
        }
        return handled;
    }

    /**
     * One update, all-or-nothing: claimed, handled and marked done in ONE transaction; a failure of the handling is
     * answered with an apology and the update marked done (a {@code StackOverflowError} too: the update's, as kiebot's
     * runtime takes it; other {@code Error}s are thrown on, the update left pending, {@link #ERROR_TRIES_MAX} times on
     * the same update, then given up as well), unless the database connection was lost
     * ({@link ConnectionLoss}) or its transaction kept meeting a deadlock ({@link Contention}, a bounded number of
     * times): then it throws, and the update stays pending for a later try.
     *
     * @return false if none was waiting
     */
    private boolean handleOne() {
        AtomicReference<PendingUpdate> claimed = new AtomicReference<>(); // the update, for the apology below
        try {
            // claimNext holds the update's chat until the commit (or the rollback)
            return transactions.inOne(() -> updates.claimNext().map(u -> {
                claimed.set(u);
                translate.apply(u).ifPresent(shop.storefront()::handle);
                updates.done(u.updateId(), clock.instant()); // commits with the handling, or neither does
                return true;
            }).orElse(false));
        } catch (RuntimeException | StackOverflowError e) {
            // a stack overflow is this update's (too deep to handle), not the process's: given up like a bug's
            // exception, or, rolled back, it would stay first in its chat for good and fail every start's handleWaiting
            PendingUpdate u = claimed.get();
            if (u == null) {
                throw e; // before any claim (the database away, say): nothing changed, try again later
            }
            if (ConnectionLoss.in(e)) {
                // rolled back with the session, the update still pending: handled again, from the same state, once the
                // database answers. An apology would give it up: a Stars payment's would be kept as not credited,
                // waiting for an admin's refund, for a pool's timeout
                throw e;
            }
            if (Contention.in(e) && leftForLater(u.updateId(), CONTENDED_TRIES_MAX)) {
                // a deadlock past the transaction's own retries: another transaction's timing, not the update's fault,
                // so the next claim handles it (an apology would keep a Stars payment not credited); bounded, so one
                // that always meets it does not hold its chat for good
                throw e;
            }
            LOG.log(System.Logger.Level.ERROR, "upd_" + u.updateId() + ": handling failed; rolled back", e);
            apologize(u);
            return true;
        } catch (Error e) {
            PendingUpdate u = claimed.get();
            if (u == null || leftForLater(u.updateId(), ERROR_TRIES_MAX)) {
                throw e; // maybe the process's: the update stays pending, for the next call
            }
            LOG.log(System.Logger.Level.ERROR, "upd_" + u.updateId() + ": handling threw an Error "
                    + (ERROR_TRIES_MAX + 1) + " times in a row; rolled back, given up", e);
            apologize(u);
            return true;
        }
    }

    /**
     * Counts a failed try of the update. @return true while it has failed {@code triesMax} times or fewer: left
     * pending for a later try; false past that, to be given up
     */
    private boolean leftForLater(long updateId, int triesMax) {
        if (triesByUpdate.size() > TRACKED_MAX) {
            triesByUpdate.clear();
        }
        int inARow = triesByUpdate.merge(updateId, 1, Integer::sum);
        if (inARow <= triesMax) {
            LOG.log(System.Logger.Level.WARNING, "upd_" + updateId + ": handling failed; rolled back, to be tried "
                    + "again (" + inARow + " of " + triesMax + ")");
            return true;
        }
        triesByUpdate.remove(updateId);
        return false;
    }

    /**
     * The handling was rolled back: answer the update with an apology and mark it done, in a transaction of their own,
     * or the chat stays stuck behind it. The rollback freed its chat, so another handler may have claimed it meanwhile:
     * {@code reclaim} waits for that one, and is empty when it handled the update (or apologized) already, so the user
     * gets one answer. When the database itself is away this throws too and the update waits, for a later try.
     */
    private void apologize(PendingUpdate failed) {
        transactions.inOne(() -> updates.reclaim(failed.updateId()).map(still -> {
            translate.apply(still).ifPresent(shop.storefront()::apologize);
            updates.done(still.updateId(), clock.instant());
            return true;
        }));
    }
}
