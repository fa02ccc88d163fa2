package dev.kiebot.runtime.work;

import dev.kiebot.runtime.loops.DaemonThreads;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Where the calls to Telegram that follow a committed update run, each kind on threads of its own and behind a
 * bounded queue. Answers to button presses and pre-checkouts go out at once: Telegram accepts them for seconds
 * only, so one that cannot even be queued is dropped. A Stars refund an admin asked for may wait out Telegram's
 * retries; on its own thread it holds up no user's answer, and one that cannot be queued leaves its hold to the
 * hold's deadline (the money goes back to the wallet, the admin can ask again).
 */
public final class AfterCommitCalls implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AfterCommitCalls.class);
    static final int ANSWER_THREADS = 2;
    static final int ANSWERS_QUEUED_MAX = 1_000;
    static final int REFUND_THREADS = 1;
    /** Admins ask for refunds one at a time; more than this waiting means Telegram is not answering. */
    static final int REFUNDS_QUEUED_MAX = 20;

    private final ThreadPoolExecutor answers;
    private final ThreadPoolExecutor refunds;
    private final Duration grace;

    /** @param grace how long closing waits for the calls in hand and queued */
    public AfterCommitCalls(String instance, Duration grace) {
        this.answers = pool("answers-" + instance, ANSWER_THREADS, ANSWERS_QUEUED_MAX, "a button's answer");
        this.refunds = pool("refunds-" + instance, REFUND_THREADS, REFUNDS_QUEUED_MAX, "a Stars refund");
        this.grace = grace;
    }

    /** For {@code Shop.Builder.answers}. */
    public Executor answers() {
        return withCallersContext(answers);
    }

    /** For {@code Shop.Builder.refundCalls}. */
    public Executor refunds() {
        return withCallersContext(refunds);
    }

    /**
     * Runs each call with the MDC of the thread that queued it (the update's {@code cid}): a refund's or an answer's
     * lines on these threads ("Stars refund … failed", a retry_after) carried no correlation id, and an operator
     * could not tie them to the update that asked for them (review L68).
     */
    private static Executor withCallersContext(ThreadPoolExecutor pool) {
        return call -> {
            Map<String, String> callers = MDC.getCopyOfContextMap();
            pool.execute(() -> {
                if (callers == null) {
                    MDC.clear();
                } else {
                    MDC.setContextMap(callers);
                }
                try {
                    call.run();
                } finally {
                    MDC.clear();
                }
            });
        };
    }

    private static ThreadPoolExecutor pool(String name, int threads, int queuedMax, String what) {
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queuedMax),
                new DaemonThreads(name), (r, pool) -> LOG.warn("{} to Telegram after a committed update was dropped: "
                        + "{} are waiting", what, queuedMax));
    }

    /** Takes no more calls and waits up to the grace for the ones in hand and queued (both pools at once). */
    @Override
    public void close() {
        answers.shutdown();
        refunds.shutdown();
        long deadline = System.nanoTime() + grace.toNanos();
        awaitUntil(answers, deadline);
        awaitUntil(refunds, deadline);
    }

    private static void awaitUntil(ThreadPoolExecutor pool, long deadlineNanos) {
        try {
            if (!pool.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }
}
