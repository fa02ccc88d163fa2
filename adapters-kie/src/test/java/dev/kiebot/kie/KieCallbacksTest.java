package dev.kiebot.kie;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.kiebot.core.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class KieCallbacksTest {
    private static final String KEY = "hmac-secret-key";
    private static final String MARKET = "{\"code\":200,\"msg\":\"Playground task completed successfully.\",\"data\":{"
            + "\"taskId\":\"bd8f4b1a52048d0f17a38b49591abfa1\",\"model\":\"wan/3-0-video-prime\",\"state\":\"success\","
            + "\"param\":\"{}\",\"resultJson\":\"{\\\"resultUrls\\\":[\\\"https://evil.example/fake.mp4\\\"]}\"}}";
    private static final String SUNO = "{\"code\":200,\"msg\":\"All generated successfully.\",\"data\":{"
            + "\"callbackType\":\"complete\",\"task_id\":\"2fac9a4b7c3d\",\"data\":[{\"id\":\"x\",\"audio_url\":\"https://a\"}]}}";

    private final MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
    private final KieCallbacks signed = new KieCallbacks(Optional.of(KEY), clock);
    private final KieCallbacks open = new KieCallbacks(Optional.empty(), clock);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Map<String, String> headers(String taskId, long ts) {
        return Map.of("X-Webhook-Timestamp", Long.toString(ts),
                "X-Webhook-Signature", KieCallbacks.sign(KEY, taskId + "." + ts));
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    @Test
    void withoutKeyTheTaskIdIsTakenFromMarketAndSunoShapes() {
        assertThat(open.taskIdToRecheck(bytes(MARKET), Map.of())).contains("bd8f4b1a52048d0f17a38b49591abfa1");
        assertThat(open.taskIdToRecheck(bytes(SUNO), Map.of())).contains("2fac9a4b7c3d");
        assertThat(open.verifiesSignatures()).isFalse();
    }

    @Test
    void validSignature() {
        KieCallbacks.Check c = signed.check(bytes(MARKET), headers("bd8f4b1a52048d0f17a38b49591abfa1", now()));
        assertThat(c.accepted()).isTrue();
        assertThat(c.taskId()).contains("bd8f4b1a52048d0f17a38b49591abfa1");
        assertThat(c.rejection()).isEmpty();
        assertThat(signed.taskIdToRecheck(bytes(SUNO), headers("2fac9a4b7c3d", now() - 60))).contains("2fac9a4b7c3d");
    }

    @Test
    void knownSignatureVector() {
        // base64(HMAC-SHA256("task123.1700000000", "hmac-secret-key")), computed independently with openssl
        assertThat(KieCallbacks.sign(KEY, "task123.1700000000")).isEqualTo(EXPECTED_VECTOR);
    }

    static final String EXPECTED_VECTOR = "UPacdGR7VOmdzwycvV8xE3rvhyBlSlbbEcKtTGSCjRI=";

    @Test
    void wrongSignature() {
        Map<String, String> h = new HashMap<>(headers("bd8f4b1a52048d0f17a38b49591abfa1", now()));
        h.put("X-Webhook-Signature", KieCallbacks.sign("other-key", "bd8f4b1a52048d0f17a38b49591abfa1." + now()));
        KieCallbacks.Check c = signed.check(bytes(MARKET), h);
        assertThat(c.accepted()).isFalse();
        assertThat(c.rejection()).contains("bad signature");
        // a signature for another task id does not fit either
        assertThat(signed.check(bytes(MARKET), headers("other-task", now())).rejection()).contains("bad signature");
    }

    /**
     * Kie's key regenerated at kie.ai/settings: every callback fails its signature until KIE_WEBHOOK_HMAC_KEY follows.
     * One WARN a spell says what to check (each callback's own WARN named nothing); a callback passing ends the spell.
     */
    @Test
    void aSpellOfBadSignaturesIsOneWarningThatNamesTheKeyAndWhereKieShowsIt() {
        Logger logger = (Logger) LoggerFactory.getLogger(KieCallbacks.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            Map<String, String> rotated = Map.of("X-Webhook-Timestamp", Long.toString(now()), "X-Webhook-Signature",
                    KieCallbacks.sign("regenerated-key", "bd8f4b1a52048d0f17a38b49591abfa1." + now()));
            for (int i = 0; i < 5; i++) {
                assertThat(signed.check(bytes(MARKET), rotated).rejection()).contains("bad signature");
            }
            assertThat(warnings(logged)).singleElement().asString()
                    .contains("bad signature", "KIE_WEBHOOK_HMAC_KEY", "kie.ai/settings");

            assertThat(signed.check(bytes(MARKET), headers("bd8f4b1a52048d0f17a38b49591abfa1", now())).accepted())
                    .isTrue();
            signed.check(bytes(MARKET), rotated);
            assertThat(warnings(logged)).as("a new spell is said again").hasSize(2);
        } finally {
            logger.detachAppender(logged);
        }
    }

    /**
     * Bodies that are no callback, sent with the callback token (leaked, or Kie misbehaving): one WARNING each before,
     * 13,000 callbacks gave 12,278 lines (review R3). Now one a minute at most, with how many came.
     */
    @Test
    void badBodiesAreSaidAtMostOnceAMinuteWithACount() {
        Logger logger = (Logger) LoggerFactory.getLogger(KieCallbacks.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            for (int i = 0; i < 100; i++) {
                assertThat(open.check(bytes("not json at all"), Map.of()).rejection()).contains("body is not JSON");
            }
            assertThat(warnings(logged)).singleElement().asString().contains("body is not JSON", "(1 rejected");
            clock.advance(Duration.ofMinutes(1));
            open.check(bytes("not json at all"), Map.of());
            assertThat(warnings(logged)).hasSize(2).last().asString().contains("(100 rejected since");
        } finally {
            logger.detachAppender(logged);
        }
    }

    private static java.util.List<String> warnings(ListAppender<ILoggingEvent> logged) {
        return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void staleTimestamp() {
        long old = now() - Duration.ofMinutes(6).toSeconds();
        assertThat(signed.check(bytes(MARKET), headers("bd8f4b1a52048d0f17a38b49591abfa1", old)).rejection())
                .contains("stale timestamp");
        long future = now() + Duration.ofMinutes(6).toSeconds();
        assertThat(signed.check(bytes(MARKET), headers("bd8f4b1a52048d0f17a38b49591abfa1", future)).rejection())
                .contains("stale timestamp");
        long edge = now() - Duration.ofMinutes(5).toSeconds();
        assertThat(signed.check(bytes(MARKET), headers("bd8f4b1a52048d0f17a38b49591abfa1", edge)).accepted()).isTrue();
    }

    @Test
    void missingHeadersWhenKeySet() {
        assertThat(signed.check(bytes(MARKET), Map.of()).rejection()).contains("missing signature headers");
        assertThat(signed.check(bytes(MARKET), Map.of("X-Webhook-Timestamp", Long.toString(now()))).rejection())
                .contains("missing signature headers");
        assertThat(signed.check(bytes(MARKET), Map.of("X-Webhook-Timestamp", "yesterday", "X-Webhook-Signature", "x"))
                .rejection()).contains("malformed timestamp");
    }

    @Test
    void headerNamesInAnyCase() {
        long ts = now();
        String sig = KieCallbacks.sign(KEY, "bd8f4b1a52048d0f17a38b49591abfa1." + ts);
        assertThat(signed.check(bytes(MARKET), Map.of("x-webhook-timestamp", Long.toString(ts),
                "x-webhook-signature", sig)).accepted()).isTrue();
        assertThat(signed.check(bytes(MARKET), Map.of("X-WEBHOOK-TIMESTAMP", Long.toString(ts),
                "X-Webhook-SIGNATURE", sig)).accepted()).isTrue();
    }

    @Test
    void garbageIsRejectedWithAReason() {
        assertThat(open.check(bytes("not json at all"), Map.of()).rejection()).contains("body is not JSON");
        assertThat(open.check(bytes("[1,2]"), Map.of()).rejection()).contains("body is not a JSON object");
        assertThat(open.check(bytes("{\"code\":200}"), Map.of()).rejection()).contains("no data object");
        assertThat(open.check(bytes("{\"data\":{\"state\":\"success\"}}"), Map.of()).rejection())
                .contains("no data.taskId or data.task_id");
        assertThat(open.check(bytes("{\"data\":{\"taskId\":\"../../etc/passwd\"}}"), Map.of()).rejection())
                .contains("malformed task id");
        assertThat(open.check(new byte[0], Map.of()).rejection()).contains("empty body");
        assertThat(open.check(new byte[KieCallbacks.BODY_BYTES_MAX + 1], Map.of()).rejection()).contains("body too large");
        assertThat(open.taskIdToRecheck(bytes("{"), Map.of())).isEmpty();
    }

    @Test
    void theCallbackContentIsNeverReturned() {
        // only the id comes out: results are re-read from Kie with status()
        KieCallbacks.Check c = open.check(bytes(MARKET), Map.of());
        assertThat(c.toString()).doesNotContain("evil.example");
    }
}
