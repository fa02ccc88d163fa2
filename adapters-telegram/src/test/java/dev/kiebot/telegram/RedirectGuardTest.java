package dev.kiebot.telegram;

import static dev.kiebot.telegram.SecretFileServer.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A download's redirects lead no further inward than its first URL, and never to a link-local address: a result's
 * host that answered with a redirect to this machine or the private network had that page's body sent into a user's
 * chat. Every server here is on 127.0.0.1; a host is made to look public (or private) to the guard through its
 * resolver, while the client still connects to the server here: {@code localhost} is the name for that.
 */
class RedirectGuardTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final long BYTES_MAX = 1 << 20;
    /** Outside every private range: a documentation address (TEST-NET-3). */
    private static final String PUBLIC = "203.0.113.7";

    /** Follows no redirect itself, as the messenger's and the file source's default clients. */
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
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

    private String here(String pathAndQuery) {
        return "http://127.0.0.1:" + port + pathAndQuery;
    }

    /** A URL on {@code localhost} (this server), whose host the guard is told lies at {@code address}. */
    private String at(String pathAndQuery) {
        return "http://localhost:" + port + pathAndQuery;
    }

    /** {@code localhost} looks to the guard as if it were at {@code address}; every other host as it is. */
    private static RedirectGuard localhostAt(String address) {
        return new RedirectGuard(host -> host.equals("localhost") ? List.of(InetAddress.getByName(address))
                : RedirectGuard.Resolver.SYSTEM.addresses(host));
    }

    private int asked(String path) {
        return server.asked(path);
    }

    @Test
    void aRedirectFromAPublicHostToThisMachineIsRefused() {
        RedirectGuard guard = localhostAt(PUBLIC);
        String url = at("/to?" + here("/latest/meta-data"));

        assertThatThrownBy(() -> Downloads.get(http, guard, url, BYTES_MAX, TIMEOUT, null))
                .isInstanceOf(RedirectGuard.Refused.class)
                .hasMessage("download refused: redirect to a private address");
        assertThatThrownBy(() -> Downloads.save(http, guard, url, BYTES_MAX, TIMEOUT, null))
                .isInstanceOf(RedirectGuard.Refused.class)
                .hasMessage("download refused: redirect to a private address");
        assertThat(asked("/to")).isEqualTo(2);
        assertThat(asked("/latest/meta-data")).as("the page on this machine is never asked").isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/iam/security-credentials/",
            "http://[fd00:ec2::254]/latest/meta-data/", "http://10.0.0.5/admin", "http://100.100.100.200/latest/",
            "http://[fe80::1]/", "http://0.0.0.0:8080/"})
    void aRedirectFromAPublicHostIntoThePrivateNetworkOrTheCloudsMetadataIsRefused(String inward) {
        assertThatThrownBy(() -> Downloads.get(http, localhostAt(PUBLIC), at("/to?" + inward), BYTES_MAX, TIMEOUT, null))
                .isInstanceOf(RedirectGuard.Refused.class)
                .hasMessage("download refused: redirect to a private address");
    }

    /** The first URL's scheme is the guard's to check, as every hop's: nothing is looked up or asked for another. */
    @ParameterizedTest
    @ValueSource(strings = {"ftp://localhost/file.png", "file:///etc/passwd", "gopher://localhost:70/", "mailto:a@b.c"})
    void aFirstUrlThatIsNotHttpIsRefusedBeforeAnythingIsLookedUpOrAsked(String url) {
        AtomicInteger lookups = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        RedirectGuard guard = new RedirectGuard(host -> {
            lookups.incrementAndGet();
            return List.of(InetAddress.getByName(PUBLIC));
        }).forUrlsFrom(URI.create("https://kie.example"));

        assertThatThrownBy(() -> guard.get(URI.create(url), TIMEOUT, request -> {
            sent.incrementAndGet();
            throw new IOException("not to be asked");
        }))
                .isInstanceOf(RedirectGuard.Refused.class)
                .hasMessage("download refused: a URL that is not http(s)");
        assertThat(lookups).hasValue(0);
        assertThat(sent).hasValue(0);
    }

    @Test
    void aFirstUrlAtALinkLocalAddressIsRefused() {
        assertThatThrownBy(() -> Downloads.get(http, "http://169.254.169.254/latest/meta-data/", BYTES_MAX, TIMEOUT, null))
                .isInstanceOf(RedirectGuard.Refused.class)
                .hasMessage("download refused: a link-local, multicast or unspecified address");
    }

    /** {@code kie.example} (a result's source) looks public; {@code localhost} lies at {@code address}. */
    private static RedirectGuard fromAPublicSource(String address) {
        return new RedirectGuard(host -> List.of(InetAddress.getByName(host.equals("kie.example") ? PUBLIC : address)))
                .forUrlsFrom(URI.create("https://kie.example/api/v1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.1.2.3", "192.168.7.8", "100.100.100.200", "::1",
            // an IPv4 address inside an IPv6 one (NAT64, a network's own NAT64, 6to4, IPv4-compatible) is where it leads
            "64:ff9b::7f00:1", "64:ff9b::a00:5", "64:ff9b:1::a00:5", "2002:a00:5::1", "::a00:5",
            // ranges used inside clusters and networks besides RFC 1918, and IPv6's deprecated site-local
            "198.18.0.1", "240.0.0.1", "192.0.0.8", "fec0::1"})
    void aFirstUrlFromASourceOnTheInternetIsNotFetchedOnThisMachineOrThePrivateNetwork(String address) {
        // a Kie status answer naming http://127.0.0.1:<port>/... as its result: before, the first URL was trusted
        assertThatThrownBy(() -> Downloads.get(http, fromAPublicSource(address), at("/file.png"), BYTES_MAX, TIMEOUT,
                null))
                .isInstanceOf(RedirectGuard.Refused.class)
                .hasMessage("download refused: a URL further inward than where it came from");
        assertThatThrownBy(() -> Downloads.save(http, fromAPublicSource(address), at("/file.png"), BYTES_MAX, TIMEOUT,
                null))
                .isInstanceOf(RedirectGuard.Refused.class);
        assertThat(asked("/file.png")).as("nothing on this machine is asked").isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {PUBLIC, "64:ff9b::cb00:7107"}) // the second: NAT64 to the first
    void aFirstUrlFromASourceOnTheInternetIsFetchedOnTheInternet(String address) throws IOException {
        assertThat(Downloads.get(http, fromAPublicSource(address), at("/file.png"), BYTES_MAX, TIMEOUT, null).bytes())
                .asString(StandardCharsets.UTF_8).isEqualTo(SECRET);
    }

    /**
     * URLs from somewhere on the internet (a messenger not told its media URLs' source): the first URL is asked only
     * there, as from a source on the internet; this machine, the private network and the addresses never asked are not.
     */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1", "10.0.0.5", "172.16.0.1", "192.168.7.8", "100.100.100.200",
            "fd00:ec2::254", "64:ff9b::7f00:1", "198.18.0.1", "240.0.0.1", "192.0.0.8", "fec0::1",
            "169.254.169.254", "fe80::1", "0.0.0.0", "224.0.0.1"})
    void aFirstUrlFromTheInternetIsNotFetchedAnywhereElse(String address) {
        RedirectGuard fromTheInternet = localhostAt(address).forUrlsFromTheInternet();

        assertThatThrownBy(() -> Downloads.get(http, fromTheInternet, at("/file.png"), BYTES_MAX, TIMEOUT, null))
                .isInstanceOf(RedirectGuard.Refused.class);
        assertThat(asked("/file.png")).as("nothing here is asked").isZero();
    }

    /**
     * A host whose AAAA record is an IPv4-mapped address ({@code ::ffff:127.0.0.1}): the JVM's own lookup gives it as
     * an {@code Inet6Address} that is neither loopback nor site-local, and connecting to it reaches the IPv4 address
     * (tried: a name mapped so in /etc/hosts fetched a page of a server on 127.0.0.1). It counted as the internet:
     * a result's URL, or a redirect, naming such a host was fetched from this machine, the private network or the
     * cloud's metadata.
     */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.0.0.5", "192.168.7.8", "100.100.100.200", "169.254.169.254", "0.0.0.0"})
    void aHostLookedUpAsAnIpv4MappedAddressLeadsWhereItsIpv4AddressDoes(String ipv4) throws IOException {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(InetAddress.getByName(ipv4).getAddress(), 0, mapped, 12, 4);
        // as the system's lookup makes it: InetAddress.getByAddress would give an Inet4Address
        InetAddress looked = java.net.Inet6Address.getByAddress("localhost", mapped, -1);
        RedirectGuard guard = new RedirectGuard(host -> List.of(host.equals("localhost") ? looked
                : InetAddress.getByName(PUBLIC)));

        assertThatThrownBy(() -> Downloads.get(http, guard.forUrlsFrom(URI.create("https://kie.example")),
                at("/file.png"), BYTES_MAX, TIMEOUT, null))
                .as("a result's first URL").isInstanceOf(RedirectGuard.Refused.class);
        assertThatThrownBy(() -> Downloads.get(http, guard.forUrlsFromTheInternet(), at("/file.png"), BYTES_MAX,
                TIMEOUT, null))
                .as("a URL from the internet").isInstanceOf(RedirectGuard.Refused.class);
        assertThat(asked("/file.png")).as("nothing here is asked").isZero();
    }

    @Test
    void aFirstUrlFromTheInternetIsFetchedThereAndItsRedirectsStayThere() throws IOException {
        RedirectGuard fromTheInternet = localhostAt(PUBLIC).forUrlsFromTheInternet();

        assertThat(Downloads.get(http, fromTheInternet, at("/file.png"), BYTES_MAX, TIMEOUT, null).bytes())
                .asString(StandardCharsets.UTF_8).isEqualTo(SECRET);
        assertThatThrownBy(() -> Downloads.get(http, fromTheInternet, at("/to?" + here("/latest/meta-data")),
                BYTES_MAX, TIMEOUT, null))
                .isInstanceOf(RedirectGuard.Refused.class)
                .hasMessage("download refused: redirect to a private address");
        assertThat(asked("/latest/meta-data")).isZero();
    }

    /** A URL on the internet is within any source's reach: the source's host is not looked up for it. */
    @Test
    void aFirstUrlOnTheInternetNeedsNoLookupOfItsSource() throws IOException {
        RedirectGuard sourceUnknown = new RedirectGuard(host -> {
            if (host.equals("kie.example")) {
                throw new java.net.UnknownHostException(host);
            }
            return List.of(InetAddress.getByName(PUBLIC));
        }).forUrlsFrom(URI.create("https://kie.example"));

        assertThat(Downloads.get(http, sourceUnknown, at("/file.png"), BYTES_MAX, TIMEOUT, null).bytes())
                .asString(StandardCharsets.UTF_8).isEqualTo(SECRET);
    }

    @Test
    void aSourceOnThisMachineSendsDownloadsAnywhereTheRulesAllow() throws IOException {
        // tests' Kie fakes and a local Bot API server are on 127.0.0.1, their files too
        RedirectGuard fromHere = new RedirectGuard().forUrlsFrom(URI.create("http://127.0.0.1:1/api/v1"));
        assertThat(Downloads.get(http, fromHere, here("/to?" + here("/file.png")), BYTES_MAX, TIMEOUT, null).bytes())
                .asString(StandardCharsets.UTF_8).isEqualTo(SECRET);

        Map<String, String> mirrors = Map.of("kie.internal", "10.0.0.2", "localhost", "10.1.2.3");
        RedirectGuard fromTheMirrors = new RedirectGuard(host -> mirrors.containsKey(host)
                ? List.of(InetAddress.getByName(mirrors.get(host))) : RedirectGuard.Resolver.SYSTEM.addresses(host))
                .forUrlsFrom(URI.create("http://kie.internal"));
        assertThat(Downloads.get(http, fromTheMirrors, at("/file.png"), BYTES_MAX, TIMEOUT, null).bytes())
                .as("a source on the private network, a file there").asString(StandardCharsets.UTF_8).isEqualTo(SECRET);
        assertThatThrownBy(() -> Downloads.get(http, fromTheMirrors, here("/file.png"), BYTES_MAX, TIMEOUT, null))
                .as("but not on this machine")
                .isInstanceOf(RedirectGuard.Refused.class)
                .hasMessage("download refused: a URL further inward than where it came from");
    }

    @Test
    void aSourceThatCannotBeLookedUpFailsTheDownload() {
        RedirectGuard unknown = new RedirectGuard(host -> {
            if (host.equals("kie.example")) {
                throw new java.net.UnknownHostException(host);
            }
            return RedirectGuard.Resolver.SYSTEM.addresses(host);
        }).forUrlsFrom(URI.create("https://kie.example"));

        assertThatThrownBy(() -> Downloads.get(http, unknown, here("/file.png"), BYTES_MAX, TIMEOUT, null))
                .isInstanceOf(IOException.class)
                .hasMessage("download failed: the host the URL came from is not known");
        assertThat(asked("/file.png")).isZero();
    }

    /**
     * Downloads asking for a host whose DNS hangs share one lookup, which holds one of the lookups' threads: the other
     * hosts' lookups go on. Each used to take a thread of its own, so a few such downloads held them all, and a
     * download from a host the JVM's cache would answer at once failed "not looked up in time".
     */
    @Test
    void aHostWhoseDnsHangsHoldsOneLookupThreadHoweverManyDownloadsAskForIt() throws Exception {
        CountDownLatch dnsAnswers = new CountDownLatch(1);
        RedirectGuard hangingDns = new RedirectGuard(host -> {
            if (host.equals("hung.example")) {
                try {
                    dnsAnswers.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return RedirectGuard.Resolver.SYSTEM.addresses(host);
        });
        int downloads = HostLookups.THREADS_MAX + 2;
        ExecutorService senders = Executors.newFixedThreadPool(downloads);
        try {
            List<Future<?>> stuck = new ArrayList<>();
            for (int i = 0; i < downloads; i++) {
                stuck.add(senders.submit(() -> Downloads.get(http, hangingDns, "http://hung.example/file.png",
                        BYTES_MAX, Duration.ofMillis(200), null)));
            }
            for (Future<?> f : stuck) {
                assertThatThrownBy(() -> f.get(1, TimeUnit.MINUTES))
                        .hasRootCauseMessage("download failed: the host could not be looked up in time");
            }
            assertThat(Downloads.get(http, hangingDns, here("/file.png"), BYTES_MAX, TIMEOUT, null).bytes())
                    .as("another host, while hung.example's lookup still hangs")
                    .asString(StandardCharsets.UTF_8).isEqualTo(SECRET);
        } finally {
            dnsAnswers.countDown();
            senders.shutdownNow();
        }
    }

    @Test
    void aHostLookupThatHangsEndsWithinTheDownloadsTimeout() throws Exception {
        // a DNS server that never answers: the lookup held the download's thread for the resolver's own timeout,
        // outside the download's watchdog
        CountDownLatch dnsAnswers = new CountDownLatch(1);
        RedirectGuard hangingDns = new RedirectGuard(host -> {
            if (host.equals("slow.example")) {
                try {
                    dnsAnswers.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // a lookup in InetAddress does not hear it either
                }
            }
            return RedirectGuard.Resolver.SYSTEM.addresses(host);
        });
        ExecutorService downloads = Executors.newSingleThreadExecutor();
        try {
            Future<?> first = downloads.submit(() -> Downloads.get(http, hangingDns, "http://slow.example/file.png",
                    BYTES_MAX, Duration.ofMillis(50), null));
            assertThatThrownBy(() -> first.get(1, TimeUnit.MINUTES))
                    .hasCauseInstanceOf(IOException.class)
                    .hasRootCauseMessage("download failed: the host could not be looked up in time");

            // time enough for the answer here, which the redirect's lookup follows
            Future<?> redirected = downloads.submit(() -> Downloads.get(http, hangingDns,
                    here("/to?http://slow.example/file.png"), BYTES_MAX, Duration.ofSeconds(2), null));
            assertThatThrownBy(() -> redirected.get(1, TimeUnit.MINUTES))
                    .as("a redirect's host too")
                    .hasRootCauseMessage("download failed: the host could not be looked up in time");
        } finally {
            dnsAnswers.countDown();
            downloads.shutdownNow();
        }
    }

    @Test
    void aRedirectOnThisMachineFromThisMachineIsFollowed() throws IOException {
        // tests and a local Bot API server serve their files on 127.0.0.1
        assertThat(Downloads.get(http, here("/to?" + here("/file.png")), BYTES_MAX, TIMEOUT, null).bytes())
                .asString(StandardCharsets.UTF_8).isEqualTo(SECRET);
        try (Downloads.Saved saved = Downloads.save(http, here("/to?/file.png"), BYTES_MAX, TIMEOUT, null)) {
            assertThat(Files.readString(saved.file())).as("a relative Location").isEqualTo(SECRET);
        }
    }

    @Test
    void aPrivateMirrorKeepsItsRedirectsButTheyDoNotLeadIntoThisMachine() throws IOException {
        RedirectGuard mirrors = new RedirectGuard(host -> List.of(InetAddress.getByName(
                host.equals("localhost") ? "10.1.2.3" : "192.168.7.8")));
        assertThat(Downloads.get(http, mirrors, at("/to?" + here("/file.png")), BYTES_MAX, TIMEOUT, null).bytes())
                .asString(StandardCharsets.UTF_8).isEqualTo(SECRET);

        assertThatThrownBy(() -> Downloads.get(http, localhostAt("10.1.2.3"), at("/to?" + here("/file.png")),
                BYTES_MAX, TIMEOUT, null))
                .isInstanceOf(RedirectGuard.Refused.class)
                .hasMessage("download refused: redirect to a private address");
    }

    @Test
    void moreThanFiveRedirectsAreRefused() throws IOException {
        assertThat(Downloads.get(http, here("/hop/1"), BYTES_MAX, TIMEOUT, null).bytes())
                .as("five redirects").asString(StandardCharsets.UTF_8).isEqualTo(SECRET);
        server.forgetAsked();

        assertThatThrownBy(() -> Downloads.get(http, here("/hop/0"), BYTES_MAX, TIMEOUT, null))
                .isInstanceOf(RedirectGuard.Refused.class)
                .hasMessage("download refused: too many redirects");
        assertThat(asked("/hop/5")).isEqualTo(1);
        assertThat(asked("/hop/6")).as("the sixth redirect is not followed").isZero();
    }

    @Test
    void aClientThatFollowsRedirectsItselfStillDeliversNoBodyFromAHopTheRulesRefuse() {
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(1)).build();

        assertThatThrownBy(() -> Downloads.get(following, localhostAt(PUBLIC), at("/to?" + here("/latest/meta-data")),
                BYTES_MAX, TIMEOUT, null))
                .isInstanceOf(RedirectGuard.Refused.class)
                .hasMessage("download refused: redirect to a private address");
    }

    @Test
    void aRedirectFromHttpsToHttpIsRefused(@TempDir Path dir) throws Exception {
        SSLContext tls = SelfSignedTls.forNames(dir, "IP:127.0.0.1").context();
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        https.createContext("/", ex -> SecretFileServer.redirect(ex, here("/file.png")));
        https.start();
        try {
            HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(30)).build();
            String url = "https://127.0.0.1:" + https.getAddress().getPort() + "/file.png";

            assertThatThrownBy(() -> Downloads.get(client, url, BYTES_MAX, Duration.ofSeconds(30), null))
                    .isInstanceOf(RedirectGuard.Refused.class)
                    .hasMessage("download refused: redirect from https to http");
            assertThat(asked("/file.png")).isZero();
        } finally {
            https.stop(0);
        }
    }
}
