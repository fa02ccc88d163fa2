package dev.kiebot.kie;

import static dev.kiebot.kie.KieTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.kie.fake.KieTestModels;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An answer far larger than any Kie sends (a runaway proxy, a misrouted download) is refused without being read
 * whole: the JDK's byte-array handler has no limit, and on a small box (128 MiB of heap) a few such answers at
 * once stopped the bot. The answers here are valid JSON with a task id, so only the limit refuses them.
 */
class OversizedAnswerTest {
    private HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();
    private volatile boolean declareLength;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            calls.incrementAndGet();
            byte[] head = "{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"t-1\",\"pad\":\"".getBytes(StandardCharsets.UTF_8);
            byte[] tail = "\"}}".getBytes(StandardCharsets.UTF_8);
            byte[] pad = new byte[64 * 1024];
            java.util.Arrays.fill(pad, (byte) 'a');
            int pads = (CappedAnswer.BYTES_MAX / pad.length) * 3;
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, declareLength ? head.length + (long) pads * pad.length + tail.length : 0);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(head);
                for (int i = 0; i < pads; i++) {
                    body.write(pad);
                }
                body.write(tail);
            } catch (java.io.IOException closedByTheClient) {
                // the client stopped reading: what the limit is for
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private KieProvider provider() {
        return KieTestSupport.provider("http://127.0.0.1:" + server.getAddress().getPort(), Duration.ofSeconds(10));
    }

    @Test
    void aStreamedCreateTaskAnswerOverTheLimitIsRefusedAndNotSentAgain() {
        declareLength = false;
        assertThatThrownBy(() -> provider().submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "fox"))))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_RESPONSE);
                    assertThat(e.mayHaveReachedProvider()).isTrue();
                    assertThat(e.getMessage()).contains("answer over");
                });
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void anAnswerDeclaredOverTheLimitIsRefused() {
        declareLength = true;
        assertThatThrownBy(() -> provider().status(KieTestModels.nanoBanana(), "t-1"))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_RESPONSE);
                    assertThat(e.getMessage()).contains("answer over");
                });
    }
}
