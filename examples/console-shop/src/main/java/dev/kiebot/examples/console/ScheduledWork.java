package dev.kiebot.examples.console;

import dev.kiebot.core.shop.SendAttempt;
import dev.kiebot.core.shop.Passes;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.Upkeep;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a shop must do besides answering updates, on one small scheduler. Answering an update only writes to
 * the database (the reply queued, the job created, the money held); these tasks carry it out. Leave one out and
 * something stops quietly: users get no answers, paid generations never run, or held money never comes back.
 *
 * <p>Bounded: {@value #THREADS} threads, and a queue that holds only the periodic tasks (added once, at start) and
 * at most one wake-up per task ({@link Task#soon()}). Every task catches its own failures: a periodic task that
 * throws is never run again, without a word.
 *
 * <p>kiebot's runtime does the same in {@code BackgroundWork} and {@code ReplySenders}, with more threads and a
 * credit alert for the Kie account.
 */
final class ScheduledWork implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledWork.class);
    /** Delivering replies and running jobs can each wait on a slow service; one thread is left for the rest. */
    static final int THREADS = 3;
    /** Items per pass; a full pass is followed by another, a few at most in one run ({@link Passes}). */
    static final int BATCH = 20;
    /** Replies sent in one run at most, so that one busy run cannot keep a thread for ever. */
    static final int REPLIES_PER_RUN_MAX = 200;
    /** How long {@link #close()} waits for the runs in progress before interrupting them. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final Shop shop;
    private final ScheduledThreadPoolExecutor scheduler;
    private final AtomicInteger threadNumber = new AtomicInteger();
    private final Task replies;
    private final Task jobs;

    ScheduledWork(Shop shop) {
        this.shop = shop;
        this.scheduler = new ScheduledThreadPoolExecutor(THREADS, run -> {
            // named, so a thread dump says whose work it is; daemon, so a forgotten close() cannot keep the JVM up
            Thread t = new Thread(run, "shop-work-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.replies = new Task("replies", this::deliverReplies);
        this.jobs = new Task("jobs", this::advanceJobs);
    }

    /** Schedules every task; call once, after the shop is built and before updates come in. */
    void start() {
        // The outbox: every answer the shop gives is queued in the database with the update that caused it, and
        // only this sends it. Also woken when a reply is queued (repliesQueued), so the tick is only a safety net,
        // and the wait of a chat paced by the platform (Telegram: about one message a second) for its next turn.
        every(replies, Duration.ofMillis(500));
        // The job worker: submits paid generations to the provider, reads their status when due (the PollPolicy),
        // delivers the results, and refunds what failed or timed out. Also woken when a job is created.
        every(jobs, Duration.ofSeconds(2));
        // core's upkeep: money held for a job that will never finish goes back to the user (the job fails with a
        // notice), card / SBP requests no admin confirmed in time expire, and the tables that only grow are cut back
        // (handled-update marks after a week, the audit trail and free uses after a month; the ledger and the jobs are
        // never purged). Each comes with its period.
        for (Upkeep.Task task : shop.upkeep().tasks()) {
            every(new Task(task.name(), task.run()), task.every());
        }
        // An admin's /broadcast is queued for every user; this sends it in batches through the paced outbox, so the
        // answers to users' own updates never wait behind a few thousand broadcast messages.
        every(new Task("broadcasts", () -> Passes.run(BATCH, shop.broadcaster()::runOnce)), Duration.ofSeconds(5));
    }

    /** A reply was queued (the stores say so when its transaction commits): deliver it now, not at the next tick. */
    void repliesQueued() {
        replies.soon();
    }

    /** A job was created or moved: look at the jobs now. */
    void jobsMoved() {
        jobs.soon();
    }

    private void every(Task task, Duration period) {
        // with a fixed delay (not rate), a slow run is never followed by a pile of late ones
        scheduler.scheduleWithFixedDelay(task, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends due replies until none is due; with a chat waiting for its turn, the next tick or wake-up sends it. */
    private void deliverReplies() {
        for (int i = 0; i < REPLIES_PER_RUN_MAX; i++) {
            if (shop.sender().sendNext() instanceof SendAttempt.NothingDue) {
                return;
            }
        }
    }

    private void advanceJobs() {
        Passes.run(BATCH, shop.worker()::runOnce);
    }

    /**
     * Stops after the work in hand: the broadcast finishes the message being sent and gives the rest of its batch
     * back, the runs in progress finish (a job's step, a reply on the wire), no new run starts. Replies still queued
     * stay in the database for the next start. The database must still be up: close it after this.
     */
    @Override
    public void close() {
        shop.broadcaster().stop();
        scheduler.shutdown(); // cancels the periodic tasks and refuses wake-ups; the runs in progress go on
        try {
            if (!scheduler.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("the scheduled work did not stop within {}; interrupting it", STOP_GRACE);
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            scheduler.shutdownNow();
        }
        // a reply sent whose "sent" mark failed to commit would otherwise go again at the next start
        int unsettled = shop.sender().settleLeftOvers();
        if (unsettled > 0) {
            LOG.warn("{} sent replies left unsettled at the stop; they may go again after the start", unsettled);
        }
    }

    /** One task: its failures logged (not thrown, which would cancel it for good), and a wake-up queued at most once. */
    private final class Task implements Runnable {
        private final String name;
        private final Runnable body;
        private final AtomicBoolean wakeUpQueued = new AtomicBoolean();

        Task(String name, Runnable body) {
            this.name = name;
            this.body = body;
        }

        @Override
        public void run() {
            wakeUpQueued.set(false);
            try {
                body.run();
            } catch (RuntimeException | Error e) {
                LOG.error("{} failed; it runs again at its next tick", name, e);
            }
        }

        /** Runs the task now as well, however many ask before it starts. */
        void soon() {
            if (wakeUpQueued.compareAndSet(false, true)) {
                try {
                    scheduler.execute(this);
                } catch (RejectedExecutionException stopping) {
                    // the shop is stopping: what was queued is sent at the next start
                }
            }
        }
    }
}
