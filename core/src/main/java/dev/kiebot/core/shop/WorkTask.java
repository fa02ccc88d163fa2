package dev.kiebot.core.shop;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One task of {@link ShopWork}: its failures logged, not thrown (which would cancel it for good); a wake-up queued at
 * most once; and, for a task that says when its next work falls due, at most one timed run pending.
 */
final class WorkTask implements Runnable {
    private static final System.Logger LOG = System.getLogger(ShopWork.class.getName());
    /**
     * The soonest a task's timed run comes after the run that scheduled it, however soon its work falls due: work
     * due at once (a chat due meanwhile, more jobs than the run's passes took) goes 10 ms later, not in a spinning
     * thread. A store that keeps saying "due now" while handing nothing out is slowed further, see
     * {@link #FRUITLESS_DOUBLINGS_MAX}.
     */
    static final Duration TIMED_RUN_MIN = Duration.ofMillis(10);
    /**
     * Each run in a row that took nothing though its store said work was due by now doubles that floor (a row of
     * them: 10, 20, 40 ms ... until it reaches the safety tick, after which only the tick asks), so a store out of
     * step with itself (a due time for a chat or job another process holds, say) costs a handful of queries a tick,
     * not 100 a second; a run that takes work ends the row. The cap only keeps the shift in range.
     */
    static final int FRUITLESS_DOUBLINGS_MAX = 30;

    /**
     * What one run of a task did.
     *
     * @param tookWork whether it took any work from its store (a reply sent, a job leased)
     * @param untilDue how long until its next work falls due (empty: nothing waits, or it cannot tell)
     */
    record RunOutcome(boolean tookWork, Optional<Duration> untilDue) {
        /** A task that does not say when its next work falls due: its tick alone runs it. */
        static final RunOutcome UNTIMED = new RunOutcome(true, Optional.empty());
    }

    private final String name;
    private final ScheduledExecutorService scheduler;
    /** Runs once; says whether it took work and how long until its next work falls due. */
    private final Supplier<RunOutcome> body;
    /** A timed run further away than this is not scheduled: the tick comes first and looks again. */
    private final Duration tick;
    private final AtomicBoolean wakeUpQueued = new AtomicBoolean();
    @SuppressWarnings("UnnecessaryLambda") // one object queued each time: the flag is about that one
    private final Runnable wakeUp = () -> {
        // cleared by the wake-up's own run only: a tick starting meanwhile leaves the one queued where it is
        wakeUpQueued.set(false);
        run();
    };
    /** The pending timed run, its due time ({@link System#nanoTime()}) and its number; guarded by {@code this}. */
    private ScheduledFuture<?> timedRun;
    private long timedRunAt;
    private long timedRuns;
    /** Runs in a row that took nothing though work was due ({@link #FRUITLESS_DOUBLINGS_MAX}); guarded by this. */
    private int fruitlessRuns;
    /** Runs of this task at once at most: the scheduler's threads are shared, and one slow task must not take all. */
    private final int runsMax;
    private final AtomicInteger running = new AtomicInteger();
    /** The tasks it shares a limit with (replies and the broadcast, both on the chat platform), if any. */
    private final Optional<WorkLane> lane;
    /**
     * A run was asked for and has not started yet: set by every tick, wake-up and timed run before it tries for a
     * place, cleared by the run that starts. One turned away leaves it set, and each run in hand (of this task, or of
     * its lane's) looks at it once it has given its place back.
     */
    private final AtomicBoolean runAgain = new AtomicBoolean();

    /** A task whose tick alone runs it (and wake-ups, if it gets any), one run at a time. */
    WorkTask(String name, Runnable body, ScheduledExecutorService scheduler) {
        this(name, body, Optional.empty(), scheduler);
    }

    /** As {@link #WorkTask(String, Runnable, ScheduledExecutorService)}, its runs counted in {@code lane} as well. */
    WorkTask(String name, Runnable body, Optional<WorkLane> lane, ScheduledExecutorService scheduler) {
        this(name, () -> {
            body.run();
            return RunOutcome.UNTIMED;
        }, ShopWork.Settings.TICK_MAX, 1, lane, scheduler);
    }

    WorkTask(String name, Supplier<RunOutcome> body, Duration tick, int runsMax, Optional<WorkLane> lane,
             ScheduledExecutorService scheduler) {
        if (runsMax < 1) {
            throw new IllegalArgumentException("runsMax must be at least 1, got " + runsMax);
        }
        this.name = name;
        this.body = body;
        this.tick = tick;
        this.runsMax = runsMax;
        this.lane = lane;
        this.scheduler = scheduler;
        lane.ifPresent(l -> l.join(this));
    }

    /**
     * A tick, a wake-up or a timed run: runs the task unless {@link #runsMax} runs are in hand already, or its lane is
     * full, in which case a run in hand runs the task once more when it ends, so what woke this one is not lost.
     * Replies waiting on a slow chat platform took every thread before, and the job worker and the upkeep waited
     * behind them; then a broadcast, which waits on the platform too, took the last one.
     *
     * <p>The ask is made before the try: a run in hand that ends after it sees it, and one that ended before it left
     * its place free for the try. Asked after a failed try, an ask made as the last run in hand ended was seen by
     * nobody.
     */
    @Override
    public void run() {
        runAgain.set(true);
        while (runAgain.get() && enter()) {
            runAgain.set(false); // this run, starting now, answers every ask made so far
            try {
                runOnce();
            } finally {
                leave();
            }
        }
    }

    /** Whether a run was asked for and turned away, and has not started since: its lane's next end wakes it. */
    boolean waiting() {
        return runAgain.get();
    }

    /** Takes a place of this task's and one of its lane's, both or neither. */
    private boolean enter() {
        if (running.incrementAndGet() > runsMax) {
            running.decrementAndGet();
            return false;
        }
        if (lane.isPresent() && !lane.get().enter()) {
            running.decrementAndGet();
            return false;
        }
        return true;
    }

    private void leave() {
        running.decrementAndGet();
        lane.ifPresent(l -> l.leave(this));
    }

    private void runOnce() {
        RunOutcome outcome;
        try {
            outcome = body.get();
        } catch (RuntimeException | Error e) {
            // an Error too: uncaught, it would end the task's schedule without a word
            LOG.log(System.Logger.Level.ERROR, "shop work \"" + name + "\" failed; it runs again at its next tick",
                    e);
            return; // no timed run: a failing store is asked again at the tick, not 100 times a second
        }
        timeNextRun(outcome);
    }

    /** Runs the task now as well, however many ask before it starts. */
    void soon() {
        if (wakeUpQueued.compareAndSet(false, true)) {
            try {
                scheduler.execute(wakeUp);
            } catch (RejectedExecutionException stopping) {
                // stopping: what was committed waits in the stores for the next start
            }
        }
    }

    /**
     * Runs the task again once its next work falls due (at least {@link #floor()} from now), unless a timed run
     * at or before then is pending already: one pending at most, an earlier one replacing a later one. A run that
     * took nothing though work was due by the floor raises the floor; one that took work lowers it again.
     */
    private synchronized void timeNextRun(RunOutcome outcome) {
        if (outcome.tookWork()) {
            fruitlessRuns = 0;
        }
        if (outcome.untilDue().isEmpty()) {
            return;
        }
        Duration untilDue = outcome.untilDue().get();
        if (!outcome.tookWork() && untilDue.compareTo(floor()) <= 0) {
            fruitlessRuns = Math.min(fruitlessRuns + 1, FRUITLESS_DOUBLINGS_MAX);
        }
        Duration floor = floor();
        Duration delay = untilDue.compareTo(floor) < 0 ? floor : untilDue;
        if (delay.compareTo(tick) >= 0) {
            return; // the tick comes sooner, and its run looks again
        }
        long at = System.nanoTime() + delay.toNanos();
        if (timedRun != null) {
            if (timedRunAt - at <= 0) {
                return; // the one pending comes first: its run looks again
            }
            timedRun.cancel(false); // leaves the queue at once (remove-on-cancel)
            timedRun = null;
        }
        long number = ++timedRuns;
        try {
            timedRun = scheduler.schedule(() -> timedRunStarts(number), delay.toNanos(), TimeUnit.NANOSECONDS);
            timedRunAt = at;
        } catch (RejectedExecutionException stopping) {
            // stopping: what falls due waits in the stores for the next start
        }
    }

    /** {@link #TIMED_RUN_MIN}, doubled for each fruitless run in a row; guarded by this. */
    private Duration floor() {
        return TIMED_RUN_MIN.multipliedBy(1L << fruitlessRuns);
    }

    private void timedRunStarts(long number) {
        synchronized (this) {
            // cleared by its own run only (one replaced meanwhile is not this one): the run may time the next
            if (timedRuns == number) {
                timedRun = null;
            }
        }
        run();
    }

    /** At the stop: a timed run not yet started does not start (the scheduler no longer takes new ones). */
    synchronized void cancelTimedRun() {
        if (timedRun != null) {
            timedRun.cancel(false);
            timedRun = null;
        }
    }
}
