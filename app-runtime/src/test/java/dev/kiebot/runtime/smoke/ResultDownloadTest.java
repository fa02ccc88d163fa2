package dev.kiebot.runtime.smoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kiebot.telegram.RedirectGuard;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admins' smoke test fetches Kie's result by the delivery's own path: through the same {@link RedirectGuard}, a
 * result's host that redirects into this machine or to a cloud's metadata is refused and the report says so without
 * the URL, and with the delivery's client, which connects only to the addresses the guard's check saw. The server is
 * on 127.0.0.1; no test connects anywhere else.
 */
class ResultDownloadTest {
    private static final String SECRET = "an admin page of this machine";
    private final AtomicInteger secretAsked = new AtomicInteger();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
    private HttpServer server;
    private int port;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // /to?<url> redirects there
        server.createContext("/to", ex -> redirect(ex, ex.getRequestURI().getRawQuery()));
        server.createContext("/secret", ex -> {
            secretAsked.incrementAndGet();
            byte[] body = SECRET.getBytes();
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        port = server.getAddress().getPort();
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().add("Location", location);
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** A Kie on this machine (the tests' fakes): results here are within its reach, as the delivery's are. */
    private static RedirectGuard fromAKieHere(RedirectGuard.Resolver resolver) {
        return new RedirectGuard(resolver).forUrlsFrom(URI.create("http://127.0.0.1:1"));
    }

    @Test
    void aResultFromAKieOnTheInternetThatIsOnThisMachineIsRefusedUnasked() {
        RedirectGuard fromKieOnTheInternet = new RedirectGuard().forUrlsFrom(URI.create("https://203.0.113.7"));
        String url = "http://127.0.0.1:" + port + "/secret";

        assertThatThrownBy(() -> new ResultDownload(fromKieOnTheInternet).fetch(url))
                .isInstanceOf(RedirectGuard.Refused.class)
                .hasMessage("download refused: a URL further inward than where it came from");
        assertThat(secretAsked).hasValue(0);
    }

    /** 0.0.0.0 is this machine to Linux: a redirect there reached the server here. */
    @Test
    void aResultWhoseHostRedirectsIntoThisMachineOrToTheCloudsMetadataIsRefused() {
        RedirectGuard here = fromAKieHere(RedirectGuard.Resolver.SYSTEM);

        for (String to : List.of("http://0.0.0.0:" + port + "/secret", "http://169.254.169.254/latest/meta-data/")) {
            String url = "http://127.0.0.1:" + port + "/to?" + to;
            assertThatThrownBy(() -> new ResultDownload(here).fetch(url))
                    .isInstanceOf(RedirectGuard.Refused.class)
                    .hasMessage("download refused: redirect to a private address")
                    .hasMessageNotContaining(to);
        }
        assertThat(secretAsked).hasValue(0);
    }

    @Test
    void aResultThatIsNotAtAnHttpUrlIsRefused() {
        assertThatThrownBy(() -> new ResultDownload(fromAKieHere(RedirectGuard.Resolver.SYSTEM))
                .fetch("file:///etc/passwd"))
                .isInstanceOf(RedirectGuard.Refused.class)
                .hasMessage("download refused: a URL that is not http(s)");
    }

    @Test
    void aResultOnThisMachineRedirectedOnThisMachineIsFetched() throws IOException {
        String url = "http://127.0.0.1:" + port + "/to?http://127.0.0.1:" + port + "/secret";

        assertThat(new ResultDownload(fromAKieHere(RedirectGuard.Resolver.SYSTEM)).fetch(url))
                .isEqualTo(SECRET.length());
    }

    /**
     * The download connects to the addresses its check saw and looks no host up again, as the delivery's does: the
     * smoke test's own JDK client looked each host up once more when it connected (so a DNS answering the check and
     * the connection differently, DNS rebinding, led it where the check did not look). Here the names are known to
     * the check's resolver alone, which answers each once.
     */
    @Test
    void theDownloadConnectsWhereItsChecksLookedAndLooksNoHostUpAgain() throws IOException {
        RedirectGuard.Resolver once = host -> {
            if (host.endsWith(".example")) {
                if (lookups.computeIfAbsent(host, h -> new AtomicInteger()).getAndIncrement() > 0) {
                    throw new UnknownHostException("looked up again");
                }
                return List.of(InetAddress.getByName("127.0.0.1"));
            }
            return RedirectGuard.Resolver.SYSTEM.addresses(host); // the Kie's literal address
        };
        String url = "http://results.example:" + port + "/to?http://cdn.example:" + port + "/secret";

        assertThat(new ResultDownload(fromAKieHere(once)).fetch(url)).isEqualTo(SECRET.length());
        assertThat(lookups).containsOnlyKeys("results.example", "cdn.example");
        assertThat(lookups.values()).allSatisfy(n -> assertThat(n).hasValue(1));
    }
}
