package dev.kiebot.kie;

import static dev.kiebot.kie.KieTestSupport.config;
import static dev.kiebot.kie.KieTestSupport.provider;
import static dev.kiebot.kie.KieTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.kie.fake.FakeKieServer;
import dev.kiebot.kie.fake.FakeKieServer.Endpoint;
import dev.kiebot.kie.fake.FakeKieServer.Reply;
import dev.kiebot.kie.fake.KieTestModels;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every Kie answer maps to one {@link ErrorKind}; each case runs against the fake server. */
class KieErrorMappingTest {
    private FakeKieServer kie;
    private KieProvider provider;

    @BeforeEach
    void start() {
        kie = FakeKieServer.start();
        provider = provider(config(kie).submitAttempts(1).readAttempts(1).build());
    }

    @AfterEach
    void stop() {
        kie.close();
    }

    private ProviderException submitFails() {
        try {
            provider.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "fox")));
        } catch (ProviderException e) {
            return e;
        }
        throw new AssertionError("submit should have failed");
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({
        "401, AUTH, false",
        "402, OUT_OF_CREDITS, false",
        "404, NOT_FOUND, true",
        "400, INVALID_INPUT, false",
        "422, INVALID_INPUT, false",
        "429, RATE_LIMITED, false",
        "433, KEY_LIMIT, false",
        "455, MAINTENANCE, false",
        "500, SERVER, true",
        "501, GENERATION_FAILED, true",
        "505, FEATURE_DISABLED, false",
        "503, SERVER, false",
    })
    void httpStatus(int status, ErrorKind kind, boolean mayHaveReached) {
        kie.enqueue(Endpoint.CREATE_TASK, Reply.error(status, "kie says " + status));
        ProviderException e = submitFails();
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.mayHaveReachedProvider()).isEqualTo(mayHaveReached);
        assertThat(e.getMessage()).contains("kie says " + status);
    }

    @ParameterizedTest(name = "HTTP 200 with body code {0} -> {1}")
    @CsvSource({
        "401, AUTH", "402, OUT_OF_CREDITS", "404, NOT_FOUND", "400, INVALID_INPUT", "422, INVALID_INPUT",
        "429, RATE_LIMITED", "433, KEY_LIMIT", "455, MAINTENANCE", "500, SERVER", "501, GENERATION_FAILED",
        "505, FEATURE_DISABLED",
    })
    void bodyCodeUnderHttp200(int code, ErrorKind kind) {
        kie.enqueue(Endpoint.CREATE_TASK, Reply.bodyError(code, "body code " + code));
        assertThat(submitFails().kind()).isEqualTo(kind);
    }

    /**
     * Kie's refusals by its content rules, in its documented words, are {@code CONTENT_POLICY}: a failed task's
     * failCode 422 «Invalid prompt: prompt contains prohibited content» (kie-api.md §1), the content-policy 400 of §6;
     * the same codes refusing a parameter stay {@code INVALID_INPUT}, and a failure of Kie's own stays its kind. They
     * were all {@code INVALID_INPUT}, and the user was told to change his description for a photo Kie could not use.
     */
    @ParameterizedTest(name = "failed task, failCode {0} «{1}» -> {2}")
    @CsvSource({
        "422, Invalid prompt: prompt contains prohibited content, CONTENT_POLICY",
        "400, The request was rejected by our content policy, CONTENT_POLICY",
        "'', Invalid prompt: prompt contains prohibited content, CONTENT_POLICY",
        "422, aspect_ratio must be one of 1:1 or 16:9, INVALID_INPUT",
        "400, image download failed, INVALID_INPUT",
        "'', upstream broke, GENERATION_FAILED",
        "500, internal error, SERVER",
    })
    void aFailedTaskRefusedByKiesContentRulesIsContentPolicy(String code, String message, ErrorKind kind)
            throws Exception {
        String id = provider.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "fox")));
        kie.fail(id, code, message);
        assertThat(provider.status(KieTestModels.nanoBanana(), id)).isInstanceOfSatisfying(
                dev.kiebot.core.jobs.TaskStatus.Failed.class, f -> assertThat(f.kind()).isEqualTo(kind));
    }

    /** A createTask refused by Kie's content rules ({@code code} 400 saying so, kie-api.md §6) is told apart too. */
    @ParameterizedTest(name = "createTask body code {0} «{1}» -> {2}")
    @CsvSource({
        "400, The request was rejected by our content policy, CONTENT_POLICY",
        "422, Invalid prompt: prompt contains prohibited content, CONTENT_POLICY",
        "422, aspect_ratio must be one of 1:1 or 16:9, INVALID_INPUT",
        "500, internal error, SERVER",
    })
    void aCreateTaskRefusedByKiesContentRulesIsContentPolicy(int code, String message, ErrorKind kind) {
        kie.enqueue(Endpoint.CREATE_TASK, Reply.bodyError(code, message));
        ProviderException e = submitFails();
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.mayHaveReachedProvider()).as("a refusal of the request made no task").isEqualTo(code == 500);
    }

    @Test
    void invalidInputCarriesKieMessage() {
        kie.enqueue(Endpoint.CREATE_TASK, Reply.bodyError(422, "aspect_ratio must be one of 1:1, 16:9"));
        assertThat(submitFails().getMessage()).contains("aspect_ratio must be one of 1:1, 16:9");
    }

    @Test
    void messageFieldIsReadToo() {
        kie.enqueue(Endpoint.CREATE_TASK, Reply.ok("{\"code\":402,\"message\":\"Insufficient Credits\"}"));
        ProviderException e = submitFails();
        assertThat(e.kind()).isEqualTo(ErrorKind.OUT_OF_CREDITS);
        assertThat(e.getMessage()).contains("Insufficient Credits");
    }

    @Test
    void badJsonIsMalformed() {
        kie.enqueue(Endpoint.CREATE_TASK, Reply.ok("{\"code\":200,\"msg\":\"succ"));
        ProviderException e = submitFails();
        assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_RESPONSE);
        assertThat(e.mayHaveReachedProvider()).isTrue();
    }

    @Test
    void htmlPageIsMalformed() {
        kie.enqueue(Endpoint.CREATE_TASK, Reply.raw(200, "text/html", "<!DOCTYPE html><html><body>Cloudflare</body></html>"));
        ProviderException e = submitFails();
        assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_RESPONSE);
        assertThat(e.getMessage()).contains("HTML");
    }

    @Test
    void htmlErrorPageUsesTheHttpStatus() {
        kie.enqueue(Endpoint.CREATE_TASK, Reply.raw(502, "text/html", "<html>Bad Gateway</html>"));
        assertThat(submitFails().kind()).isEqualTo(ErrorKind.SERVER);
    }

    @Test
    void emptyBodyIsMalformed() {
        kie.enqueue(Endpoint.CREATE_TASK, Reply.raw(200, "application/json", ""));
        ProviderException e = submitFails();
        assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_RESPONSE);
        assertThat(e.getMessage()).contains("empty body");
    }

    /**
     * Kie said success, so it made the task: an answer whose id cannot be read is a lost answer (the job waits for Kie's
     * callback, CreateAnswerWithoutTaskIdTest), not a garbled one (refunded at once), and never sent again.
     */
    @Test
    void successWithoutTaskIdIsALostAnswer() {
        kie.enqueue(Endpoint.CREATE_TASK, Reply.ok("{\"code\":200,\"msg\":\"success\",\"data\":{}}"));
        ProviderException e = submitFails();
        assertThat(e.kind()).isEqualTo(ErrorKind.CONNECT);
        assertThat(e.mayHaveReachedProvider()).isTrue();
        assertThat(e.getMessage()).contains("no task id");
        assertThat(kie.count(Endpoint.CREATE_TASK)).isEqualTo(1);
    }

    @Test
    void snakeCaseTaskIdIsAccepted() throws Exception {
        kie.enqueue(Endpoint.CREATE_TASK, Reply.ok("{\"code\":200,\"msg\":\"success\",\"data\":{\"task_id\":\"abc123\"}}"));
        assertThat(provider.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "fox")))).isEqualTo("abc123");
    }

    @Test
    void readTimeoutIsTimeoutAndMayHaveReached() {
        KieProvider slow = provider(config(kie).requestTimeout(Duration.ofMillis(300)).build());
        kie.enqueue(Endpoint.RECORD_INFO, Reply.ok("{}").after(Duration.ofSeconds(5)),
                Reply.ok("{}").after(Duration.ofSeconds(5)), Reply.ok("{}").after(Duration.ofSeconds(5)));
        assertThatThrownBy(() -> slow.status(KieTestModels.nanoBanana(), "t1"))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
                    assertThat(e.mayHaveReachedProvider()).isTrue();
                });
    }

    @Test
    void connectFailureIsConnectAndSurelyNotReached() throws IOException {
        // a port held bound and never listening refuses every connection, and nothing else can take it meanwhile: a
        // server socket opened and closed gave its port back, and another server of the -T1C build (a fake Kie, a
        // fake Telegram, a runner) could take it and answer
        try (Socket refusing = new Socket()) {
            refusing.setReuseAddress(false);
            refusing.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            KieProvider dead = provider(KieConfig.builder(KieTestSupport.KEY)
                    .baseUrl("http://127.0.0.1:" + refusing.getLocalPort())
                    .connectTimeout(Duration.ofSeconds(2)).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2))
                    .build());
            assertThatThrownBy(() -> dead.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "fox"))))
                    .isInstanceOfSatisfying(ProviderException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.CONNECT);
                        assertThat(e.mayHaveReachedProvider()).isFalse();
                    });
            assertThatThrownBy(dead::credits).isInstanceOfSatisfying(ProviderException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONNECT));
        }
    }

    @Test
    void statusReadErrorsMapTheSameWay() {
        kie.enqueue(Endpoint.RECORD_INFO, Reply.bodyError(404, "Task not found"));
        assertThatThrownBy(() -> provider.status(KieTestModels.nanoBanana(), "x"))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        kie.enqueue(Endpoint.RECORD_INFO, Reply.raw(200, "text/html", "<html>oops</html>"));
        assertThatThrownBy(() -> provider.status(KieTestModels.nanoBanana(), "x"))
                .isInstanceOfSatisfying(ProviderException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_RESPONSE));
    }

    /**
     * A 404 that is not Kie's answer (a proxy's or gateway's page in an outage) is not Kie saying it does not know the
     * task: the shop refunds a task Kie does not know 3 minutes after its submission (JobWorker.NOT_FOUND_GRACE), so
     * such a page taken for "not found" refunded every job in flight while Kie went on making, and charging for, the
     * results (found by a review). It is read again, as any answer that is not Kie's; Kie's own 404 stays NOT_FOUND.
     */
    @Test
    void aStatusRead404ThatIsNotKiesAnswerIsReadAgainNotTakenForATaskKieLost() {
        for (Reply notKies : List.of(Reply.raw(404, "text/html", "<html><body>404 Not Found</body></html>"),
                Reply.raw(404, "application/json", "{\"message\":\"no Route matched with those values\"}"))) {
            kie.enqueue(Endpoint.RECORD_INFO, notKies);
            assertThatThrownBy(() -> provider.status(KieTestModels.nanoBanana(), "x"))
                    .isInstanceOfSatisfying(ProviderException.class, e -> {
                        assertThat(e.kind()).as(notKies.body()).isNotEqualTo(ErrorKind.NOT_FOUND);
                        assertThat(e.kind().retryable()).as("read again").isTrue();
                    });
        }
        kie.enqueue(Endpoint.RECORD_INFO, Reply.error(404, "Task not found"));
        assertThatThrownBy(() -> provider.status(KieTestModels.nanoBanana(), "x"))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void mappingTableCoversTheDocumentedCodes() {
        assertThat(KieErrors.kindFor(401)).isEqualTo(ErrorKind.AUTH);
        assertThat(KieErrors.kindFor(402)).isEqualTo(ErrorKind.OUT_OF_CREDITS);
        assertThat(KieErrors.kindFor(404)).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(KieErrors.kindFor(400)).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(KieErrors.kindFor(422)).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(KieErrors.kindFor(429)).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(KieErrors.kindFor(433)).isEqualTo(ErrorKind.KEY_LIMIT);
        assertThat(KieErrors.kindFor(455)).isEqualTo(ErrorKind.MAINTENANCE);
        assertThat(KieErrors.kindFor(500)).isEqualTo(ErrorKind.SERVER);
        assertThat(KieErrors.kindFor(501)).isEqualTo(ErrorKind.GENERATION_FAILED);
        assertThat(KieErrors.kindFor(505)).isEqualTo(ErrorKind.FEATURE_DISABLED);
        assertThat(KieErrors.kindFor(408)).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(KieErrors.kindFor(531)).isEqualTo(ErrorKind.GENERATION_FAILED);
        assertThat(KieErrors.kindFor(302)).isEqualTo(ErrorKind.MALFORMED_RESPONSE);
        assertThat(KieErrors.surelyNotProcessed(429)).isTrue();
        assertThat(KieErrors.surelyNotProcessed(500)).isFalse();
    }
}
