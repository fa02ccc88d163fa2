package dev.kiebot.core.intake;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link Inbox}'s handler threads, started with {@link Inbox#start} and stopped with {@link #close()}: what
 * kiebot's runtime's {@code UpdateDispatcher} threads do, for a partner's door that only records.
 * <ul>
 *   <li>at start they handle what waits (what the last run recorded but did not handle);</li>
 *   <li>{@link Inbox#record} of a new update wakes one at once; another process's record on the same stores wakes
 *       them through {@link #wake()} (PostgreSQL: adapters-postgres' {@code PgNotifications} on
 *       {@code PgProcessedUpdates.CHANNEL});</li>
 *   <li>a failed handling ({@link dev.kiebot.core.shop.ConnectionLoss}, {@link dev.kiebot.core.shop.Contention}, an
 *       {@code Error}: the update left pending) is tried again after a pause, {@link #PAUSE_FIRST} doubled at each
 *       failure in a row up to the safety tick, with no new update needed;</li>
 *   <li>idle, each looks at the inbox once per safety tick on its own: what a lost wake-up, or another process's
 *       record without a notification, left.</li>
 * </ul>
 * Named daemon threads ({@code inbox-<start>-<thread>}), at most one wake-up waiting per thread.
 */
public final class InboxThreads implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(InboxThreads.class.getName());
    /** Thread names are {@code inbox-<start>-<thread>}, so a thread dump says whose a thread is. */
    private static final AtomicInteger STARTS = new AtomicInteger();
    /**
     * The safety tick to start with: an update recorded here wakes a thread at once, so the tick only finds what no
     * wake-up announced (another process's record without notifications, a lost wake-up), within 5 s; an idle
     * thread asks the database once per tick, as {@code ShopWork}'s safety ticks do.
     */
    public static final Duration SAFETY_TICK = Duration.ofSeconds(5);
    /**
     * The shortest tick: each idle thread asks the database once per tick, and a tick of a millisecond (accepted
     * before) had every one of them ask a thousand times a second for what the wake-ups bring at once anyway.
     */
    public static final Duration TICK_MIN = Duration.ofMillis(100);
    /** Ticks longer than this leave the inbox to the wake-ups alone. */
    public static final Duration TICK_MAX = Duration.ofDays(1);
    /** The most threads allowed: each holds a database connection while it handles an update. */
    public static final int THREADS_MAX = 64;
    /**
     * The pause after a failed handling, doubled at each failure in a row up to the safety tick: a contended update
     * is tried again soon ({@link Inbox#CONTENDED_TRIES_MAX} tries then take about {@link Inbox#CONTENDED_FOR_MIN}
     * with the 5 s tick), a database that is away is not asked in a tight loop.
     */
    public static final Duration PAUSE_FIRST = Duration.ofMillis(250);
    /** How long {@link #close()} waits for the updates in hand before interrupting their threads. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /**
     * How long {@link #close()} waits again for the threads it interrupted: an interrupted database call ends its
     * transaction (rolled back) and the thread its loop, so that the stores are not closed under it.
     */
    public static final Duration INTERRUPTED_GRACE = Duration.ofSeconds(2);

    private final Inbox inbox;
    private final Duration tick;
    private final int count;
    private final Semaphore wakeUps = new Semaphore(0);
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    InboxThreads(Inbox inbox, int threads, Duration safetyTick) {
        this.inbox = Objects.requireNonNull(inbox, "inbox");
        Objects.requireNonNull(safetyTick, "safetyTick: e.g. InboxThreads.SAFETY_TICK");
        if (threads < 1 || threads > THREADS_MAX) {
            throw new IllegalArgumentException("threads must be 1 to " + THREADS_MAX + "; was " + threads);
        }
        if (safetyTick.compareTo(TICK_MIN) < 0 || safetyTick.compareTo(TICK_MAX) > 0) {
            throw new IllegalArgumentException("safetyTick must be " + TICK_MIN.toMillis() + " ms to "
                    + TICK_MAX.toHours() + " h: pass InboxThreads.SAFETY_TICK (" + SAFETY_TICK.toSeconds()
                    + " s), or longer; was " + safetyTick);
        }
        this.tick = safetyTick;
        this.count = threads;
        int start = STARTS.incrementAndGet();
        for (int i = 1; i <= threads; i++) {
            Thread t = new Thread(this::run, "inbox-" + start + "-" + i);
            t.setDaemon(true);
            this.threads.add(t);
        }
    }

    void startThreads() {
        threads.forEach(Thread::start);
    }

    /**
     * An update was recorded (by another process on the same stores: {@link Inbox#record} wakes them itself): one
     * idle thread looks now, not at its next tick. Cheap, never blocks, harmless after {@link #close()}.
     */
    public void wake() {
        // at most one waiting per thread: a burst of records costs no more looks than there are threads to look
        if (wakeUps.availablePermits() < count) {
            wakeUps.release();
        }
    }

    @SuppressWarnings("RedundantControlFlow") // the continue carries the comment: a tick looks anyway
    private void run() {
        int failuresInARow = 0;
        while (!stopped()) {
            try {
                while (!stopped() && inbox.handleOne()) {
                    // one update at a time, so that a stop waits for the one in hand only
                }
                if (failuresInARow > 0) {
                    LOG.log(System.Logger.Level.INFO, "handling updates again after {0} failures in a row",
                            failuresInARow);
                }
                failuresInARow = 0;
                if (!wakeUps.tryAcquire(tick.toMillis(), TimeUnit.MILLISECONDS)) {
                    continue; // the tick: look anyway
                }
            } catch (InterruptedException e) {
                return; // close() after its grace
            } catch (RuntimeException | Error e) {
                // the update in hand stays pending (Inbox logged what it gave up): a pause, and again
                failuresInARow++;
                Duration pause = pause(failuresInARow);
                // the type only: a message may quote the update
                LOG.log(failuresInARow == 1 ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                        "handling updates failed ({0}, {1} in a row); again in {2}", e.getClass().getName(),
                        failuresInARow, pause);
                try {
                    if (stopping.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** {@link #PAUSE_FIRST} doubled for each earlier failure in a row, at most the tick. */
    private Duration pause(int failuresInARow) {
        long millis = PAUSE_FIRST.toMillis() << Math.min(failuresInARow - 1, 20);
        return Duration.ofMillis(Math.min(millis, tick.toMillis()));
    }

    private boolean stopped() {
        return stopping.getCount() == 0;
    }

    /**
     * Stops after the updates in hand (each committed or rolled back whole): no thread takes another, and one still
     * busy after {@link #STOP_GRACE} is interrupted and waited for again, up to {@link #INTERRUPTED_GRACE}. What is
     * still recorded waits for the next start. Call it before {@code ShopWork.close()} and the database's. A thread
     * still running after both (a call that ignores interrupts) is logged and left: a daemon, it ends its update
     * when that call returns, committed, or rolled back by the closed database, and the update is then handled again
     * at the next start; the JVM does not wait for it. A second call does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        inbox.stopped(this);
        stopping.countDown();
        wakeUps.release(count);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        try {
            for (Thread t : threads) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            List<Thread> interrupted = new ArrayList<>();
            for (Thread t : threads) {
                if (t.isAlive()) {
                    LOG.log(System.Logger.Level.WARNING, "{0} still handles an update {1} after the stop; "
                            + "interrupting it", t.getName(), STOP_GRACE);
                    t.interrupt();
                    interrupted.add(t);
                }
            }
            // interrupted, a thread still ends its transaction: returning now had the caller close the stores under it
            long again = System.nanoTime() + INTERRUPTED_GRACE.toNanos();
            for (Thread t : interrupted) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(again - System.nanoTime())));
                if (t.isAlive()) {
                    LOG.log(System.Logger.Level.WARNING, "{0} still runs {1} after its interrupt; left to end its "
                            + "update on its own (a daemon: handled again at the next start if not committed)",
                            t.getName(), INTERRUPTED_GRACE);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            threads.forEach(Thread::interrupt);
        }
    }
}
