package dev.kiebot.runtime.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections one address may hold open at once ({@code HTTP_CONNECTIONS_PER_ADDRESS}): one past it is closed as
 * it opens. A single client dripping a header byte a second on some thousand connections (slowloris) took every one
 * of the server's {@link HttpEndpoints#CONNECTIONS_MAX} and with them Telegram's posts and the probes; Jetty 12 has
 * no deadline for a request's headers (its idle timeout starts again at every byte, its minimum data rate reads the
 * body only), so the door is counted per address, and {@link HeaderDeadline} bounds how long each is held (behind a
 * proxy every client has the proxy's address). Telegram opens at most 100 to a webhook (40 by default).
 *
 * <p>One WARN when a spell of refusals begins, and no other until none came for {@link #SPELL_ENDS_AFTER} (a flood
 * of closed connections must not become a flood of lines); {@code kiebot_http_connections_refused_total} counts them
 * all.
 */
final class ConnectionsPerAddress implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionsPerAddress.class);

    /** A refusal after this long without one begins a new spell, told again. */
    static final Duration SPELL_ENDS_AFTER = Duration.ofMinutes(1);

    private final int limit;
    private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();
    /**
     * The address each counted connection opened from: a closed connection's endpoint no longer knows its remote
     * address (Jetty answers null once the channel is closed), so {@link #onClosed} read none, never counted one down,
     * and an address that had opened {@code limit} connections in all (one at a time: curl, a proxy, Telegram over
     * days) was refused every new one for good, with a WARN saying it "holds" them.
     */
    private final Map<Connection, InetAddress> counted = new ConcurrentHashMap<>();
    /** {@link System#nanoTime} of the last refusal; {@code Long.MIN_VALUE} before any. */
    private final AtomicLong lastRefusal = new AtomicLong(Long.MIN_VALUE);
    private final Counter refused;

    ConnectionsPerAddress(int limit, MeterRegistry metrics) {
        this.limit = limit;
        this.refused = Counter.builder("kiebot.http.connections.refused")
                .description("connections closed as they opened: their address held HTTP_CONNECTIONS_PER_ADDRESS "
                        + "open already").register(metrics);
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress address = address(connection);
        if (address == null) {
            return;
        }
        counted.put(connection, address);
        int now = open.merge(address, 1, Integer::sum);
        if (now > limit) {
            refused.increment();
            long at = System.nanoTime();
            long before = lastRefusal.getAndSet(at);
            if (before == Long.MIN_VALUE || at - before > SPELL_ENDS_AFTER.toNanos()) {
                LOG.warn("{} holds {} HTTP connections open, more than HTTP_CONNECTIONS_PER_ADDRESS ({}): its new "
                        + "ones are closed as they open (a client holding connections on purpose, slowloris, or a proxy "
                        + "in front: then raise the limit); kiebot_http_connections_refused_total counts them, no "
                        + "other line until none was refused for {} s", address.getHostAddress(),
                        now - 1, limit, SPELL_ENDS_AFTER.toSeconds());
            }
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        InetAddress address = counted.remove(connection);
        if (address == null) {
            return;
        }
        open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** The remote address, or null for a connection that has none (not a network one). */
    private static InetAddress address(Connection connection) {
        SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    /** How many connections {@code address} holds open (tests). */
    int open(InetAddress address) {
        return open.getOrDefault(address, 0);
    }
}
