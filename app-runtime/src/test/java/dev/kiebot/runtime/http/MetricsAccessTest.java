package dev.kiebot.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * /metrics shows the shop's revenue and money held, on the webhook's public port: before, anyone could read it
 * (found by a review). Now a token, or this machine only.
 */
class MetricsAccessTest {
    private static final String TOKEN = "metrics-token-0123456789";

    private static PrometheusMeterRegistry registry() {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        r.counter("kiebot.revenue.minor").increment();
        return r;
    }

    private static HttpResponse<String> get(String host, int port, String... headers) throws Exception {
        return read(host, port, "/metrics", headers);
    }

    private static HttpResponse<String> read(String host, int port, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Javalin serve(MetricsAccess access, String host) {
        return HttpEndpoints.create(new Health("test", "lock", () -> true), registry(), access).start(host, 0);
    }

    /**
     * /readyz told anyone the version, the commit, when Telegram and Kie last answered and Telegram's last delivery
     * error (review R3): with METRICS_TOKEN set, only its bearer reads more than the verdict; a probe's status code is
     * everyone's.
     */
    @Test
    void withATokenReadinessDetailIsTheBearersAndTheVerdictEveryones() throws Exception {
        Health health = new Health("test", "lock", () -> true);
        health.webhookLastError(Optional.of("Wrong response from the webhook: 401 Unauthorized"));
        Javalin app = HttpEndpoints.create(health, registry(), MetricsAccess.of(Optional.of(TOKEN))).start("127.0.0.1",
                0);
        try {
            HttpResponse<String> bare = read("127.0.0.1", app.port(), "/readyz");
            assertThat(bare.statusCode()).isEqualTo(503);
            assertThat(bare.body()).isEqualTo("{\"ready\":false}");
            HttpResponse<String> wrong = read("127.0.0.1", app.port(), "/readyz", "Authorization",
                    "Bearer wrong-token-0123456789");
            assertThat(wrong.body()).isEqualTo("{\"ready\":false}");
            HttpResponse<String> detail = read("127.0.0.1", app.port(), "/readyz", "Authorization", "Bearer " + TOKEN);
            assertThat(detail.statusCode()).isEqualTo(503);
            assertThat(detail.body()).contains("\"version\"", "\"commit\"", "401 Unauthorized");
        } finally {
            app.stop();
        }
        Javalin open = serve(MetricsAccess.of(Optional.empty()), "127.0.0.1");
        try {
            assertThat(read("127.0.0.1", open.port(), "/readyz").body()).as("without the token, this machine's")
                    .contains("\"version\"");
        } finally {
            open.stop();
        }
    }

    @Test
    void withATokenOnlyAScrapeBringingItReadsTheMetrics() throws Exception {
        Javalin app = serve(MetricsAccess.of(Optional.of(TOKEN)), "127.0.0.1");
        try {
            assertThat(get("127.0.0.1", app.port()).statusCode()).isEqualTo(401);
            assertThat(get("127.0.0.1", app.port(), "Authorization", "Bearer wrong-token-0123456789").statusCode())
                    .isEqualTo(401);
            HttpResponse<String> ok = get("127.0.0.1", app.port(), "Authorization", "Bearer " + TOKEN);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("kiebot_revenue_minor");
        } finally {
            app.stop();
        }
    }

    @Test
    void withoutATokenThisMachineReadsThemAndAProxiedRequestDoesNot() throws Exception {
        Javalin app = serve(MetricsAccess.of(Optional.empty()), "127.0.0.1");
        try {
            assertThat(get("127.0.0.1", app.port()).statusCode()).isEqualTo(200);
            HttpResponse<String> proxied = get("127.0.0.1", app.port(), "X-Forwarded-For", "203.0.113.7");
            assertThat(proxied.statusCode()).isEqualTo(403);
            assertThat(proxied.body()).doesNotContain("revenue").contains("METRICS_TOKEN");
        } finally {
            app.stop();
        }
    }

    /**
     * Not every proxy on this machine writes {@code X-Forwarded-For}: nginx set up with {@code X-Real-IP} only, or one
     * writing RFC 7239's {@code Forwarded}, passed anyone's request on from 127.0.0.1, and the metrics (revenue, money
     * held) were read from the internet.
     */
    @Test
    void withoutATokenARequestAnyProxyHeaderSaysCameThroughItIsRefused() throws Exception {
        Javalin app = serve(MetricsAccess.of(Optional.empty()), "127.0.0.1");
        try {
            for (String[] proxied : new String[][] {{"X-Real-IP", "203.0.113.7"},
                    {"Forwarded", "for=203.0.113.7;proto=https"}, {"X-Forwarded-Proto", "https"},
                    {"X-Forwarded-Host", "bot.example.com"}, {"Via", "1.1 proxy"},
                    {"CF-Connecting-IP", "203.0.113.7"}}) {
                HttpResponse<String> r = get("127.0.0.1", app.port(), proxied);
                assertThat(r.statusCode()).as(proxied[0]).isEqualTo(403);
                assertThat(r.body()).doesNotContain("revenue");
            }
        } finally {
            app.stop();
        }
    }

    /**
     * Found by an operator review: nginx's {@code proxy_pass} in front of a webhook on a VPS adds none of the proxy
     * headers unless told to, so the internet's requests came from 127.0.0.1 without them and read the revenue. A bot
     * with a public URL takes no request as this machine's: without the token nobody reads the metrics.
     */
    @Test
    void aBotWithAPublicUrlServesTheMetricsToTheTokenAloneNotToThisMachine() throws Exception {
        Javalin open = serve(MetricsAccess.of(Optional.empty(), true), "127.0.0.1");
        try {
            HttpResponse<String> local = get("127.0.0.1", open.port());
            assertThat(local.statusCode()).isEqualTo(403);
            assertThat(local.body()).doesNotContain("revenue").contains("METRICS_TOKEN");
        } finally {
            open.stop();
        }
        Javalin withToken = serve(MetricsAccess.of(Optional.of(TOKEN), true), "127.0.0.1");
        try {
            assertThat(get("127.0.0.1", withToken.port()).statusCode()).isEqualTo(401);
            assertThat(get("127.0.0.1", withToken.port(), "Authorization", "Bearer " + TOKEN).body())
                    .contains("kiebot_revenue_minor");
        } finally {
            withToken.stop();
        }
    }

    /**
     * Without METRICS_TOKEN, /readyz's detail was everyone's (review): an outsider read when Kie refused the shop,
     * sales were paused and the database refused writes. Now it is the operator's curl on this machine's alone; another
     * machine, a request a proxy passed on, and anyone at a bot with a public URL read the verdict, with its status.
     */
    @Test
    void withoutATokenReadinessDetailIsThisMachinesAlone() throws Exception {
        Health health = new Health("test", "lock", () -> true);
        health.webhookLastError(Optional.of("Wrong response from the webhook: 401 Unauthorized"));
        Javalin local = HttpEndpoints.create(health, registry(), MetricsAccess.of(Optional.empty())).start("0.0.0.0",
                0);
        try {
            assertThat(read("127.0.0.1", local.port(), "/readyz").body()).as("the operator's curl on the box")
                    .contains("\"version\"", "401 Unauthorized");
            HttpResponse<String> proxied = read("127.0.0.1", local.port(), "/readyz", "X-Forwarded-For", "203.0.113.7");
            assertThat(proxied.statusCode()).isEqualTo(503);
            assertThat(proxied.body()).as("through a proxy").isEqualTo("{\"ready\":false}");
            Optional<InetAddress> own = outsideAddress();
            if (own.isPresent()) {
                // from this machine's outside address the request is not a loopback one: what Render's proxy looks like
                HttpResponse<String> outside = read(own.get().getHostAddress(), local.port(), "/readyz");
                assertThat(outside.statusCode()).isEqualTo(503);
                assertThat(outside.body()).as("from another address").isEqualTo("{\"ready\":false}");
            }
        } finally {
            local.stop();
        }
        Javalin published = HttpEndpoints.create(health, registry(), MetricsAccess.of(Optional.empty(), true))
                .start("127.0.0.1", 0);
        try {
            assertThat(read("127.0.0.1", published.port(), "/readyz").body()).as("a bot with a public URL")
                    .isEqualTo("{\"ready\":false}");
        } finally {
            published.stop();
        }
    }

    private static Optional<InetAddress> outsideAddress() throws Exception {
        return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
    }

    @Test
    void withoutATokenAnotherMachineIsRefused() throws Exception {
        Optional<InetAddress> own = outsideAddress();
        Assumptions.assumeTrue(own.isPresent(), "no address but loopback on this machine");
        String host = own.get().getHostAddress();
        Javalin app = serve(MetricsAccess.of(Optional.empty()), host);
        try {
            // from this machine's outside address the request is not a loopback one: what Render's proxy looks like
            assertThat(get(host, app.port()).statusCode()).isEqualTo(403);
        } finally {
            app.stop();
        }
    }
}
