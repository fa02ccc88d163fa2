package dev.kiebot.runtime.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.EventsHandler;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request's headers must be complete within {@code HTTP_HEADER_DEADLINE_MS} of their first byte, or its connection
 * is closed. Jetty 12 has no such deadline: its idle timeout starts again at every byte and its minimum data rate
 * ({@code MinimumDataRateHandler}) reads the body only, once a handler has the request, so a client dripping a header
 * byte every few seconds held a connection for ever. {@link ConnectionsPerAddress} bounds how many one address holds,
 * but behind a proxy (Render) every client has the proxy's address.
 *
 * <p>A connection waits for a request's headers from its open and from each response's end until the request reaches
 * the server's handler ({@link #events()}). A look every quarter of the deadline marks the first one that finds new
 * bytes as the request's beginning and closes the connection a deadline after it: the headers get the deadline and up
 * to a quarter more from their first byte. A connection that sends nothing (a kept-alive one between requests) is left
 * to Jetty's idle timeout: closing it here would race a client reusing it. With no connection open nothing looks: a
 * bot idle between updates is not woken every quarter of the deadline.
 *
 * <p>One WARN when a spell of closes begins, and no other until none came for {@link #SPELL_ENDS_AFTER};
 * {@code kiebot_http_headers_late_total} counts them all.
 */
final class HeaderDeadline extends AbstractLifeCycle implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(HeaderDeadline.class);

    /** A close after this long without one begins a new spell, told again. */
    static final Duration SPELL_ENDS_AFTER = Duration.ofMinutes(1);
    private static final int LOOKS_PER_DEADLINE = 4;
    /** {@link Waiting#begun} of a connection whose request has not begun. */
    private static final long NOT_BEGUN = Long.MIN_VALUE;
    /** A connection whose request's headers are complete: the server's handler has it, no deadline runs. */
    private static final Waiting IN_REQUEST = new Waiting(-1, NOT_BEGUN);

    private final Duration deadline;
    private final Supplier<Scheduler> scheduler;
    private final Map<Connection, Waiting> waiting = new ConcurrentHashMap<>();
    /** {@link System#nanoTime} of the last close; {@code Long.MIN_VALUE} before any. */
    private final AtomicLong lastClose = new AtomicLong(Long.MIN_VALUE);
    private final Counter late;
    private volatile Scheduler.Task nextLook;
    /** Whether a look is scheduled or running: one at a time, none while no connection is open. */
    private final AtomicBoolean looking = new AtomicBoolean();

    /**
     * A connection waiting for a request's headers.
     *
     * @param bytesIn the bytes it had sent when it began to wait (or at the last look that found none new)
     * @param begun   {@link System#nanoTime} of the first look that found new bytes ({@link #NOT_BEGUN} before)
     */
    private record Waiting(long bytesIn, long begun) {
    }

    /** @param scheduler the server's, asked for at the start (Jetty's server makes it with itself) */
    HeaderDeadline(Duration deadline, Supplier<Scheduler> scheduler, MeterRegistry metrics) {
        this.deadline = deadline;
        this.scheduler = scheduler;
        this.late = Counter.builder("kiebot.http.headers.late")
                .description("connections closed because a request's headers were not complete within "
                        + "HTTP_HEADER_DEADLINE_MS of their first byte").register(metrics);
    }

    /** The server's handler, which hears when a request's headers are complete and when its response is done. */
    Handler.Wrapper events() {
        return new EventsHandler() {
            @Override
            protected void onBeforeHandling(Request request) {
                waiting.computeIfPresent(request.getConnectionMetaData().getConnection(), (c, w) -> IN_REQUEST);
            }

            @Override
            protected void onComplete(Request request, int status, HttpFields headers, Throwable failure) {
                waiting.computeIfPresent(request.getConnectionMetaData().getConnection(),
                        (c, w) -> new Waiting(c.getBytesIn(), NOT_BEGUN));
            }
        };
    }

    @Override
    public void onOpened(Connection connection) {
        waiting.put(connection, new Waiting(connection.getBytesIn(), NOT_BEGUN));
        lookSoon();
    }

    @Override
    public void onClosed(Connection connection) {
        waiting.remove(connection);
    }

    @Override
    protected void doStart() {
        lookSoon();
    }

    @Override
    protected void doStop() {
        Scheduler.Task task = nextLook;
        if (task != null) {
            task.cancel();
        }
        waiting.clear();
        looking.set(false);
    }

    /** A look a quarter of the deadline from now, unless one is coming or no connection is open. */
    private void lookSoon() {
        // a connection opened while the last look was ending: that look's end schedules the next one
        if (waiting.isEmpty() || !(isStarting() || isStarted()) || !looking.compareAndSet(false, true)) {
            return;
        }
        try {
            nextLook = scheduler.get().schedule(this::lookAndAgain, deadline.toNanos() / LOOKS_PER_DEADLINE,
                    TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            looking.set(false); // the scheduler stopping with the server: the next connection tries again
            throw e;
        }
    }

    private void lookAndAgain() {
        try {
            look(System.nanoTime());
        } catch (RuntimeException e) {
            LOG.warn("looking for requests whose headers are late failed", e);
        } finally {
            looking.set(false);
            if (isRunning()) {
                lookSoon();
            }
        }
    }

    // a ConcurrentHashMap: changed while walked, by design; IN_REQUEST is a marker, one instance, told by identity
    @SuppressWarnings({"ModifyCollectionInEnhancedForLoop", "ReferenceEquality"})
    private void look(long now) {
        for (Map.Entry<Connection, Waiting> entry : waiting.entrySet()) {
            Connection connection = entry.getKey();
            Waiting w = entry.getValue();
            if (w == IN_REQUEST) {
                continue;
            }
            if (w.begun() == NOT_BEGUN) {
                long bytes = connection.getBytesIn();
                if (bytes != w.bytesIn()) {
                    waiting.replace(connection, w, new Waiting(bytes, now));
                }
            } else if (now - w.begun() >= deadline.toNanos() && waiting.remove(connection, w)) {
                close(connection, now);
            }
        }
    }

    private void close(Connection connection, long now) {
        late.increment();
        long before = lastClose.getAndSet(now);
        if (before == Long.MIN_VALUE || now - before > SPELL_ENDS_AFTER.toNanos()) {
            SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
            String who = remote instanceof InetSocketAddress inet && inet.getAddress() != null
                    ? inet.getAddress().getHostAddress() : "a client";
            LOG.warn("{} did not complete a request's headers within HTTP_HEADER_DEADLINE_MS ({} ms) of their first "
                    + "byte: its connection is closed (a client sending slowly on purpose, slowloris, or one on a very "
                    + "poor line); kiebot_http_headers_late_total counts them, no other line until none was closed "
                    + "for {} s", who, deadline.toMillis(), SPELL_ENDS_AFTER.toSeconds());
        }
        connection.getEndPoint().close();
    }
}
