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
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admins' smoke test fetches Kie's result as the delivery does, through the same {@link RedirectGuard}: a result's
 * host that redirects into this machine is refused, and the report says so without the URL. The server is on
 * 127.0.0.1; {@code localhost} is made to look public to the guard through its resolver.
 */
class ResultDownloadTest {
    private final AtomicInteger secretAsked = new AtomicInteger();
    private HttpServer server;
    private int port;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/result.png", ex -> redirect(ex, "http://127.0.0.1:" + port + "/secret"));
        server.createContext("/secret", ex -> {
            secretAsked.incrementAndGet();
            byte[] body = "an admin page of this machine".getBytes();
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

    @Test
    void aResultWhoseHostRedirectsIntoThisMachineIsRefused() {
        RedirectGuard publicLocalhost = new RedirectGuard(host -> host.equals("localhost")
                ? List.of(InetAddress.getByName("203.0.113.7")) : RedirectGuard.Resolver.SYSTEM.addresses(host));

        assertThatThrownBy(() -> new ResultDownload(publicLocalhost).fetch("http://localhost:" + port + "/result.png"))
                .isInstanceOf(RedirectGuard.Refused.class)
                .hasMessage("download refused: redirect to a private address");
        assertThat(secretAsked).hasValue(0);
    }

    @Test
    void aResultThatIsNotAtAnHttpUrlIsRefused() {
        RedirectGuard fromAKieHere = new RedirectGuard().forUrlsFrom(URI.create("http://127.0.0.1:1"));

        assertThatThrownBy(() -> new ResultDownload(fromAKieHere).fetch("file:///etc/passwd"))
                .isInstanceOf(RedirectGuard.Refused.class)
                .hasMessage("download refused: a URL that is not http(s)");
    }

    @Test
    void aResultOnThisMachineRedirectedOnThisMachineIsFetched() throws IOException {
        RedirectGuard fromAKieHere = new RedirectGuard().forUrlsFrom(URI.create("http://127.0.0.1:1"));
        assertThat(new ResultDownload(fromAKieHere).fetch("http://127.0.0.1:" + port + "/result.png"))
                .isEqualTo("an admin page of this machine".length());
    }
}
