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
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded server's port is found free, then bound by the server a moment later: another process taking it in
 * between (a second bot starting beside this one, a build's test server) must not keep the bot from starting, nor
 * leave the bot talking to that process.
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
                int port = offered.isEmpty() ? other.getLocalPort() : freePort();
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
            int port = freePort();
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

    private static int freePort() {
        try (ServerSocket s = boundLoopback(0)) {
            return s.getLocalPort();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
