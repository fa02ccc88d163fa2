package dev.kiebot.telegram;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link RedirectGuard}'s host lookups, off the download's thread and waited for no longer than its deadline: on the
 * download's own thread a DNS server that hangs held it for the resolver's timeout, outside the download's watchdog
 * (which can cancel a request, not a lookup). A lookup cannot be interrupted either, so one given up on keeps its
 * thread until the resolver returns; the callers asking for a host already being looked up share that lookup, so a
 * host whose DNS hangs holds one thread however many downloads ask for it, and the other hosts' lookups go on.
 */
final class HostLookups {
    /** Lookups running at once, for every download of the process: different hosts each hanging hold one each. */
    static final int THREADS_MAX = 4;
    /** Lookups waiting for a thread; more are refused at once. */
    static final int QUEUED_MAX = 64;

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ThreadPoolExecutor POOL = pool();
    /** One lookup under way per resolver and host (its entry gone once it answered). */
    private static final ConcurrentHashMap<Key, CompletableFuture<List<InetAddress>>> UNDER_WAY =
            new ConcurrentHashMap<>();

    private record Key(RedirectGuard.Resolver resolver, String host) {
    }

    private HostLookups() {
    }

    private static ThreadPoolExecutor pool() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS_MAX, THREADS_MAX, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED_MAX), task -> {
                    Thread t = new Thread(task, "download-lookup-" + THREADS.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true); // none idle between downloads
        return pool;
    }

    /**
     * The host's addresses by {@code resolver}, waited for until {@code byNanos} ({@link System#nanoTime}).
     *
     * @throws UnknownHostException when the resolver says the host has none
     * @throws IOException          when no answer came in time, too many lookups are waiting, or the lookup failed
     */
    static List<InetAddress> addresses(RedirectGuard.Resolver resolver, String host, long byNanos) throws IOException {
        Key key = new Key(resolver, host);
        CompletableFuture<List<InetAddress>> fresh = new CompletableFuture<>();
        CompletableFuture<List<InetAddress>> lookup = UNDER_WAY.putIfAbsent(key, fresh);
        if (lookup == null) {
            lookup = fresh;
            try {
                POOL.execute(() -> lookUp(key, fresh));
            } catch (RejectedExecutionException e) {
                UNDER_WAY.remove(key, fresh);
                fresh.completeExceptionally(e); // those who joined it meanwhile are told the same
                throw new IOException("download failed: too many host lookups waiting");
            }
        }
        try {
            return lookup.get(Math.max(0, byNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // not cancelled: another download may be waiting for the same answer, and the lookup cannot be stopped
            throw new IOException("download failed: the host could not be looked up in time");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException) {
                throw new UnknownHostException("download failed: the host is not known");
            }
            throw new IOException(e.getCause() instanceof RejectedExecutionException
                    ? "download failed: too many host lookups waiting"
                    : "download failed: the host could not be looked up");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private static void lookUp(Key key, CompletableFuture<List<InetAddress>> answer) {
        try {
            answer.complete(key.resolver().addresses(key.host()));
        } catch (Exception e) {
            answer.completeExceptionally(e);
        } catch (Error e) {
            answer.completeExceptionally(e);
            throw e;
        } finally {
            UNDER_WAY.remove(key, answer);
        }
    }
}
