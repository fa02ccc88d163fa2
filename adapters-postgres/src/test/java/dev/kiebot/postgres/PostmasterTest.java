package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded server's port is found free, then bound by the server a moment later: another process taking it in
 * between (a second bot starting beside this one, a build's test server) must not keep the bot from starting, nor
 * leave the bot talking to that process. The ports these tests offer are taken (held the whole time) or free of that
 * race ({@link #portNoOneIsGiven()}): no other process decides how many are asked for.
 */
class PostmasterTest {
    private static final ServerSettings SETTINGS = new ServerSettings(false, 10);

    @Test
    void aPortTakenBeforeTheServerListensOnItIsLeftForAnotherAndTheBotReachesItsOwnServer(@TempDir Path tmp)
            throws Exception {
        Path dir = stoppedCluster(tmp);
        try (ServerSocket other = boundLoopback(0)) {
            List<Integer> offered = new ArrayList<>();
            IntSupplier ports = () -> {
                int port = offered.isEmpty() ? other.getLocalPort() : portNoOneIsGiven();
                offered.add(port);
                return port;
            };
            try (Postmaster server = Postmaster.start(binaries(), dir, SETTINGS, ports)) {
                assertThat(offered).as("the taken port, then another").hasSize(2);
                assertThat(server.port()).isEqualTo(offered.get(1));
                try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + Postmaster.LOOPBACK + ":"
                        + server.port() + "/postgres", DatabaseCluster.SUPERUSER,
                        ClusterPassword.read(dir).orElseThrow());
                     ResultSet r = c.createStatement().executeQuery("SELECT current_setting('listen_addresses')")) {
                    r.next();
                    assertThat(r.getString(1)).as("only where its port was found free")
                            .isEqualTo(Postmaster.LOOPBACK);
                }
            }
        }
    }

    @Test
    void aPortTakenEveryTimeFailsTheStartAfterItsAttempts(@TempDir Path tmp) throws Exception {
        Path dir = stoppedCluster(tmp);
        try (ServerSocket other = boundLoopback(0)) {
            List<Integer> offered = new ArrayList<>();
            IntSupplier ports = () -> {
                offered.add(other.getLocalPort());
                return other.getLocalPort();
            };
            assertThatThrownBy(() -> Postmaster.start(binaries(), dir, SETTINGS, ports))
                    .isInstanceOf(Postmaster.PortTaken.class);
            assertThat(offered).hasSize(Postmaster.PORT_ATTEMPTS_MAX);
        }
    }

    @Test
    void aServerThatFailsForAnotherReasonIsNotTriedOnAnotherPort(@TempDir Path tmp) throws Exception {
        Path dir = stoppedCluster(tmp);
        // a directory PostgreSQL no longer takes for its own
        Files.move(dir.resolve("PG_VERSION"), tmp.resolve("PG_VERSION.moved"));
        List<Integer> offered = new ArrayList<>();
        IntSupplier ports = () -> {
            int port = portNoOneIsGiven();
            offered.add(port);
            return port;
        };
        assertThatThrownBy(() -> Postmaster.start(binaries(), dir, SETTINGS, ports))
                .isInstanceOf(IllegalStateException.class).isNotInstanceOf(Postmaster.PortTaken.class);
        assertThat(offered).hasSize(1);
    }

    /** A data directory with its password, its server stopped. */
    private static Path stoppedCluster(Path tmp) {
        Path dir = tmp.resolve("pg");
        EmbeddedDatabase.startIn(dir, SETTINGS, true).close();
        return dir;
    }

    private static PostgresBinaries binaries() {
        return PostgresBinaries.unpackedUnder(PostgresBinaries.defaultCacheRoot());
    }

    private static ServerSocket boundLoopback(int port) throws Exception {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress(InetAddress.getByName(Postmaster.LOOPBACK), port));
        return socket;
    }

    /**
     * A port free now that the system gives no other process meanwhile unless it asks for that very port: one below the
     * range it picks from for a bind to port 0 and for outgoing connections (Linux's setting, read where it can be; at
     * most 32768, where Linux's default range starts, below macOS's 49152), from a random start, so that builds side by
     * side try different ones. A port the system picked (bound to 0, then closed) could go to another test's connection
     * before the server bound it: a third port was asked for, or the server that fails for another reason was found a
     * port taken and tried again.
     */
    private static int portNoOneIsGiven() {
        int from = 10_000;
        int span = Math.min(32_768, lowestPortTheSystemPicks()) - from;
        int start = span > 0 ? ThreadLocalRandom.current().nextInt(span) : 0;
        for (int i = 0; i < span; i++) {
            int port = from + (start + i) % span;
            try (ServerSocket probe = boundLoopback(port)) {
                return probe.getLocalPort();
            } catch (Exception e) {
                // taken: the next one
            }
        }
        throw new IllegalStateException("no free port from " + from + " below the range the system picks from");
    }

    private static int lowestPortTheSystemPicks() {
        try {
            // by lines: read whole (Files.readString), it came back as its first byte on a sandboxed kernel
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0)
                    .trim().split("\\s+")[0]);
        } catch (Exception e) {
            return 32_768; // not Linux: macOS and Windows pick from 49152
        }
    }
}
