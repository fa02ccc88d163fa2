package dev.kiebot.kie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.jobs.GenerationProvider;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KieConfigTest {
    private static final String KEY = "sk-live-abcdef0123456789";

    @Test
    void defaults() {
        KieConfig c = KieConfig.builder(KEY).build();
        assertThat(c.baseUrl()).isEqualTo("https://api.kie.ai");
        assertThat(c.uploadUrl()).isEqualTo("https://kieai.redpandaai.co");
        assertThat(c.uploadPath()).isEqualTo("kiebot/uploads");
        assertThat(c.callbackUrl()).isEmpty();
        assertThat(c.hmacKey()).isEmpty();
        assertThat(c.sunoPlaceholderCallbackUrl()).isEqualTo("https://api.kie.ai");
        assertThat(c.statusReadsPerSecond()).isEqualTo(8);
    }

    @Test
    void apiV1IsNeverDoubled() {
        for (String url : new String[] {"https://api.kie.ai/api/v1", "https://api.kie.ai/api/v1/", "https://api.kie.ai/",
            "https://api.kie.ai/api", " https://api.kie.ai/API/V1 "}) {
            assertThat(KieConfig.builder(KEY).baseUrl(url).build().baseUrl()).as(url).isEqualTo("https://api.kie.ai");
        }
        assertThat(KieConfig.builder(KEY).uploadUrl("https://kieai.redpandaai.co/api/").build().uploadUrl())
                .isEqualTo("https://kieai.redpandaai.co");
        assertThat(KieConfig.builder(KEY).uploadPath("/a/b/").build().uploadPath()).isEqualTo("a/b");
    }

    @Test
    void toStringNeverShowsSecrets() {
        KieConfig c = KieConfig.builder(KEY).hmacKey("hmac-secret-value")
                .callbackUrl("https://bot.example.test/kie/callback/path-secret-123").build();
        assertThat(c.toString()).doesNotContain(KEY).doesNotContain("hmac-secret-value")
                .doesNotContain("path-secret-123").contains("***");
        assertThat(c.keyFingerprint()).hasSize(8).isNotEqualTo(KEY.substring(0, 8));
    }

    @Test
    void rejectsBadValuesWithoutEchoingThem() {
        assertThatThrownBy(() -> KieConfig.builder(" ").build()).hasMessageContaining("KIE_API_KEY");
        assertThatThrownBy(() -> KieConfig.builder("abc def").build()).hasMessageNotContaining("abc def");
        assertThatThrownBy(() -> KieConfig.builder(KEY).baseUrl("ftp://x").build()).hasMessageContaining("KIE_BASE_URL");
        assertThatThrownBy(() -> KieConfig.builder(KEY).baseUrl("https://user:pw@api.kie.ai").build())
                .hasMessageNotContaining("pw");
        assertThatThrownBy(() -> KieConfig.builder(KEY).statusReadsPerSecond(10).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KieConfig.builder(KEY).requestTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void envSelectsStubOrKie() {
        GenerationProvider stub = KieEnv.provider(Map.of("KIE_STUB", "1"));
        assertThat(stub).isInstanceOf(StubProvider.class);
        assertThat(KieEnv.provider(Map.of("DRY_RUN", "true"))).isInstanceOf(StubProvider.class);
        GenerationProvider real = KieEnv.provider(Map.of("KIE_API_KEY", KEY, "KIE_BASE_URL", "https://api.kie.ai/api/v1"));
        assertThat(real).isInstanceOf(KieProvider.class);
        assertThat(((KieProvider) real).config().baseUrl()).isEqualTo("https://api.kie.ai");
        assertThat(KieEnv.stubbed(Map.of("KIE_STUB", "0"))).isFalse();
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
        KieConfig c = KieEnv.kieConfig(env);
        assertThat(c.uploadUrl()).isEqualTo("https://upload.example.test");
        assertThat(c.callbackUrl()).contains("https://bot.example.test/kie");
        assertThat(c.hmacKey()).contains("h");
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.statusReadsPerSecond()).isEqualTo(5);
        assertThat(KieEnv.pollSchedule(env).deadline(Category.VIDEO)).isEqualTo(Duration.ofMinutes(40));
        assertThat(KieEnv.problems(env)).isEmpty();
    }

    @Test
    void envProblemsAreListedTogetherAndNameTheVariables() {
        assertThat(KieEnv.problems(Map.of())).singleElement().asString().contains("KIE_API_KEY");
        Map<String, String> env = Map.of("KIE_API_KEY", KEY, "KIE_STATUS_RPS", "50", "KIE_DEADLINE_IMAGE_MIN", "-1");
        assertThat(KieEnv.problems(env)).hasSize(2).anySatisfy(p -> assertThat(p).contains("KIE_STATUS_RPS"))
                .anySatisfy(p -> assertThat(p).contains("KIE_DEADLINE_IMAGE_MIN"));
        assertThat(KieEnv.problems(Map.of("KIE_STUB", "1", "KIE_STUB_FAIL_RATE", "x"))).singleElement().asString()
                .contains("KIE_STUB_FAIL_RATE");
        assertThat(KieEnv.problems(Map.of("KIE_API_KEY", KEY, "KIE_BASE_URL", "nonsense"))).singleElement().asString()
                .contains("KIE_BASE_URL");
    }
}
