package dev.kiebot.runtime.work;

import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.shop.ConnectionLoss;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.ShopWork;
import dev.kiebot.core.shop.Upkeep;
import dev.kiebot.runtime.loops.DaemonThreads;
import dev.kiebot.runtime.loops.Outage;
import dev.kiebot.runtime.loops.SafetyPoll;
import dev.kiebot.runtime.loops.WorkerLoops;
import dev.kiebot.runtime.metrics.ObservedJobs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The periodic work of an instance: move jobs forward, send queued broadcasts, void expired holds, forget old
 * updates and events, tell the admins of replies stuck in the outbox, of late generations and of Kie credits running
 * low (core's upkeep; with KIE_LOW_CREDITS=0 the credits are read here, for the gauge alone), expire card / SBP
 * requests nobody confirmed, and let an idle instance's database connections go.
 * Every task catches its own failures; the schedule never dies. The periodic tasks run on
 * the safety poll's beat ({@link SafetyPoll}), as the idle loops' looks do.
 */
public final class BackgroundWork implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundWork.class);
    /** Jobs (or broadcast recipients) per pass; a full batch is followed by another pass at once. */
    static final int BATCH_ITEMS = 20;
    /** The periodic tasks {@link #start()} schedules; nothing else ever enters the scheduler's queue. */
    static final int PERIODIC_TASKS = 7;
    /** The periodic task that watches the handlers for a stall ({@code HandlingStall}), when one is given. */
    static final String INBOX_WATCH = "inbox watch";
    static final int THREADS = 3;
    /** Core's upkeep task that reads the credits when KIE_LOW_CREDITS is more than 0; the gauge's read otherwise. */
    static final String CREDITS = Upkeep.CREDITS_TASK;
    /** While a broadcast has recipients left, its next batch goes out this long after the last. */
    static final Duration BROADCAST_EVERY = Duration.ofSeconds(5);
    /**
     * Longer than any beat: core's broadcasts look at the database on their own only when told, and the first tick
     * of each beat tells them ({@link #broadcastTick}); their own idle look would fall wherever the last woken look
     * did, off the beat.
     */
    static final Duration BROADCASTS_OWN_LOOK_EVERY = Duration.ofDays(1);
    /**
     * Threads that move jobs forward, each one job at a time. A job's step waits on Kie (a status read, up to one
     * request's timeout; a createTask, up to {@code JobWorker.SUBMIT_WINDOW}): on one thread, one task whose reads
     * hung held every other job behind it, a new paid order 83 s before it reached Kie and deadlines as late.
     * Three let a new order and a deadline through beside two slow steps; each leases only the job it takes, so a
     * lease ({@code JobWorker.LEASE}) covers one step, not a batch of them. No more: the steps share the key's rate
     * limits and the database pool, and a Kie that hangs for every task is not helped by more waiting threads.
     */
    static final int JOB_THREADS = 3;
    /** How long closing waits for the job steps in progress. */
    static final Duration JOB_LOOP_STOP = Duration.ofSeconds(5);
    /** How deep {@link #interruption} looks among causes: a cycle of causes must not hold a task's thread. */
    private static final int CAUSES_MAX = 16;

    private final Shop shop;
    private final GenerationProvider provider;
    private final Clock clock;
    /** With nothing due, the job worker (and the broadcast tick) look at the database on their own this often. */
    private final SafetyPoll safetyPoll;
    private final ScheduledExecutorService scheduler =
            Executors.newScheduledThreadPool(THREADS, new DaemonThreads("background-work"));
    /** The periodic tasks' names, in the order {@link #start()} scheduled them. */
    private final List<String> scheduled = new ArrayList<>();
    /** {@link #JOB_THREADS} job threads; only one of them keeps the safety poll while no job is due. */
    private final WorkerLoops jobLoops;
    /**
     * The jobs' passes and the broadcasts' looks, scheduled here rather than by core's ShopWork: with no broadcast
     * known to be waiting, the broadcast tick asks the database once per safety poll.
     */
    private final ShopWork.Parts parts;
    /** The beat of the broadcasts' last idle look: the first tick of each beat asks the database. */
    private volatile long broadcastsLookedAtBeat = Long.MIN_VALUE;
    /** After a long tick, no batch before {@link #broadcastsQuietUntilNanos}: a running broadcast's pause. */
    private volatile boolean broadcastsPausing;
    private volatile long broadcastsQuietUntilNanos;
    /** Closes the pooled database connections when none is in use, nor was for the time given. */
    private final Consumer<Duration> releaseIdleConnections;
    /** Run once a beat, within its look window: the handlers' stall watch. */
    private final Optional<Runnable> inboxWatch;

    /**
     * @param provider               the metered provider, read every 10 minutes for its credits gauge unless core's
     *                               upkeep reads it (the shop built with {@code lowCredits})
     * @param releaseIdleConnections run a little after each beat's idle looks: closes the pooled connections if
     *                               none is in use, nor was taken or given back for the time it is given (the
     *                               database's {@code releaseIdleConnections}): a bot at work keeps them
     */
    public BackgroundWork(Shop shop, GenerationProvider provider, Clock clock, SafetyPoll safetyPoll,
                          Consumer<Duration> releaseIdleConnections) {
        this(shop, provider, clock, safetyPoll, releaseIdleConnections, Optional.empty());
    }

    /**
     * @param inboxWatch run once a beat within its look window, with the other looks (before the idle connections
     *                   go): the runtime's {@code HandlingStall.check}, which warns when updates stop moving
     */
    public BackgroundWork(Shop shop, GenerationProvider provider, Clock clock, SafetyPoll safetyPoll,
                          Consumer<Duration> releaseIdleConnections, Optional<Runnable> inboxWatch) {
        this.inboxWatch = inboxWatch;
        this.shop = shop;
        this.provider = provider;
        this.clock = clock;
        this.safetyPoll = safetyPoll;
        this.releaseIdleConnections = releaseIdleConnections;
        this.parts = ShopWork.Parts.of(shop, ShopWork.Settings.defaults().withBatch(BATCH_ITEMS)
                .withBroadcastsIdleEvery(BROADCASTS_OWN_LOOK_EVERY), clock);
        this.jobLoops = new WorkerLoops("jobs", JOB_THREADS, this::advanceOneJob, safetyPoll,
                new Outage(LOG, "jobs"));
    }

    public synchronized void start() {
        jobLoops.start();
        every("broadcasts", BROADCAST_EVERY, lookWithinWindow(), () -> broadcastTick(System.nanoTime()));
        // core's upkeep, as a partner schedules it: expired holds back, unconfirmed requests expired, old rows purged,
        // and with KIE_LOW_CREDITS above 0 the credits read and the admins told when they run low
        List<Upkeep.Task> upkeep = shop.upkeep().tasks();
        for (Upkeep.Task task : upkeep) {
            every(task.name(), task.every(), lookWithinWindow(), task.run());
        }
        if (upkeep.stream().noneMatch(task -> task.name().equals(CREDITS))) {
            // the gauge's read, the same ten minutes: Kie is asked once either way
            every(CREDITS, Upkeep.CREDITS_EVERY, lookWithinWindow(), this::readCredits);
        }
        inboxWatch.ifPresent(watch -> every(INBOX_WATCH, safetyPoll.period(), lookWithinWindow(), watch));
        // after the beat's looks (each within its first window): what they opened is closed until the next beat,
        // unless the pool was used since (the looks end a window before; work uses it more often than that)
        every("connections", safetyPoll.period(), safetyPoll.lookWindow().multipliedBy(2),
                () -> releaseIdleConnections.accept(safetyPoll.lookWindow().dividedBy(2)));
    }

    /** The periodic tasks {@link #start()} scheduled, by name (tests). */
    synchronized List<String> scheduled() {
        return List.copyOf(scheduled);
    }

    /** A periodic task's place in the beat's look window, at random, so that tasks do not meet at one instant. */
    private Duration lookWithinWindow() {
        return Duration.ofNanos(ThreadLocalRandom.current().nextLong(safetyPoll.lookWindow().toNanos() + 1));
    }

    @SuppressWarnings("FutureReturnValueIgnored") // the task catches what it throws (RuntimeException, Error) and logs it
    private void every(String name, Duration period, Duration afterBeat, Runnable task) {
        // a scheduler's queue cannot be given a capacity: the bound is that only start() adds to it, once
        scheduled.add(name);
        if (scheduled.size() > PERIODIC_TASKS) {
            throw new IllegalStateException("more than " + PERIODIC_TASKS + " periodic tasks; start() runs once");
        }
        Outage outage = new Outage(LOG, name);
        // at a fixed rate from a beat, so a task that uses the database does so during the beat's idle looks
        scheduler.scheduleAtFixedRate(() -> {
            MDC.put("cid", name);
            try {
                task.run();
                outage.over();
            } catch (RuntimeException | Error e) {
                // uncaught, anything (an Error too) would cancel the task's later runs without a word
                failed(name, outage, e, period);
            } finally {
                MDC.remove("cid");
            }
        }, safetyPoll.untilFirstRun(period, afterBeat).toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** A broadcast was queued: its first batch goes out at the next tick. */
    public void wakeBroadcasts() {
        parts.broadcastsQueued();
    }

    /** A job was created or a provider said a task moved: look at the jobs now. */
    public void wakeJobs() {
        jobLoops.wake();
    }

    /**
     * One step of a job thread: the next due job leased and moved forward, then at once the next; with none due, a
     * rest until the earliest job's next check, a wake-up, or the safety poll. Jobs are looked at when they are due,
     * not on a fixed tick.
     */
    private Duration advanceOneJob() {
        // the leased job's id takes its place for the job's lines (ObservedJobs.lease)
        MDC.put("cid", ObservedJobs.JOB_THREAD);
        try {
            return shop.worker().runOnce(1) > 0 ? Duration.ZERO : untilNextCheck();
        } finally {
            MDC.remove("cid");
            MDC.remove("job");
        }
    }

    /**
     * A lost database is an outage, logged once; a task the stop interrupted (after its wait, {@link #close}) is the
     * stop's doing, one line without a trace; any other failure is a bug or bad data, logged every time.
     */
    private void failed(String task, Outage outage, Throwable e, Duration retry) {
        if (scheduler.isShutdown() && interruption(e)) {
            LOG.info("{} was interrupted by the stop ({}); what it had left is done after the next start", task,
                    e.toString());
        } else if (ConnectionLoss.in(e)) {
            outage.failed(e, retry.toMillis());
        } else {
            LOG.error("{} failed; will run again", task, e);
        }
    }

    /** Whether {@code e} came of this thread's interruption: its flag still set, or an interruption in its causes. */
    static boolean interruption(Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        Throwable cause = e;
        for (int depth = 0; cause != null && depth < CAUSES_MAX; depth++, cause = cause.getCause()) {
            if (cause instanceof InterruptedException || cause instanceof java.io.InterruptedIOException
                    || cause instanceof java.nio.channels.ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }

    /** Until the earliest job may be looked at again, at most the safety poll. */
    private Duration untilNextCheck() {
        Instant now = clock.instant();
        return shop.stores().jobs().nextCheckAt()
                .map(at -> safetyPoll.until(at, now))
                .orElse(safetyPoll.period());
    }

    /** Passes of the job worker until a batch is not full (public for tests). @return jobs looked at */
    public int advanceJobs() {
        return parts.advanceJobs();
    }


    /**
     * Broadcast batches until none is left or the tick's budget is spent. With no broadcast known to be waiting,
     * the tick looks at the database only at the first tick of each beat (a queued broadcast wakes it). A tick that
     * took longer than half a tick (a running broadcast's batches, paced with every other message) is followed by
     * {@link #BROADCAST_EVERY} without batches: at a fixed rate the ticks it overran would otherwise run at once, one
     * after another, and users' replies would wait behind a broadcast that never pauses.
     */
    void broadcastTick(long nowNanos) {
        long beat = safetyPoll.beat(nowNanos);
        if (beat != broadcastsLookedAtBeat) {
            broadcastsLookedAtBeat = beat;
            parts.broadcastsQueued();
        }
        if (broadcastsPausing && nowNanos - broadcastsQuietUntilNanos < 0) {
            return; // what the beat asked is looked at by the first tick after the pause
        }
        parts.sendBroadcasts();
        long tookNanos = System.nanoTime() - nowNanos;
        broadcastsPausing = tookNanos > BROADCAST_EVERY.toNanos() / 2;
        broadcastsQuietUntilNanos = nowNanos + tookNanos + BROADCAST_EVERY.toNanos();
    }

    /** Broadcast batches now, if one is known to be waiting (tests). */
    public void sendBroadcasts() {
        parts.sendBroadcasts();
    }

    /** Core's cleanup, run now (tests; the schedule runs it hourly); it logs what it removed. */
    public void cleanup() {
        shop.upkeep().cleanup();
    }

    /** Card / SBP requests past PAYMENT_EXPIRE_HOURS expire and their users are told (tests; the schedule runs it). */
    public void expireManualTopUps() {
        shop.upkeep().expireManualTopUps();
    }

    /**
     * Reads Kie's credits for the {@code kiebot_provider_credits} gauge (the provider given is the metered one, which
     * keeps what it last answered), when core's upkeep does not read them already: with {@code KIE_LOW_CREDITS=0} the
     * shop has no {@code credits} task, and the gauge would otherwise stay empty until an admin opened the dashboard.
     */
    void readCredits() {
        try {
            provider.credits();
        } catch (ProviderException e) {
            LOG.warn("credit check failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        jobLoops.stop(JOB_LOOP_STOP);
        parts.stopBroadcasts();
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            scheduler.shutdownNow();
        }
    }
}
