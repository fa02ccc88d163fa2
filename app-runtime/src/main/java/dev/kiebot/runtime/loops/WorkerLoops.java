package dev.kiebot.runtime.loops;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A fixed number of threads, each repeating one step of work: after a step that did something, the next at
 * once; after an idle step, a sleep until a wake-up ({@link #wake}: new work here, or a database notification)
 * or until the rest the step asked for is over ({@link Step}); after a failure, an exponential backoff up to
 * {@link #BACKOFF_MAX}, logged once per outage ({@link Outage}). Stopping lets the steps in hand finish.
 *
 * <p>Only one idle thread at a time keeps the watch: it rests as long as its step said (the safety poll, or until
 * paced work falls due). The others sleep until woken, or until work they were told is due sooner than the safety poll,
 * or {@link #OFF_WATCH_POLLS} safety polls at the longest. So an idle bot asks the database once per safety poll
 * per loop, not once per thread — and a pooled connection that only the safety polls touched is left idle long
 * enough for the pool to close it.
 */
public final class WorkerLoops {
    static final Duration BACKOFF_FIRST = Duration.ofMillis(100);
    static final Duration BACKOFF_MAX = Duration.ofSeconds(5);
    /**
     * The longest sleep of an idle thread that is not keeping the watch, in safety polls (should a wake-up ever be
     * lost, the watcher finds the work alone meanwhile): long enough that the others add little to the watcher's
     * polls, each of which keeps a pooled connection open. Each safety poll it looks whether the watch is kept.
     */
    static final int OFF_WATCH_POLLS = 10;

    private final String name;
    private final int threads;
    private final Step step;
    private final SafetyPoll safetyPoll;
    private final Outage outage;
    private final Wakeup wakeup;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean watchKept = new AtomicBoolean();
    private ExecutorService pool;

    /** One step of a loop's work. */
    @FunctionalInterface
    public interface Step {
        /**
         * Does one piece of work, if there is any.
         *
         * @return how long the thread may rest before its next step unless woken: {@link Duration#ZERO} (or less)
         *         after a step that did something, or when work is due already; at most the safety poll's period,
         *         less when work is known to fall due sooner. The step that found nothing says it, from what it
         *         saw: asked separately, work falling due in between would be missed.
         */
        Duration run();

        /** A step that did something or not; when not, the thread rests a whole safety poll. */
        static Step orSafetyPoll(BooleanSupplier worked, SafetyPoll safetyPoll) {
            return () -> worked.getAsBoolean() ? Duration.ZERO : safetyPoll.period();
        }
    }

    /**
     * @param name       names the threads ({@code name-1}, ...)
     * @param step       one step, saying how long its thread may rest
     * @param safetyPoll the longest rest; a shorter one means work falls due, and every idle thread waits for it
     */
    public WorkerLoops(String name, int threads, Step step, SafetyPoll safetyPoll, Outage outage) {
        this.name = name;
        this.threads = threads;
        this.step = step;
        this.safetyPoll = safetyPoll;
        this.outage = outage;
        this.wakeup = new Wakeup(threads);
    }

    /** There is work: wake an idle thread now. */
    public void wake() {
        wakeup.wake();
    }

    @SuppressWarnings("FutureReturnValueIgnored") // loop catches what a step throws (RuntimeException, Error): a loop ends only at stop
    public synchronized void start() {
        if (running.getAndSet(true)) {
            return;
        }
        // one loop per thread and no queue: a loop more than there are threads is refused, not parked
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new SynchronousQueue<>(),
                new DaemonThreads(name), new ThreadPoolExecutor.AbortPolicy());
        for (int i = 0; i < threads; i++) {
            pool.submit(this::loop);
        }
    }

    private void loop() {
        Duration backoff = BACKOFF_FIRST;
        while (running.get()) {
            try {
                Duration rest = step.run();
                outage.over();
                if (rest.compareTo(Duration.ZERO) > 0) {
                    rest(rest);
                }
                backoff = BACKOFF_FIRST;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // an Error too (a stack overflow, a class that failed to load): uncaught, it would end this thread
                // without a word, and with the last thread of the group its work would never be done again
                outage.failed(e, backoff.toMillis());
                if (!pause(backoff)) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : backoff.multipliedBy(2);
            }
        }
    }

    private void rest(Duration wait) throws InterruptedException {
        if (wait.compareTo(safetyPoll.period()) < 0) {
            wakeup.await(wait); // work falls due: every idle thread is there for it
        } else if (watchKept.compareAndSet(false, true)) {
            try {
                wakeup.await(safetyPoll.rest(wait));
            } finally {
                watchKept.set(false);
            }
        } else {
            restOffWatch();
        }
    }

    /**
     * Until woken, or until the watch is left: the keeper leaves it when woken for work, and a long step (an upload
     * waiting out Telegram's pacing) would otherwise leave nobody polling for up to {@link #OFF_WATCH_POLLS} safety
     * polls. Looking costs no database round trip; the thread that finds the watch free takes a step and then the
     * watch.
     */
    private void restOffWatch() throws InterruptedException {
        for (int polls = 0; polls < OFF_WATCH_POLLS; polls++) {
            if (wakeup.await(safetyPoll.period()) || !watchKept.get()) {
                return;
            }
        }
    }

    /** @return false when interrupted (stopping) */
    private static boolean pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops taking steps and waits up to {@code grace} for the steps in hand. */
    public synchronized void stop(Duration grace) {
        if (!running.getAndSet(false) || pool == null) {
            return;
        }
        pool.shutdown();
        wakeup.wakeAll();
        try {
            if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }
}
