package dev.kiebot.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Group commit (the ledger's requests, the webhook's updates): concurrent callers' requests run together, up
 * to {@link #MAX_BATCH} in one database transaction (one round trip), and each caller gets its own result. A transaction's fixed cost (round trip, commit,
 * statement start-up) is then paid once per batch instead of once per request; see BENCHMARKS.md.
 *
 * <p>No thread of its own (nothing to start or stop): a caller enqueues its request, and whoever gets one of the
 * {@link #MAX_IN_FLIGHT} leader permits runs the next batch for everyone (leader/followers). A leader runs one
 * batch, then wakes the caller at the head of the queue to lead the next one, so no caller serves others for
 * long. Under no contention a batch holds just the caller's own request.
 *
 * @param <Q> a request
 * @param <R> its result
 */
final class GroupCommit<Q, R> {
    /** Requests per transaction: enough to amortise its fixed cost, small enough to keep locks short. */
    static final int MAX_BATCH = 64;
    /** Batches running at once (each on its own connection). */
    static final int MAX_IN_FLIGHT = 2;
    /** Requests waiting; callers block beyond it (back-pressure instead of unbounded memory). */
    static final int QUEUE_CAPACITY = 1024;

    /** Runs a batch: one result per request, in order; throws when the batch as a whole failed. */
    interface BatchRunner<Q, R> {
        List<R> run(List<Q> requests);
    }

    private final BlockingQueue<Pending<Q, R>> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Semaphore leaders = new Semaphore(MAX_IN_FLIGHT);
    private final BatchRunner<Q, R> batch;
    private final Function<Q, R> single;

    /**
     * @param batch  runs a batch in one transaction
     * @param single runs one request alone: used when a whole batch failed, so that one request's error (or a
     *               conflict with another instance) only reaches its own caller
     */
    GroupCommit(BatchRunner<Q, R> batch, Function<Q, R> single) {
        this.batch = Objects.requireNonNull(batch, "batch");
        this.single = Objects.requireNonNull(single, "single");
    }

    /** Runs {@code request} (in some batch) and returns its result; throws what running it threw. */
    R submit(Q request) {
        Pending<Q, R> mine = new Pending<>(request, Thread.currentThread());
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(mine);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        while (!mine.done) {
            if (leaders.tryAcquire()) {
                try {
                    runOneBatch();
                } finally {
                    leaders.release();
                }
                // hand over: the caller now at the head leads the next batch (if a leader is free then)
                Pending<Q, R> next = queue.peek();
                if (next != null) {
                    LockSupport.unpark(next.waiter);
                }
            } else {
                // a leader is running; it completes our request or, when done, wakes us to lead
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (mine.error != null) {
            throw mine.error;
        }
        return mine.result;
    }

    private void runOneBatch() {
        List<Pending<Q, R>> taken = new ArrayList<>(MAX_BATCH);
        queue.drainTo(taken, MAX_BATCH);
        if (taken.isEmpty()) {
            return;
        }
        List<Q> requests = new ArrayList<>(taken.size());
        for (Pending<Q, R> p : taken) {
            requests.add(p.request);
        }
        List<R> results = null;
        RuntimeException failure = null;
        try {
            results = batch.run(requests);
            if (results.size() != requests.size()) {
                throw new IllegalStateException("batch of " + requests.size() + " returned "
                        + results.size() + " results");
            }
        } catch (RuntimeException e) {
            failure = e;
        } catch (Error e) {
            // every waiter must hear back, even from a batch that died badly
            failure = new IllegalStateException("batch failed: " + e, e);
        }
        for (int i = 0; i < taken.size(); i++) {
            Pending<Q, R> p = taken.get(i);
            if (failure == null) {
                p.result = results.get(i);
            } else if (taken.size() == 1) {
                p.error = failure;
            } else {
                // the batch's transaction rolled back as a whole: each request again on its own
                try {
                    p.result = single.apply(p.request);
                } catch (RuntimeException e) {
                    p.error = e;
                }
            }
            p.done = true;
            LockSupport.unpark(p.waiter);
        }
    }

    /** A queued request and, once {@code done}, its outcome. */
    private static final class Pending<Q, R> {
        final Q request;
        final Thread waiter;
        R result;
        RuntimeException error;
        /** Written last by the leader: publishes result and error to the waiter. */
        volatile boolean done;

        Pending(Q request, Thread waiter) {
            this.request = request;
            this.waiter = waiter;
        }
    }
}
