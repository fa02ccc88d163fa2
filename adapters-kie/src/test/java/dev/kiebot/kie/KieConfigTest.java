package dev.kiebot.kie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
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
}
