package dev.kiebot.runtime.intake;

import dev.kiebot.core.audit.Audit;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.intake.Inbox;
import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.core.shop.Transactions;
import dev.kiebot.runtime.loops.DatabaseState;
import dev.kiebot.runtime.loops.Outage;
import dev.kiebot.runtime.loops.SafetyPoll;
import dev.kiebot.runtime.loops.WorkerLoops;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiConsumer;
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
 *
 * <p>The loop itself is core's {@link Inbox} ({@link Inbox#Inbox(Inbox.Parts, Inbox.Watch)}): claiming, handling,
 * sorting a failure, counting tries, the apology and the give-up are written there once, for partners and for kiebot.
 * This class adds the threads and their wake-ups ({@link WorkerLoops}), the translation from Telegram's JSON, and a
 * watch of its own: the update's code in the log's context, its own log lines (a failure's type and frames, never its
 * message), and a contended update claimed again at once rather than thrown (see {@code Logged}).
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
     * {@link Inbox}'s, by the same rule ({@link dev.kiebot.core.intake.FailuresInARow.Tries#spent}).
     */
    static final int CONTENDED_TRIES_MAX = Inbox.CONTENDED_TRIES_MAX;
    /**
     * And the least time from its first such try: a contended update is claimed again at once (no handler sleeps on
     * it), so its tries alone could all be spent within one burst of lock conflicts, and a Stars payment given up.
     */
    static final Duration CONTENDED_FOR_MIN = Inbox.CONTENDED_FOR_MIN;
    /** Frames of a failure's stack written to the log: its messages may quote the update, its frames cannot. */
    private static final int LOGGED_FRAMES_MAX = 12;
    /** Core's loop, watched by this dispatcher's log: the rules of claiming, failing and giving up are core's. */
    private final Inbox inbox;
    private final WorkerLoops loops;

    /**
     * @param audit     where an update given up with no answer is recorded ({@code Inbox.markGivenUp})
     * @param handle    handles one update inside the claiming transaction (the storefront's {@code handle})
     * @param apologize answers an update whose handling was rolled back (the storefront's {@code apologize})
     * @param givenUp   keeps what is kept of an update given up with no answer, with its audit line (the storefront's
     *                  {@code givenUp}: a Stars payment's charge kept as not credited, the admins' alert queued when
     *                  its second argument says so; {@code Inbox.markGivenUp} tries with, then without)
     * @param safetyPoll how often idle threads look at the inbox on their own; new work wakes them at once
     */
    public UpdateDispatcher(ProcessedUpdates store, Transactions transactions, Audit audit,
                            Function<String, Optional<Incoming>> translate, Consumer<Incoming> handle,
                            Consumer<Incoming> apologize, BiConsumer<Incoming, Boolean> givenUp, Clock clock,
                            String instance, int threads, SafetyPoll safetyPoll) {
        this.inbox = new Inbox(new Inbox.Parts(store, transactions, audit, clock, u -> incoming(translate, u), handle,
                apologize, givenUp), new Logged());
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

    /**
     * Claims and handles one update, all-or-nothing, as core's {@link Inbox#handleOne}. @return false if there was
     * none
     */
    public boolean handleOne() {
        return inbox.handleOne();
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

    /** The update in core's terms, received when it was recorded (Telegram's updates carry no time of their own). */
    private static Optional<Incoming> incoming(Function<String, Optional<Incoming>> translate, PendingUpdate u) {
        Optional<Incoming> in = translate.apply(u.payload()).map(i -> i.receivedAt(u.recordedAt()));
        if (in.isEmpty()) {
            LOG.debug("update ignored (group chatter or not for us)");
        }
        return in;
    }

    /**
     * What the runtime adds to core's loop: the update's code in the log's context while it is in hand, and its own
     * log, where a failure is its type, SQLState and frames, never its message (it may quote the update). A
     * contended update left pending is not thrown: the loop would put this handler to sleep and log an outage of the
     * inbox, while the database answers and the rolled-back update is free for the next claim, this thread's or
     * another's, at once (its tries still bounded by core's {@link Inbox#CONTENDED_TRIES_MAX} and
     * {@link Inbox#CONTENDED_FOR_MIN}). An {@code Error} is thrown, and the loop's backoff gives the process a moment.
     */
    private static final class Logged implements Inbox.Watch {
        @Override
        public void claimed(PendingUpdate update) {
            MDC.put("cid", "upd_" + update.updateId());
        }

        @Override
        public void finished() {
            MDC.remove("cid");
        }

        @Override
        public boolean pauseAfterContention() {
            return false;
        }

        @Override
        public void leftPending(long updateId, Throwable failure, int count, int triesMax) {
            LOG.warn("handling upd_{} failed ({}); rolled back, to be tried again ({} of {})", updateId,
                    frames(failure), count, triesMax);
        }

        @Override
        public void givingUp(PendingUpdate update, Throwable failure) {
            LOG.error("handling upd_{} failed ({}); rolled back", update.updateId(), frames(failure));
            LOG.debug("handling failure", failure);
        }

        @Override
        public void givenUpWithoutAnswer(PendingUpdate update, Throwable apologyFailure) {
            LOG.error("upd_{} in chat {} given up without an answer: its apology failed more than {} times in a row, "
                    + "for {} s or more ({}); marking it done", update.updateId(), Actor.mask(update.chatId()),
                    Inbox.APOLOGY_TRIES_MAX, CONTENDED_FOR_MIN.toSeconds(), frames(apologyFailure));
        }

        @Override
        public void gaveUp(PendingUpdate update, Optional<Boolean> apologized) {
            if (apologized.isEmpty()) {
                LOG.info("upd_{} was finished by another handler after the rollback: no apology", update.updateId());
            } else if (apologized.get()) {
                LOG.info("upd_{} given up: marked done, with an apology to its chat", update.updateId());
            } else {
                LOG.info("upd_{} given up: marked done, with no apology", update.updateId());
            }
        }
    }

    /** Handles everything currently claimable (tests and shutdown). @return how many */
    public int drain() {
        return inbox.handleWaiting();
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
