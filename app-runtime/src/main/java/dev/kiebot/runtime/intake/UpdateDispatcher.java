package dev.kiebot.runtime.intake;

import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.runtime.work.DaemonThreads;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Hands recorded updates to the storefront: a few threads claim updates from the inbox (one
 * chat at a time, in order, across all instances), handle them and mark them done. A handler
 * failure never stops the loop; the update is marked done so a poison update cannot block its
 * chat forever (the storefront has already answered the user).
 */
public final class UpdateDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UpdateDispatcher.class);
    /** How long a claim lasts; a handler taking longer lets another instance retry the update. */
    static final Duration CLAIM = Duration.ofMinutes(2);
    /** Idle wait before looking at the database again for updates other instances recorded. */
    static final long IDLE_MILLIS = 250;

    private final ProcessedUpdates store;
    private final Function<String, Optional<Incoming>> translate;
    private final Consumer<Incoming> handler;
    private final Clock clock;
    private final String instance;
    private final int threads;
    private final Semaphore signal = new Semaphore(0);
    private final AtomicBoolean running = new AtomicBoolean();
    private ExecutorService pool;

    public UpdateDispatcher(ProcessedUpdates store, Function<String, Optional<Incoming>> translate,
                            Consumer<Incoming> handler, Clock clock, String instance, int threads) {
        this.store = store;
        this.translate = translate;
        this.handler = handler;
        this.clock = clock;
        this.instance = instance;
        this.threads = threads;
    }

    /** New work was recorded here: wake an idle thread now instead of after the idle wait. */
    public void wake() {
        if (signal.availablePermits() < threads) {
            signal.release();
        }
    }

    public synchronized void start() {
        if (running.getAndSet(true)) {
            return;
        }
        // one loop per thread and no queue: a loop more than there are threads is refused, not parked
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new SynchronousQueue<>(),
                new DaemonThreads("updates-" + instance), new ThreadPoolExecutor.AbortPolicy());
        for (int i = 0; i < threads; i++) {
            pool.submit(this::loop);
        }
    }

    private void loop() {
        while (running.get()) {
            try {
                if (!handleOne()) {
                    signal.tryAcquire(IDLE_MILLIS, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("update loop error; continuing", e);
                sleepQuietly();
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(IDLE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Claims and handles one update. @return false if there was none */
    public boolean handleOne() {
        Optional<PendingUpdate> claimed = store.claim(instance, clock.instant(), CLAIM);
        if (claimed.isEmpty()) {
            return false;
        }
        PendingUpdate u = claimed.get();
        MDC.put("cid", "upd_" + u.updateId());
        try {
            Optional<Incoming> incoming = translate.apply(u.payload());
            if (incoming.isPresent()) {
                handler.accept(incoming.get());
            } else {
                LOG.debug("update ignored (group chatter or not for us)");
            }
        } catch (RuntimeException e) {
            LOG.error("handling failed; marking the update done", e);
        } finally {
            store.done(u.updateId(), clock.instant());
            MDC.remove("cid");
        }
        return true;
    }

    /** Handles everything currently claimable (tests and shutdown). @return how many */
    public int drain() {
        int n = 0;
        while (handleOne()) {
            n++;
        }
        return n;
    }

    /** Stops claiming and waits up to {@code grace} for in-flight updates to finish. */
    public synchronized void stop(Duration grace) {
        if (!running.getAndSet(false) || pool == null) {
            return;
        }
        pool.shutdown();
        signal.release(threads);
        try {
            if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }
}
