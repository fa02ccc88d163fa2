package dev.kiebot.core.shop;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How the shop tells its {@link ShopWork} that work it carries out was committed in this process: a reply queued, a
 * job created, a broadcast queued. Core says so itself, once the writing transaction commits ({@link Transactions#afterCommit}), so a
 * partner's stores need not: a store that forgot would leave every answer waiting for the next tick. One per
 * {@link Shop}, answered by at most one {@code ShopWork}; until one starts, nothing listens and nothing is
 * registered with the transactions.
 *
 * <p>It also notices a shop whose replies nobody sends: a partner who serves updates but never started
 * {@link ShopWork} (nor schedules the work himself through {@code ShopWork.Parts}, nor ever sends through
 * {@code shop.sender()}) has every answer queued in the outbox and none leaving, with no failure anywhere. Once a
 * reply is queued {@link #UNSENT_GRACE} after the first one that nothing sent, the shop logs an error naming what to
 * call, and again every {@link #UNSENT_TOLD_EVERY} while it lasts.
 */
final class WorkSignals {
    private static final System.Logger LOG = System.getLogger(WorkSignals.class.getName());
    @SuppressWarnings("UnnecessaryLambda") // a named do-nothing, handed where a Runnable is asked
    private static final Runnable NOBODY = () -> { };
    /**
     * How long replies may wait before a start of the work is missed: a partner may build the shop, queue a notice of
     * his own and start {@code ShopWork} a moment later; a minute of users answered nothing is no start-up order.
     */
    static final Duration UNSENT_GRACE = Duration.ofMinutes(1);
    /** How often the error is logged again while nothing sends: an hour's log holds it, a busy bot's is not flooded. */
    static final Duration UNSENT_TOLD_EVERY = Duration.ofHours(1);

    /** Who runs the shop's work: nobody yet, its {@code ShopWork}, or a runner of its own through {@code Parts}. */
    private enum Runner { NOBODY, SHOP_WORK, OWN_THREADS }

    private final AtomicReference<Runner> runner = new AtomicReference<>(Runner.NOBODY);
    private volatile Runnable repliesQueued = NOBODY;
    private volatile Runnable jobsCreated = NOBODY;
    private volatile Runnable broadcastsQueued = NOBODY;
    /** Whether {@code shop.sender()} ever tried to send (a partner's own loop, a test's drain). */
    private volatile boolean senderRan;
    /** When the first reply nothing sent was queued, on the pacing clock; null until one was. */
    private final AtomicReference<Instant> unsentSince = new AtomicReference<>();
    /** When the error was logged last; null until it was. */
    private final AtomicReference<Instant> unsentTold = new AtomicReference<>();

    /**
     * The shop's work is starting. Once per shop, as its broadcaster's stop is for good.
     *
     * @throws IllegalStateException when the shop's work was started before
     */
    void take() {
        if (runner.compareAndSet(Runner.NOBODY, Runner.SHOP_WORK)) {
            return;
        }
        throw new IllegalStateException(runner.get() == Runner.SHOP_WORK
                ? "this Shop's work was started already: a Shop's work starts once (its broadcaster stays stopped "
                        + "after ShopWork.close()); build a new Shop for a new start"
                : "this Shop's work is run by threads of the runner's own (ShopWork.Parts): start ShopWork or make "
                        + "Parts, never both (both would send the same broadcasts and take the same jobs)");
    }

    /**
     * A runner schedules the shop's work on threads of its own ({@code ShopWork.Parts}); several parts may share it.
     *
     * @throws IllegalStateException when the shop's {@code ShopWork} was started
     */
    void takeForOwnThreads() {
        if (runner.compareAndSet(Runner.NOBODY, Runner.OWN_THREADS) || runner.get() == Runner.OWN_THREADS) {
            return;
        }
        throw new IllegalStateException("this Shop's work runs in its ShopWork already: a runner that schedules the "
                + "work on threads of its own makes ShopWork.Parts instead of starting ShopWork, never both (both would "
                + "send the same broadcasts and take the same jobs)");
    }

    /** The start failed before anything ran: the shop's work may be started again. */
    void giveBack() {
        runner.compareAndSet(Runner.SHOP_WORK, Runner.NOBODY);
    }

    /** The shop's work runs: from now on it is told. */
    void answer(Runnable repliesQueued, Runnable jobsCreated, Runnable broadcastsQueued) {
        this.repliesQueued = repliesQueued;
        this.jobsCreated = jobsCreated;
        this.broadcastsQueued = broadcastsQueued;
    }

    /** The work is stopping: what commits from now on waits in the stores for the next start. */
    void hangUp() {
        repliesQueued = NOBODY;
        jobsCreated = NOBODY;
        broadcastsQueued = NOBODY;
    }

    /** The shop's reply sender was asked to send: someone delivers the outbox. */
    void senderRan() {
        senderRan = true;
    }

    /**
     * A reply is being queued in {@code transactions}' current transaction (or none): wake the sender after it.
     *
     * @param queuedAt when, on the pacing clock the reply is stamped with
     */
    void replyQueued(Transactions transactions, Instant queuedAt) {
        if (repliesQueued != NOBODY) {
            // read again after the commit: the work may have stopped meanwhile
            transactions.afterCommit(AfterCommit.guarded("waking the reply sender", () -> repliesQueued.run()));
        } else if (runner.get() == Runner.NOBODY && !senderRan) {
            nothingSends(queuedAt);
        }
    }

    private void nothingSends(Instant queuedAt) {
        unsentSince.compareAndSet(null, queuedAt);
        Instant since = unsentSince.get();
        if (Duration.between(since, queuedAt).compareTo(UNSENT_GRACE) < 0) {
            return;
        }
        Instant told = unsentTold.get();
        boolean due = told == null || Duration.between(told, queuedAt).compareTo(UNSENT_TOLD_EVERY) >= 0;
        if (due && unsentTold.compareAndSet(told, queuedAt)) {
            LOG.log(System.Logger.Level.ERROR, "replies have been queued in the outbox since {0} and nothing sends "
                    + "them: no user gets an answer. Start the shop's work once it is built, before serving updates: "
                    + "ShopWork.start(shop, ShopWork.Instances.ONE) (SEVERAL when other processes share the stores); "
                    + "or, scheduling the work on threads of your own, call shop.sender().sendNext() in a loop and "
                    + "make ShopWork.Parts for the jobs and broadcasts", since);
        }
    }

    /** A job is being created in the current transaction: wake the job worker after it commits. */
    void jobCreated(Transactions transactions) {
        if (jobsCreated != NOBODY) {
            transactions.afterCommit(AfterCommit.guarded("waking the job worker", () -> jobsCreated.run()));
        }
    }

    /** A broadcast is being queued in the current transaction: wake the broadcasts task after it commits. */
    void broadcastQueued(Transactions transactions) {
        if (broadcastsQueued != NOBODY) {
            transactions.afterCommit(AfterCommit.guarded("waking the broadcasts", () -> broadcastsQueued.run()));
        }
    }
}
