package dev.kiebot.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.kie.KieConfig;
import dev.kiebot.kie.StubConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Kie variables (moved here from the Kie adapter, which no longer reads the environment). */
class KieSettingsTest {
    private static final String TOKEN = "1234567:AAH1234567890abcdefghijklmnopqrstuv";
    private static final String KEY = "sk-live-abcdef0123456789";

    private static Map<String, String> env(Map<String, String> kie) {
        Map<String, String> m = new HashMap<>(kie);
        m.put("TELEGRAM_BOT_TOKEN", TOKEN);
        return m;
    }

    private static Settings settings(Map<String, String> kie) {
        return Settings.fromEnv(env(kie));
    }

    private static KieConfig live(Settings s) {
        return ((KieSettings.Backend.Live) s.kie().backend()).config();
    }

    private static StubConfig stub(Map<String, String> kie) {
        return ((KieSettings.Backend.Stub) settings(kie).kie().backend()).config();
    }

    private static List<String> problems(Map<String, String> kie) {
        try {
            Settings.fromEnv(env(kie));
            return List.of();
        } catch (ConfigException e) {
            return e.problems();
        }
    }

    @Test
    void envSelectsStubOrKie() {
        assertThat(settings(Map.of("KIE_STUB", "1")).kie().backend()).isInstanceOf(KieSettings.Backend.Stub.class);
        assertThat(settings(Map.of("DRY_RUN", "true")).kie().stubbed()).isTrue();
        Settings real = settings(Map.of("KIE_API_KEY", KEY, "KIE_BASE_URL", "https://api.kie.ai/api/v1"));
        assertThat(real.kie().backend()).isInstanceOf(KieSettings.Backend.Live.class);
        assertThat(live(real).baseUrl()).isEqualTo("https://api.kie.ai");
        assertThat(settings(Map.of("KIE_STUB", "0", "KIE_API_KEY", KEY)).kie().stubbed()).isFalse();
    }

    @Test
    void envReadsEveryVariable() {
        Map<String, String> env = new HashMap<>();
        env.put("KIE_API_KEY", KEY);
        env.put("KIE_UPLOAD_URL", "https://upload.example.test");
        env.put("KIE_CALLBACK_URL", "https://bot.example.test/kie");
        env.put("KIE_WEBHOOK_HMAC_KEY", "h");
        env.put("KIE_REQUEST_TIMEOUT_MS", "45000");
        env.put("KIE_STATUS_RPS", "5");
        env.put("KIE_DEADLINE_VIDEO_MIN", "40");
        assertThat(problems(env)).isEmpty();
        Settings s = settings(env);
        KieConfig c = live(s);
        assertThat(c.uploadUrl()).isEqualTo("https://upload.example.test");
        assertThat(c.callbackUrl()).contains("https://bot.example.test/kie/kie/callback/" + s.kie().callbackSecret());
        assertThat(c.hmacKey()).contains("h");
        assertThat(s.kie().hmacKey()).contains("h");
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.statusReadsPerSecond()).isEqualTo(5);
        assertThat(s.shop().deadline(Category.VIDEO)).as("deadlines are shop settings")
                .isEqualTo(Duration.ofMinutes(40));
    }

    @Test
    void envProblemsAreListedTogetherAndNameTheVariables() {
        assertThat(problems(Map.of())).singleElement().asString().contains("KIE_API_KEY");
        Map<String, String> env = Map.of("KIE_API_KEY", KEY, "KIE_STATUS_RPS", "50", "KIE_DEADLINE_IMAGE_MIN", "-1");
        assertThat(problems(env)).hasSize(2).anySatisfy(p -> assertThat(p).contains("KIE_STATUS_RPS"))
                .anySatisfy(p -> assertThat(p).contains("KIE_DEADLINE_IMAGE_MIN"));
        assertThat(problems(Map.of("KIE_STUB", "1", "KIE_STUB_FAIL_RATE", "x"))).singleElement().asString()
                .contains("KIE_STUB_FAIL_RATE");
        assertThat(problems(Map.of("KIE_API_KEY", KEY, "KIE_BASE_URL", "nonsense"))).singleElement().asString()
                .contains("KIE_BASE_URL");
    }

    @Test
    void stubConfigFromEnv() {
        long before = System.currentTimeMillis();
        StubConfig c = stub(Map.of("KIE_STUB", "1", "KIE_STUB_FAIL_CODE", "402", "KIE_STUB_DELAY_MS", "1500",
                "KIE_STUB_FAIL_RATE", "0.25"));
        assertThat(c.forcedError()).contains(ErrorKind.OUT_OF_CREDITS);
        assertThat(c.failAt()).isEqualTo(StubConfig.FailAt.SUBMIT);
        assertThat(c.delay()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.failRate()).isEqualTo(0.25);
        assertThat(c.firstTaskNumber()).as("task ids start at the wall clock's millis")
                .isBetween(before, System.currentTimeMillis());

        StubConfig d = stub(Map.of("KIE_STUB", "1"));
        assertThat(d.forcedError()).isEmpty();
        assertThat(d.effectiveFailRate()).isZero();
        assertThat(d.delay()).isEqualTo(Duration.ofSeconds(3));
        assertThat(stub(Map.of("KIE_STUB", "1", "KIE_STUB_FAIL_CODE", "generation_failed", "KIE_STUB_FAIL_AT",
                "status")).failAt()).isEqualTo(StubConfig.FailAt.STATUS);

        assertThatThrownBy(() -> stub(Map.of("KIE_STUB", "1", "KIE_STUB_FAIL_RATE", "2")))
                .hasMessageContaining("KIE_STUB_FAIL_RATE");
        assertThatThrownBy(() -> stub(Map.of("KIE_STUB", "1", "KIE_STUB_FAIL_CODE", "teapot")))
                .hasMessageContaining("KIE_STUB_FAIL_CODE");
        assertThatThrownBy(() -> stub(Map.of("KIE_STUB", "1", "KIE_STUB_DELAY_MS", "soon")))
                .hasMessageContaining("KIE_STUB_DELAY_MS");
    }

    @Test
    void theKieKeyAndTheHmacKeyAreMaskedAndNeverShown() {
        Settings s = settings(Map.of("KIE_API_KEY", KEY, "KIE_WEBHOOK_HMAC_KEY", "hmac-secret-value",
                "WEBHOOK_BASE_URL", "https://bot.example.com"));
        assertThat(s.secrets()).contains(KEY, "hmac-secret-value", s.kie().callbackSecret());
        assertThat(s.kie().toString()).doesNotContain(KEY).doesNotContain("hmac-secret-value")
                .doesNotContain(s.kie().callbackSecret());
        assertThat(settings(Map.of("KIE_STUB", "1", "KIE_API_KEY", KEY)).secrets())
                .as("masked even when the stub is on").contains(KEY);
    }
}
