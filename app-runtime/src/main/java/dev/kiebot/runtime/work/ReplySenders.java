package dev.kiebot.runtime.work;

import dev.kiebot.core.shop.ReplySender;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that deliver the outbox. Each sends the next due reply, again and again; with nothing due it
 * sleeps until the next paced chat's turn, a wake-up (a reply was queued here or by another instance), or
 * the safety poll — never asking the database several times a second while idle.
 */
public final class ReplySenders implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplySenders.class);
    static final Duration SAFETY_POLL = Duration.ofSeconds(5);
    static final Duration BACKOFF_MAX = Duration.ofSeconds(5);

    private final ReplySender sender;
    private final Clock clock;
    private final int threads;
    private final Wakeup wakeup;
    private final Outage outage = new Outage(LOG, "delivering replies");
    private final AtomicBoolean running = new AtomicBoolean();
    private ExecutorService pool;

    public ReplySenders(ReplySender sender, Clock clock, int threads) {
        this.sender = sender;
        this.clock = clock;
        this.threads = threads;
        this.wakeup = new Wakeup(threads);
    }

    /** A reply was queued: wake an idle sender now. */
    public void wake() {
        wakeup.wake();
    }

    public synchronized void start(String instance) {
        if (running.getAndSet(true)) {
            return;
        }
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new SynchronousQueue<>(),
                new DaemonThreads("replies-" + instance), new ThreadPoolExecutor.AbortPolicy());
        for (int i = 0; i < threads; i++) {
            pool.submit(this::loop);
        }
    }

    private void loop() {
        Duration backoff = Duration.ofMillis(100);
        while (running.get()) {
            try {
                boolean sent = sender.sendNext();
                outage.over();
                if (!sent) {
                    wakeup.await(idle());
                }
                backoff = Duration.ofMillis(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                outage.failed(e, backoff.toMillis());
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : backoff.multipliedBy(2);
            }
        }
    }

    /** Until the next paced reply is due, at most the safety poll. */
    private Duration idle() {
        Instant now = clock.instant();
        return sender.nextDueAt().filter(due -> due.isAfter(now))
                .map(due -> Duration.between(now, due).plusMillis(1))
                .filter(d -> d.compareTo(SAFETY_POLL) < 0)
                .orElse(SAFETY_POLL);
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops after the replies being sent; what is still queued waits for the next start. */
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

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }
}
