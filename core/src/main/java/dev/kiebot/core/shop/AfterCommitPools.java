package dev.kiebot.core.shop;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the calls to the chat platform that follow a committed update run when the builder was given no executor of
 * its own ({@code Shop.Builder.answers}, {@code refundCalls}): each kind on daemon threads of its own, behind a bounded
 * queue. On the committing thread, as before, a button's answer — and an admin's Stars refund, with every retry of the
 * platform's — kept the update's database connection and held {@link Storefront#serve} until the platform answered.
 *
 * <p>An answer that cannot even be queued is dropped (the platform takes it for seconds only); a refund that cannot
 * leaves its hold to the hold's deadline (the money goes back to the wallet, the admin may ask again). Threads that idle
 * for {@link #IDLE} end, so a shop built and dropped (a test's) leaves none running; daemon, so that a forgotten
 * {@link ShopWork#close()} cannot keep the JVM up. {@link ShopWork#close()} waits for the calls in hand and queued.
 */
final class AfterCommitPools {
    static final int ANSWER_THREADS = 2;
    static final int ANSWERS_QUEUED_MAX = 1_000;
    static final int REFUND_THREADS = 1;
    /** Admins ask for refunds one at a time; more than this waiting means the platform is not answering. */
    static final int REFUNDS_QUEUED_MAX = 20;
    static final Duration IDLE = Duration.ofMinutes(1);

    private static final System.Logger LOG = System.getLogger(AfterCommitPools.class.getName());
    /** Thread names are {@code shop-answers-<shop>-<thread>}: a thread dump tells two shops' apart. */
    private static final AtomicInteger SHOPS = new AtomicInteger();

    private final ThreadPoolExecutor answers;
    private final ThreadPoolExecutor refunds;

    AfterCommitPools() {
        int shop = SHOPS.incrementAndGet();
        this.answers = pool("shop-answers-" + shop, ANSWER_THREADS, ANSWERS_QUEUED_MAX,
                droppedAndLogged("a button's answer", ANSWERS_QUEUED_MAX));
        this.refunds = pool("shop-refunds-" + shop, REFUND_THREADS, REFUNDS_QUEUED_MAX,
                droppedAndLogged("a Stars refund", REFUNDS_QUEUED_MAX));
    }

    Executor answers() {
        return answers;
    }

    Executor refunds() {
        return refunds;
    }

    /**
     * Daemon threads named {@code <name>-<n>} behind a queue of {@code queuedMax}, ending when idle for {@link #IDLE};
     * also {@link AnswerForgets}'.
     *
     * @param full what a call that cannot be queued meets: dropped and logged, or thrown back to its caller
     */
    static ThreadPoolExecutor pool(String name, int threads, int queuedMax, RejectedExecutionHandler full) {
        AtomicInteger number = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, IDLE.toMillis(), TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queuedMax), run -> {
                    Thread t = new Thread(run, name + "-" + number.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, full);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static RejectedExecutionHandler droppedAndLogged(String what, int queuedMax) {
        return (run, full) -> LOG.log(System.Logger.Level.WARNING, full.isShutdown()
                ? what + " after a committed update was dropped: the shop's work was closed"
                : what + " after a committed update was dropped: " + queuedMax + " are waiting");
    }

    /**
     * Takes no more calls and waits up to {@code grace} for the ones in hand and queued (both kinds at once), then
     * interrupts what is left: a refund cut off keeps its hold for the hold's deadline.
     */
    void close(Duration grace) {
        answers.shutdown();
        refunds.shutdown();
        long deadline = System.nanoTime() + grace.toNanos();
        awaitUntil(answers, deadline);
        awaitUntil(refunds, deadline);
    }

    private static void awaitUntil(ThreadPoolExecutor pool, long deadlineNanos) {
        try {
            if (!pool.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "calls to the chat platform after committed updates still ran "
                        + "at the stop; interrupted");
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }
}
