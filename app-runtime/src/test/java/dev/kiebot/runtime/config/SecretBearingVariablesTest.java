package dev.kiebot.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A refused configuration is printed as the start's last log line: its problems never quote a value that holds or may
 * hold a secret.
 */
class SecretBearingVariablesTest {
    private static final String TOKEN = "1234567:AAH1234567890abcdefghijklmnopqrstuv";

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("TELEGRAM_BOT_TOKEN", TOKEN);
        m.put("KIE_STUB", "1");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static List<String> problems(Map<String, String> environment) {
        ConfigException refused = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> Settings.fromEnv(environment));
        return refused.problems();
    }

    /** A URL's path, query or user info may carry a token: the problem says what is wrong with its shape instead. */
    @Test
    void aUrlVariableIsRefusedByItsShapeWithoutQuotingIt() {
        List<String> refused = problems(env(
                "KIE_CALLBACK_URL", "ftp://in.example.com/kie?token=tok3n-in-the-query",
                "WEBHOOK_BASE_URL", "https://bot example.com/tok3n-in-the-path",
                "TELEGRAM_API_URL", "https:///tok3n-and-no-host"));
        assertThat(refused).contains(
                "KIE_CALLBACK_URL must start with https:// (or http://): write it like https://example.com",
                "WEBHOOK_BASE_URL is not a URL (Illegal character in authority): write it like "
                        + "https://example.com",
                "TELEGRAM_API_URL has no host (a host name is letters, digits, - and .): write it like "
                        + "https://example.com");
        assertThat(String.join("\n", refused)).doesNotContain("tok3n");
    }

    @Test
    void onlyAHarmlessVariablesValueIsQuoted() {
        Env env = new Env(Map.of());
        assertThat(env.got("LOG_LEVEL", "loud")).isEqualTo(", got 'loud'");
        for (String secretBearing : List.of("DATABASE_URL", "KIE_API_KEY", "TELEGRAM_BOT_TOKEN", "KIE_UPLOAD_URL",
                "METRICS_TOKEN", "KIE_CALLBACK_SECRET")) {
            assertThat(env.got(secretBearing, "s3cr3t")).doesNotContain("s3cr3t").contains("not shown");
        }
        assertThatThrownBy(() -> env.secret("SOME_NEW_KEY")).as("a secret variable is listed as one")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> env.url("SOME_ENDPOINT")).as("a URL variable's name ends in _URL")
                .isInstanceOf(IllegalStateException.class);
    }
}
