package dev.kiebot.core.shop;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a sent pre-checkout answer is forgotten ({@code PendingReplies.answerGone}): on a thread of its own, after the
 * call, never on the thread that made it. That thread answers the next pre-checkouts and button presses, which
 * Telegram takes for seconds only: a database stall in the forgetting held them behind it. The order stays: the
 * answer goes first, its row is deleted after; a crash in between leaves the row, which the next start (or the
 * upkeep's minute pass) drops as past its window. A forgetting that cannot even be queued ({@link #QUEUED_MAX} waiting:
 * the database stalls) is left to that pass too.
 */
final class AnswerForgets {
    static final int QUEUED_MAX = 1_000;
    private static final System.Logger LOG = System.getLogger(AnswerForgets.class.getName());
    /** Thread names are {@code shop-forgets-<shop>-1}: a thread dump tells two shops' apart. */
    private static final AtomicInteger SHOPS = new AtomicInteger();

    private final Stores stores;
    private final Executor executor;

    /**
     * @param executor where the forgetting runs: {@link #ownThread()} but in tests of this package, which forget on
     *                 the answering thread ({@code Runnable::run}) to read the store when the answer returns
     */
    AnswerForgets(Stores stores, Executor executor) {
        this.stores = stores;
        this.executor = executor;
    }

    /**
     * One daemon thread behind a bounded queue, ending when idle for {@link AfterCommitPools#IDLE} (a test's shop
     * built and dropped leaves none running); never shut down, so that an answer sent while the shop's work stops
     * (a runner that closes its answers' pool after the work, not before as it should) is still forgotten while the
     * database is up.
     */
    static Executor ownThread() {
        return AfterCommitPools.pool("shop-forgets-" + SHOPS.incrementAndGet(), 1, QUEUED_MAX, (run, full) -> {
            throw new RejectedExecutionException(QUEUED_MAX + " are waiting");
        });
    }

    /** Hands the forgetting of the answer to {@code queryId} over; its failure is logged, the row left kept. */
    void forget(String queryId) {
        String what = "forgetting a sent pre-checkout answer";
        try {
            executor.execute(AfterCommit.guarded(what, () -> stores.pendingReplies().answerGone(queryId)));
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "a sent pre-checkout answer is left kept ({0}): the upkeep drops it "
                    + "a minute past its window, logged as not known to have been sent", e.getMessage());
        }
    }

    /**
     * Waits up to {@code grace} for the forgetting handed over before (the shop's work stopping: the database is
     * still up for them); what is left runs when it may, or leaves its row to the next start.
     */
    void awaitHandedOver(Duration grace) {
        CountDownLatch reached = new CountDownLatch(1);
        try {
            executor.execute(reached::countDown);
            reached.await(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // full: nothing more to wait for than the stop's grace already gave
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
