package dev.kiebot.telegram;

import static dev.kiebot.telegram.SecretFileServer.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bot's download client connects only where its redirect checks looked: a host's DNS that answered the check a
 * public address and 127.0.0.1 (or 169.254.169.254) a moment later had the JDK client, which looks the host up again
 * when it connects, fetch from this machine and the body sent into a user's chat (DNS rebinding). Every server here is
 * on 127.0.0.1; the sockets see every address a connection is asked for and open none off this machine.
 */
class PinnedDownloadClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final long BYTES_MAX = 1 << 20;
    /** Outside every private range: a documentation address (TEST-NET-3). */
    private static final String PUBLIC = "203.0.113.7";

    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
    private final List<InetSocketAddress> connections = new CopyOnWriteArrayList<>();
    /** Public addresses whose connections the sockets carry to a server here, as if it stood there. */
    private final Map<InetSocketAddress, InetSocketAddress> carried = new ConcurrentHashMap<>();
    /** The bot's client, its sockets recording the addresses asked and refusing any off this machine. */
    private final DownloadClient client = new PinnedDownloadClient(Duration.ofSeconds(1), new Recording());
    private SecretFileServer server;
    private int port;

    @BeforeEach
    void start() throws IOException {
        server = SecretFileServer.start();
        port = server.port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int asked(String path) {
        return server.asked(path);
    }

    /** A DNS answering each host {@code first} at its first lookup and {@code then} at every later one. */
    private RedirectGuard.Resolver rebinding(String first, String then) {
        return host -> List.of(InetAddress.getByName(
                lookups.computeIfAbsent(host, h -> new AtomicInteger()).getAndIncrement() == 0 ? first : then));
    }

    @Test
    void aHostWhoseDnsAnswersThePublicInternetToTheCheckAndThisMachineAfterIsNotFetchedFromThisMachine() {
        // the check sees localhost at a public address; the JDK client asked the system again and got 127.0.0.1
        RedirectGuard fromTheInternet = new RedirectGuard(rebinding(PUBLIC, "127.0.0.1")).forUrlsFromTheInternet();
        String url = "http://localhost:" + port + "/file.png";

        assertThatThrownBy(() -> Downloads.get(client, fromTheInternet, url, BYTES_MAX, TIMEOUT, null))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(RedirectGuard.Refused.class)
                .hasMessageStartingWith("download failed")
                .hasMessageNotContaining(url);
        assertThat(asked("/file.png")).as("the server on this machine is not asked").isZero();
        assertThat(connections).as("the connection goes to the address the check saw, and nowhere else")
                .containsOnly(new InetSocketAddress(PUBLIC, port));
    }

    @Test
    void eachHopConnectsToTheAddressesItsCheckSawAndTheirHostsAreLookedUpOnce() throws IOException {
        // a download the caller trusts (a local Bot API server): this machine is within reach, any later answer is not
        RedirectGuard trusted = new RedirectGuard(rebinding("127.0.0.1", PUBLIC));
        String url = "http://files.example:" + port + "/to?http://mirror.example:" + port + "/file.png";

        assertThat(Downloads.get(client, trusted, url, BYTES_MAX, TIMEOUT, null).bytes())
                .asString(StandardCharsets.UTF_8).isEqualTo(SECRET);
        assertThat(lookups).containsOnlyKeys("files.example", "mirror.example");
        assertThat(lookups.values()).as("one lookup a host, for its check; none for the connection")
                .allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(connections).isNotEmpty().containsOnly(new InetSocketAddress("127.0.0.1", port));
    }

    @Test
    void aRedirectToAHostWhoseDnsAnswersThePublicInternetToTheCheckAndThisMachineAfterIsNotFetchedFromThisMachine()
            throws IOException {
        // a CDN on the internet (the sockets carry its public address to a server here) redirects to localhost,
        // which its DNS answers with another public address for the check and 127.0.0.1 after
        HttpServer cdn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        cdn.createContext("/", ex -> {
            ex.getResponseHeaders().add("Location", "http://localhost:" + port + "/file.png");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        cdn.start();
        try {
            int cdnPort = cdn.getAddress().getPort();
            carried.put(new InetSocketAddress(PUBLIC, cdnPort), new InetSocketAddress("127.0.0.1", cdnPort));
            RedirectGuard.Resolver rebindingLocalhost = rebinding("203.0.113.9", "127.0.0.1");
            RedirectGuard fromTheInternet = new RedirectGuard(host -> host.equals("cdn.example")
                    ? List.of(InetAddress.getByName(PUBLIC)) : rebindingLocalhost.addresses(host))
                    .forUrlsFromTheInternet();

            assertThatThrownBy(() -> Downloads.save(client, fromTheInternet, "http://cdn.example:" + cdnPort
                    + "/result.png", BYTES_MAX, TIMEOUT, null))
                    .isInstanceOf(IOException.class)
                    .isNotInstanceOf(RedirectGuard.Refused.class);
            assertThat(asked("/file.png")).as("the server on this machine is not asked").isZero();
            assertThat(connections).containsExactly(new InetSocketAddress(PUBLIC, cdnPort),
                    new InetSocketAddress("203.0.113.9", port));
        } finally {
            cdn.stop(0);
        }
    }

    /**
     * The downloads follow the JVM's proxy properties, as the Bot API's and Kie's clients do, through a tunnel to the
     * checked address ({@link ProxiedDownloadTest}); the start names the proxies, by host and port, in one INFO line
     * where it warned that the downloads went directly.
     */
    @Test
    void theStartNamesTheProxiesTheDownloadsGoThroughWhenTheJvmsPropertiesNameThem() {
        Properties proxied = new Properties();
        proxied.setProperty("https.proxyHost", "proxy.corp.example");
        proxied.setProperty("https.proxyPort", "3128");
        proxied.setProperty("http.proxyHost", " 10.0.0.8 ");

        assertThat(Downloads.proxyFollowed(proxied)).hasValueSatisfying(line -> assertThat(line)
                .startsWith("the bot's downloads follow the JVM's proxy properties as the Bot API's and Kie's calls "
                        + "do: https URLs through proxy.corp.example:3128, http URLs through 10.0.0.8:80; each "
                        + "connection is tunnelled (CONNECT) to the address its host's check saw"));
        Properties system = new Properties();
        system.setProperty("java.net.useSystemProxies", "true");
        assertThat(Downloads.proxyFollowed(system)).hasValueSatisfying(line -> assertThat(line)
                .contains("the system's proxy settings (java.net.useSystemProxies=true)"));
    }

    /** Without a proxy named, as by default, the start says nothing. */
    @Test
    void theStartSaysNothingOfAProxyWhenNoneIsNamed() {
        Properties none = new Properties();
        none.setProperty("http.proxyHost", " ");
        none.setProperty("java.net.useSystemProxies", "false");
        none.setProperty("http.nonProxyHosts", "localhost");

        assertThat(Downloads.proxyFollowed(new Properties())).isEmpty();
        assertThat(Downloads.proxyFollowed(none)).isEmpty();
    }

    /**
     * A proxy property the JDK would misread stops the start naming it: a port that is not one (the JDK took its
     * default port without a word), a host written as a URL or with its port, credentials (never repeated).
     */
    @Test
    void aProxyPropertyTheJdkWouldMisreadIsRefusedNamingItAndNoCredentials() {
        assertThatThrownBy(() -> Downloads.proxyFollowed(proxy("proxy.corp.example", "31 28")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("https.proxyPort is not a port (1-65535): 31 28");
        assertThatThrownBy(() -> Downloads.proxyFollowed(proxy("proxy.corp.example", "70000")))
                .hasMessageStartingWith("https.proxyPort is not a port (1-65535)");
        assertThatThrownBy(() -> Downloads.proxyFollowed(proxy("http://proxy.corp.example:3128", "3128")))
                .hasMessageStartingWith("https.proxyHost=http://proxy.corp.example:3128 is not a host name or "
                        + "address alone");
        assertThatThrownBy(() -> Downloads.proxyFollowed(proxy("ivan:s3cret@proxy.corp.example", "3128")))
                .hasMessageStartingWith("https.proxyHost holds credentials (…@proxy.corp.example)")
                .hasMessageNotContaining("s3cret").hasMessageNotContaining("ivan");
    }

    private static Properties proxy(String host, String port) {
        Properties p = new Properties();
        p.setProperty("https.proxyHost", host);
        p.setProperty("https.proxyPort", port);
        return p;
    }

    /** Plain sockets that record where they are asked to connect and open none off this machine. */
    private final class Recording extends UnconnectedSockets {
        @Override
        public Socket createSocket() {
            return new Socket() {
                @Override
                public void connect(SocketAddress endpoint, int timeoutMillis) throws IOException {
                    InetSocketAddress to = (InetSocketAddress) endpoint;
                    connections.add(to);
                    InetSocketAddress here = carried.getOrDefault(to, to);
                    if (!here.getAddress().isLoopbackAddress()) {
                        throw new ConnectException("the test opens no connection off this machine");
                    }
                    super.connect(here, timeoutMillis);
                }
            };
        }
    }
}
