package dev.kiebot.runtime.intake;

import dev.kiebot.core.audit.Audit;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.intake.FailuresInARow;
import dev.kiebot.core.intake.Inbox;
import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.core.shop.ConnectionLoss;
import dev.kiebot.core.shop.Contention;
import dev.kiebot.core.shop.Transactions;
import dev.kiebot.runtime.loops.DatabaseState;
import dev.kiebot.runtime.loops.Outage;
import dev.kiebot.runtime.loops.SafetyPoll;
import dev.kiebot.runtime.loops.WorkerLoops;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Hands recorded updates to the storefront. Each handler thread claims an update, handles it and marks it done
 * in ONE transaction — the chat's new state, the money, the jobs, the queued replies and the done mark commit
 * together or not at all — so a crash before the commit leaves nothing (the update is handled again from the
 * same state) and a crash after it leaves nothing to redo. The claim is that transaction's hold on the chat,
 * so it dies with its holder. A handler never waits for Telegram: replies are only queued.
 *
 * <p>An update whose handling fails is rolled back and then, in a second transaction, answered with an apology
 * and marked done, so one poison update cannot block its chat. The rollback frees the chat, so between the two
 * another handler (of this instance or another) may claim the same update: the second transaction therefore
 * {@linkplain ProcessedUpdates#reclaim reclaims} it, waiting for that handler, and apologizes only if the update is
 * still not done. The user gets one answer: the other handler's result, or one apology when both failed. If the
 * database itself is away (or its connection is lost mid-handling), nothing is marked: the loop backs off, logging
 * the outage once, and the update is handled once the database is back. An update whose transaction kept meeting
 * deadlocks past its retries is left pending too, without a backoff (the database answers): claimed again at once,
 * given up only after {@link #CONTENDED_TRIES_MAX} such tries and {@link #CONTENDED_FOR_MIN} from the first.
 */
public final class UpdateDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UpdateDispatcher.class);
    /**
     * How many times an update is tried again after an {@code Error} (not an exception) before it is given up. An
     * Error is left for the next try because it may be the process's (memory short for a moment), not the update's;
     * one that comes back on the same update is the update's (a library that throws {@code InternalError} on this
     * update's data; a chart's no longer reaches here, core answers it with the figures as text), and retried for
     * ever it stopped every chat: the update with the oldest head is taken first each time.
     */
    static final int ERROR_TRIES_MAX = Inbox.ERROR_TRIES_MAX;
    /**
     * Tries of an update whose transaction met a deadlock past its own retries each time, before it is given up: core's
     * {@link Inbox}'s, by the same rule ({@link FailuresInARow.Tries#spent}).
     */
    static final int CONTENDED_TRIES_MAX = Inbox.CONTENDED_TRIES_MAX;
    /**
     * And the least time from its first such try: a contended update is claimed again at once (no handler sleeps on
     * it), so its tries alone could all be spent within one burst of lock conflicts, and a Stars payment given up.
     */
    static final Duration CONTENDED_FOR_MIN = Inbox.CONTENDED_FOR_MIN;
    /** Frames of a failure's stack written to the log: its messages may quote the update, its frames cannot. */
    private static final int LOGGED_FRAMES_MAX = 12;
    /** Errors in a row by update. */
    private final FailuresInARow errorsByUpdate = new FailuresInARow(Inbox.TRACKED_MAX);
    /** Contended tries in a row by update: counted apart, so contention and an Error do not add up to a give-up. */
    private final FailuresInARow contendedByUpdate = new FailuresInARow(Inbox.TRACKED_MAX);
    /** Failed apologies in a row by update (core's {@link Inbox#APOLOGY_TRIES_MAX}, the same rule). */
    private final FailuresInARow apologiesByUpdate = new FailuresInARow(Inbox.TRACKED_MAX);
    private final ProcessedUpdates store;
    private final Transactions transactions;
    private final Audit audit;
    private final Function<String, Optional<Incoming>> translate;
    private final Consumer<Incoming> handle;
    private final Consumer<Incoming> apologize;
    private final Consumer<Incoming> givenUp;
    private final Clock clock;
    private final WorkerLoops loops;

    /**
     * @param audit     where an update given up with no answer is recorded ({@link Inbox#markGivenUp})
     * @param handle    handles one update inside the claiming transaction (the storefront's {@code handle})
     * @param apologize answers an update whose handling was rolled back (the storefront's {@code apologize})
     * @param givenUp   keeps what is kept of an update given up with no answer, with its audit line (the storefront's
     *                  {@code givenUp}: a Stars payment's charge kept as not credited, the admins' alert queued)
     * @param safetyPoll how often idle threads look at the inbox on their own; new work wakes them at once
     */
    public UpdateDispatcher(ProcessedUpdates store, Transactions transactions, Audit audit,
                            Function<String, Optional<Incoming>> translate, Consumer<Incoming> handle,
                            Consumer<Incoming> apologize, Consumer<Incoming> givenUp, Clock clock, String instance,
                            int threads, SafetyPoll safetyPoll) {
        this.store = store;
        this.transactions = transactions;
        this.audit = audit;
        this.translate = translate;
        this.handle = handle;
        this.apologize = apologize;
        this.givenUp = givenUp;
        this.clock = clock;
        this.loops = new WorkerLoops("updates-" + instance, threads, WorkerLoops.Step.orSafetyPoll(this::handleOne,
                safetyPoll), safetyPoll, new Outage(LOG, "taking updates"));
    }

    /** New work was recorded (here, or by another instance): wake an idle thread now. */
    public void wake() {
        loops.wake();
    }

    public void start() {
        loops.start();
    }

    /** Claims and handles one update, all-or-nothing. @return false if there was none */
    public boolean handleOne() {
        AtomicReference<PendingUpdate> claimed = new AtomicReference<>();
        try {
            return transactions.inOne(() -> {
                Optional<PendingUpdate> u = store.claimNext();
                if (u.isEmpty()) {
                    return false;
                }
                claimed.set(u.get());
                MDC.put("cid", "upd_" + u.get().updateId());
                incoming(u.get()).ifPresent(handle);
                store.done(u.get().updateId(), clock.instant());
                return true;
            }) && handled(claimed.get());
        } catch (RuntimeException | StackOverflowError e) {
            // a stack overflow is this update's (too deep to handle), not the process's: given up like a bug's
            // exception, or it would come back at the head of its chat and stop that chat for good
            if (claimed.get() == null || ConnectionLoss.in(e)) {
                // rolled back with the session: handled again, from the same state, once the database answers
                throw e;
            }
            if (Contention.in(e) && !failedAgain(contendedByUpdate, claimed.get().updateId(), e, CONTENDED_TRIES_MAX,
                    CONTENDED_FOR_MIN)) {
                // a deadlock or serialization failure the transaction's own retries did not get past is another
                // transaction's timing, not this update's fault (core's Contention, the rule Storefront.serve keeps):
                // left pending for a later claim (given up at once, a Stars payment was kept not credited); bounded,
                // so one that always meets it cannot hold its chat for good. Not thrown: the loop would put this
                // handler to sleep and log an outage of the inbox, while the rolled-back update is free for the next
                // claim, this thread's or another's, at once
                return true;
            }
            giveUp(claimed.get(), e);
            return true;
        } catch (Error e) {
            // thrown, unlike contention: an Error may be the process's (memory short for a moment), and the loop's
            // backoff gives the process that moment
            if (claimed.get() == null || !failedAgain(errorsByUpdate, claimed.get().updateId(), e, ERROR_TRIES_MAX,
                    Duration.ZERO)) {
                throw e;
            }
            giveUp(claimed.get(), e);
            return true;
        } finally {
            MDC.remove("cid");
        }
    }

    /**
     * The update's earlier failures no longer count: it went through, or was given up (after commit; true, for the
     * caller).
     */
    private boolean handled(PendingUpdate update) {
        errorsByUpdate.forget(update.updateId());
        contendedByUpdate.forget(update.updateId());
        apologiesByUpdate.forget(update.updateId());
        return true;
    }

    /**
     * Counts a failure (an Error, contention past the transaction's retries, a failed apology) on the update in
     * {@code tries}; true once it has failed more than {@code triesMax} times and for at least {@code forMin}, to be
     * given up. The count is kept until the update is handled or its give-up commits ({@link #handled}), as core's
     * {@link Inbox} keeps it: forgotten here, a give-up whose apology failed started the count again, and the update
     * was tried {@code triesMax} times more before each try of its apology.
     */
    private boolean failedAgain(FailuresInARow tries, long updateId, Throwable e, int triesMax, Duration forMin) {
        FailuresInARow.Tries inARow = tries.count(updateId, clock.instant());
        if (!inARow.spent(triesMax, forMin)) {
            LOG.warn("handling upd_{} failed ({}); rolled back, to be tried again ({} of {})", updateId, frames(e),
                    inARow.count(), triesMax);
            return false;
        }
        return true;
    }

    /**
     * The failure's type, its SQLState (a code, no data) and the first frames of its stack, without its message (it
     * may quote the update).
     */
    static String frames(Throwable t) {
        StringBuilder s = new StringBuilder(t.getClass().getName());
        DatabaseState.of(t).ifPresent(state -> s.append(", ").append(state));
        StackTraceElement[] stack = t.getStackTrace();
        for (int i = 0; i < Math.min(stack.length, LOGGED_FRAMES_MAX); i++) {
            s.append("\n\tat ").append(stack[i]);
        }
        return s.toString();
    }

    private Optional<Incoming> incoming(PendingUpdate u) {
        Optional<Incoming> in = translate.apply(u.payload()).map(i -> i.receivedAt(u.recordedAt()));
        if (in.isEmpty()) {
            LOG.debug("update ignored (group chatter or not for us)");
        }
        return in;
    }

    /**
     * The handling was rolled back: apologize and mark the update done, in a transaction of their own, unless
     * another handler took the update after the rollback and handled it (or gave it up) first. An update the
     * translator throws on (bad data, likely what failed its handling) is marked done with no apology, as core's
     * {@link Inbox} gives it up ({@link Inbox#toApologizeFor}): thrown on, it was never marked done and stayed first
     * in its chat, which no handler answered again. An apology whose transaction fails too (but by a lost connection)
     * is a failure of the update, as in core's {@link Inbox}: thrown (the loop backs off)
     * {@link Inbox#APOLOGY_TRIES_MAX} times in a row and until {@link #CONTENDED_FOR_MIN} has passed since the first
     * (a store problem of a moment fails a Stars payment's apology too, which keeps it as not credited), then the
     * update is marked done with no answer ({@link Inbox#markGivenUp}: with its audit line, or alone), or it stayed
     * first in the inbox for ever, claimed ahead of every other chat. If even that cannot be written, it is thrown:
     * pending, and the loop backs off.
     */
    private void giveUp(PendingUpdate u, Throwable cause) {
        // the cause's message may quote the update: only its type and frames go to the log
        LOG.error("handling upd_{} failed ({}); rolled back", u.updateId(), frames(cause));
        LOG.debug("handling failure", cause);
        Optional<Boolean> apologized;
        try {
            apologized = transactions.inOne(() -> store.reclaim(u.updateId()).map(still -> {
                Optional<Incoming> in = Inbox.toApologizeFor(still, this::incoming);
                in.ifPresent(apologize);
                store.done(still.updateId(), clock.instant());
                return in.isPresent();
            }));
        } catch (RuntimeException | Error e) {
            if (ConnectionLoss.in(e) || !failedAgain(apologiesByUpdate, u.updateId(), e, Inbox.APOLOGY_TRIES_MAX,
                    CONTENDED_FOR_MIN)) {
                throw e;
            }
            LOG.error("upd_{} in chat {} given up without an answer: its apology failed more than {} times in a row, "
                    + "for {} s or more ({}); marking it done", u.updateId(), Actor.mask(u.chatId()),
                    Inbox.APOLOGY_TRIES_MAX, CONTENDED_FOR_MIN.toSeconds(), frames(e));
            Inbox.markGivenUp(transactions, store, audit, givenUp, u, this::incoming, clock.instant());
            handled(u);
            return;
        }
        // said only after the commit: until the reclaim, another handler may have handled it after the rollback
        if (apologized.isEmpty()) {
            LOG.info("upd_{} was finished by another handler after the rollback: no apology", u.updateId());
        } else if (apologized.get()) {
            LOG.info("upd_{} given up: marked done, with an apology to its chat", u.updateId());
        } else {
            LOG.info("upd_{} given up: marked done, with no apology", u.updateId());
        }
        handled(u);
    }

    /** Handles everything currently claimable (tests and shutdown). @return how many */
    public int drain() {
        int n = 0;
        while (handleOne()) {
            n++;
        }
        return n;
    }

    /** Stops claiming and waits up to {@code grace} for in-flight updates to commit. */
    public void stop(Duration grace) {
        loops.stop(grace);
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }
}
