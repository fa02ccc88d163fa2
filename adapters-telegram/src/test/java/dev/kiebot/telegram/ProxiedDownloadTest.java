package dev.kiebot.telegram;

import static dev.kiebot.telegram.SecretFileServer.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bot's downloads behind an HTTP proxy (operators whose box reaches the internet through one only): they went
 * directly, so every one failed there. Through the proxy they keep the pin: the host is looked up here, checked by
 * {@link RedirectGuard}, and the proxy is asked {@code CONNECT <the checked address>:<port>}, an IP literal it has
 * nothing to look up; TLS over the tunnel names and checks the URL's host. The proxy and the file server are on
 * 127.0.0.1; a direct connection (the download not going through the proxy) is recorded and refused.
 */
class ProxiedDownloadTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final long BYTES_MAX = 1 << 20;
    /** Outside every private range: a documentation address (TEST-NET-3). */
    private static final String PUBLIC = "203.0.113.7";

    @TempDir
    static Path dir;
    /** The certificate names the hosts, not the address: TLS checks the URL's host through the tunnel. */
    private static SelfSignedTls tls;
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
    private final List<SocketAddress> direct = new CopyOnWriteArrayList<>();
    private ConnectProxy proxy;
    private SecretFileServer server;
    private int port;
    private DownloadClient client;

    @BeforeAll
    static void certificate() throws Exception {
        tls = SelfSignedTls.forNames(dir, "DNS:files.example", "DNS:mirror.example", "DNS:cdn.example");
    }

    @BeforeEach
    void start() throws Exception {
        proxy = ConnectProxy.start();
        server = SecretFileServer.start(tls.context());
        port = server.port();
        client = new PinnedDownloadClient(Duration.ofSeconds(1), new NoDirectConnections(),
                ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port())),
                Optional.of(new PinnedDownloadClient.Tls(tls.context().getSocketFactory(), tls.trust())));
    }

    @AfterEach
    void stop() {
        server.close();
        proxy.close();
    }

    /** A DNS answering each host by {@code addresses}, counting its lookups. */
    private RedirectGuard.Resolver dns(Map<String, String> addresses) {
        return host -> {
            lookups.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
            String at = addresses.get(host);
            if (at == null) {
                throw new UnknownHostException(host);
            }
            return List.of(InetAddress.getByName(at));
        };
    }

    @Test
    void eachHopGoesThroughTheProxysTunnelToTheAddressItsCheckSawByItsLiteralAndTlsChecksTheHostName()
            throws IOException {
        RedirectGuard trusted = new RedirectGuard(dns(Map.of("files.example", "127.0.0.1",
                "mirror.example", "127.0.0.1")));
        String url = "https://files.example:" + port + "/to?https://mirror.example:" + port + "/file.png";

        assertThat(Downloads.get(client, trusted, url, BYTES_MAX, TIMEOUT, null).bytes())
                .asString(StandardCharsets.UTF_8).isEqualTo(SECRET);
        assertThat(proxy.targets()).as("a tunnel a hop, each to the checked address, never to a name")
                .containsExactly("127.0.0.1:" + port, "127.0.0.1:" + port);
        assertThat(lookups).containsOnlyKeys("files.example", "mirror.example");
        assertThat(lookups.values()).as("one lookup a host, for its check; the proxy looks up nothing")
                .allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(direct).as("no connection past the proxy").isEmpty();
        assertThat(server.asked("/to")).isEqualTo(1);
        assertThat(server.asked("/file.png")).isEqualTo(1);
    }

    @Test
    void throughTheTunnelTheCertificateMustNameTheUrlsHost() {
        // the tunnel reaches the server, whose certificate names files.example and the like, not this host
        RedirectGuard trusted = new RedirectGuard(dns(Map.of("elsewhere.example", "127.0.0.1")));
        String url = "https://elsewhere.example:" + port + "/file.png";

        assertThatThrownBy(() -> Downloads.get(client, trusted, url, BYTES_MAX, TIMEOUT, null))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("download failed: SSLPeerUnverifiedException")
                .hasMessageNotContaining(url);
        assertThat(proxy.targets()).containsExactly("127.0.0.1:" + port);
        assertThat(server.asked("/file.png")).isZero();
    }

    @Test
    void anHttpUrlGoesThroughTheTunnelToo() throws IOException {
        try (SecretFileServer plain = SecretFileServer.start()) {
            RedirectGuard trusted = new RedirectGuard(dns(Map.of("files.example", "127.0.0.1")));

            assertThat(Downloads.get(client, trusted, "http://files.example:" + plain.port() + "/file.png", BYTES_MAX,
                    TIMEOUT, null).bytes()).asString(StandardCharsets.UTF_8).isEqualTo(SECRET);
            assertThat(proxy.targets()).containsExactly("127.0.0.1:" + plain.port());
            assertThat(direct).isEmpty();
        }
    }

    @Test
    void aNameOnThePrivateNetworkIsRefusedBeforeAnyTunnelIsAsked() {
        RedirectGuard fromTheInternet = new RedirectGuard(dns(Map.of("files.example", "10.0.0.5")))
                .forUrlsFromTheInternet();

        assertThatThrownBy(() -> Downloads.get(client, fromTheInternet, "https://files.example:" + port + "/file.png",
                BYTES_MAX, TIMEOUT, null))
                .isInstanceOf(RedirectGuard.Refused.class);
        assertThat(proxy.targets()).as("the proxy is asked nothing").isEmpty();
        assertThat(direct).isEmpty();
    }

    @Test
    void aRedirectThroughTheProxyIsCheckedAgainAndOneToThePrivateNetworkIsRefusedBeforeItsTunnel() {
        // a CDN on the internet (the proxy carries its public address to the server here) redirects to a name that
        // this machine's DNS answers with a private address
        proxy.carry(PUBLIC + ":" + port, port);
        RedirectGuard fromTheInternet = new RedirectGuard(dns(Map.of("cdn.example", PUBLIC,
                "files.example", "10.0.0.5"))).forUrlsFromTheInternet();
        String url = "https://cdn.example:" + port + "/to?https://files.example:" + port + "/file.png";

        assertThatThrownBy(() -> Downloads.get(client, fromTheInternet, url, BYTES_MAX, TIMEOUT, null))
                .isInstanceOf(RedirectGuard.Refused.class)
                .hasMessage("download refused: redirect to a private address");
        assertThat(proxy.targets()).as("the CDN's tunnel only").containsExactly(PUBLIC + ":" + port);
        assertThat(server.asked("/to")).isEqualTo(1);
        assertThat(server.asked("/file.png")).isZero();
        assertThat(direct).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"407 Proxy Authentication Required", "502 Bad Gateway"})
    void aProxyThatRefusesTheTunnelFailsTheDownloadSayingSo(String refusal) {
        proxy.refuse(refusal);
        RedirectGuard trusted = new RedirectGuard(dns(Map.of("files.example", "127.0.0.1")));
        String url = "https://files.example:" + port + "/file.png";
        String status = refusal.substring(0, 3);

        assertThatThrownBy(() -> Downloads.save(client, trusted, url, BYTES_MAX, TIMEOUT, null))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(RedirectGuard.Refused.class)
                .hasMessageStartingWith("download failed")
                .hasMessageContaining("the download proxy refused the tunnel: HTTP " + status)
                .hasMessageNotContaining(url);
        assertThat(proxy.targets()).containsExactly("127.0.0.1:" + port);
        assertThat(server.asked("/file.png")).as("nothing downloaded").isZero();
        assertThat(direct).as("and no way around the proxy").isEmpty();
    }

    @Test
    void aProxyThatCannotBeReachedFailsTheDownloadNamingTheProxyNotTheAddressBehindIt() {
        proxy.close();
        RedirectGuard trusted = new RedirectGuard(dns(Map.of("files.example", "127.0.0.1")));

        assertThatThrownBy(() -> Downloads.get(client, trusted, "https://files.example:" + port + "/file.png",
                BYTES_MAX, TIMEOUT, null))
                .isInstanceOf(IOException.class)
                .hasMessage("download failed: IOException: the download proxy 127.0.0.1:" + proxy.port()
                        + " could not be reached (ConnectException)");
        assertThat(direct).isEmpty();
        assertThat(server.asked("/file.png")).isZero();
    }

    /** Sockets that record a direct connection and refuse it: every download here must take the proxy. */
    private final class NoDirectConnections extends UnconnectedSockets {
        @Override
        public Socket createSocket() {
            return new Socket() {
                @Override
                public void connect(SocketAddress endpoint, int timeoutMillis) throws IOException {
                    direct.add(endpoint);
                    throw new ConnectException("the test opens no connection past the proxy");
                }
            };
        }
    }
}
