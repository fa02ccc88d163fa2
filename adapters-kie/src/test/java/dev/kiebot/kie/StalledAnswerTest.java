package dev.kiebot.kie;

import static dev.kiebot.kie.KieTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.kie.fake.KieTestModels;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kie (or a proxy before it) sends an answer's headers, then its body stalls. The JDK client's request timeout ends
 * at the headers, and it has no read timeout: the call waited for ever (found by a review). A createTask held so
 * outlived the job's send window — refunded as cut off by another worker while Kie made it — and each such call
 * took a worker thread for good. The timeout bounds the whole answer.
 */
class StalledAnswerTest {
    private HttpServer server;
    private ExecutorService handlers;
    private final AtomicInteger calls = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            calls.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            OutputStream body = exchange.getResponseBody();
            body.write("{\"code\":200,".getBytes());
            body.flush();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        handlers = Executors.newCachedThreadPool();
        server.setExecutor(handlers);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        handlers.shutdownNow();
    }

    private KieProvider provider() {
        return KieTestSupport.provider("http://127.0.0.1:" + server.getAddress().getPort(), Duration.ofMillis(500));
    }

    @Test
    void aCreateTaskWhoseBodyStallsTimesOutOnceAndIsNotSentAgain() {
        KieProvider kie = provider();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> kie.submit(
                request(KieTestModels.nanoBanana(), Map.of("prompt", "fox"))))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
                    assertThat(e.mayHaveReachedProvider()).isTrue();
                }));
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void aStatusReadWhoseBodyStallsTimesOut() {
        KieProvider kie = provider();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> kie.status(
                KieTestModels.nanoBanana(), "task-1"))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT)));
    }
}
