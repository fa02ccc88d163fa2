package dev.kiebot.core.shop;

import java.util.concurrent.atomic.AtomicReference;

/**
 * How the shop tells its {@link ShopWork} that work it carries out was committed in this process: a reply queued, a
 * job created, a broadcast queued. Core says so itself, once the writing transaction commits ({@link Transactions#afterCommit}), so a
 * partner's stores need not: a store that forgot would leave every answer waiting for the next tick. One per
 * {@link Shop}, answered by at most one {@code ShopWork}; until one starts, nothing listens and nothing is
 * registered with the transactions.
 */
final class WorkSignals {
    private static final Runnable NOBODY = () -> { };

    /** Who runs the shop's work: nobody yet, its {@code ShopWork}, or a runner of its own through {@code Parts}. */
    private enum Runner { NOBODY, SHOP_WORK, OWN_THREADS }

    private final AtomicReference<Runner> runner = new AtomicReference<>(Runner.NOBODY);
    private volatile Runnable repliesQueued = NOBODY;
    private volatile Runnable jobsCreated = NOBODY;
    private volatile Runnable broadcastsQueued = NOBODY;

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

    /** A reply is being queued in {@code transactions}' current transaction (or none): wake the sender after it. */
    void replyQueued(Transactions transactions) {
        if (repliesQueued != NOBODY) {
            // read again after the commit: the work may have stopped meanwhile
            transactions.afterCommit(() -> repliesQueued.run());
        }
    }

    /** A job is being created in the current transaction: wake the job worker after it commits. */
    void jobCreated(Transactions transactions) {
        if (jobsCreated != NOBODY) {
            transactions.afterCommit(() -> jobsCreated.run());
        }
    }

    /** A broadcast is being queued in the current transaction: wake the broadcasts task after it commits. */
    void broadcastQueued(Transactions transactions) {
        if (broadcastsQueued != NOBODY) {
            transactions.afterCommit(() -> broadcastsQueued.run());
        }
    }
}
