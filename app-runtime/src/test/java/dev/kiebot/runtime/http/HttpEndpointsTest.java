package dev.kiebot.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The HTTP server's own limit: connections open at once, past which nothing more is served until one closes. */
class HttpEndpointsTest {
    /**
     * How long an answer that must come may take: the server's first answer loads Jetty's and Javalin's classes, which
     * took over 5 s on a 2-core machine shared with other builds (an answer that must not come is waited for 1 s).
     */
    private static final int ANSWER_WAIT_MILLIS = 30_000;
    private static final byte[] HEALTHZ = ("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    @Test
    void pastItsConnectionsTheServerServesNoMoreUntilOneCloses() throws Exception {
        Javalin app = HttpEndpoints.create(new Health("test", "lock", () -> true),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), MetricsAccess.of(Optional.empty()),
                routes -> { }, 2).start("127.0.0.1", 0);
        try (Socket first = new Socket("127.0.0.1", app.port());
             Socket second = new Socket("127.0.0.1", app.port())) {
            assertThat(asked(first, ANSWER_WAIT_MILLIS)).isEqualTo("HTTP/1.1 200 OK");
            assertThat(asked(second, ANSWER_WAIT_MILLIS)).isEqualTo("HTTP/1.1 200 OK");
            try (Socket third = new Socket("127.0.0.1", app.port())) {
                assertThat(asked(third, 1_000)).as("a third connection, while two are open").isEmpty();
                first.close();
                assertThat(statusLine(third, ANSWER_WAIT_MILLIS)).as("once one closed").isEqualTo("HTTP/1.1 200 OK");
            }
        } finally {
            app.stop();
        }
    }

    /** Asks for /healthz on {@code s}. @return {@link #statusLine} */
    private static String asked(Socket s, int waitMillis) throws Exception {
        s.getOutputStream().write(HEALTHZ);
        return statusLine(s, waitMillis);
    }

    /** @return the next answer's status line on {@code s}, or empty when none came in time */
    private static String statusLine(Socket s, int waitMillis) throws Exception {
        s.setSoTimeout(waitMillis);
        StringBuilder line = new StringBuilder();
        InputStream in = s.getInputStream();
        try {
            for (int c = in.read(); c >= 0 && c != '\r'; c = in.read()) {
                line.append((char) c);
            }
        } catch (SocketTimeoutException none) {
            return "";
        }
        skipAnswer(in);
        return line.toString();
    }

    /** Reads the rest of a small answer (its headers and a short body), so that the next one starts clean. */
    private static void skipAnswer(InputStream in) throws Exception {
        int length = 0;
        StringBuilder header = new StringBuilder();
        for (int c = in.read(); c >= 0; c = in.read()) {
            if (c == '\n') {
                String h = header.toString().trim();
                if (h.isEmpty()) {
                    break;
                }
                if (h.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(h.substring("content-length:".length()).trim());
                }
                header.setLength(0);
            } else {
                header.append((char) c);
            }
        }
        in.readNBytes(length);
    }
}
