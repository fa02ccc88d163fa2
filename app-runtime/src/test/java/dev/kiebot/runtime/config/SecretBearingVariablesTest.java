package dev.kiebot.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.runtime.logging.SecretMasking;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A refused configuration is printed as the start's last log line: its problems never quote a value that holds or may
 * hold a secret, and the secrets the environment holds are masked in the log from the moment it is read, also when
 * the start goes no further. Each test's secrets are its own: the masking is one for the whole JVM.
 */
class SecretBearingVariablesTest {
    private static final String TOKEN = TestEnvironment.TOKEN;

    private static Map<String, String> env(String... kv) {
        return TestEnvironment.with(kv);
    }

    private static List<String> problems(Map<String, String> environment) {
        ConfigException refused = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> Settings.fromEnv(environment));
        return refused.problems();
    }

    /** The parser stops at the port; the password before it is neither quoted nor left unmasked. */
    @Test
    void aDatabaseUrlTheParserRefusesIsNotQuotedAndItsPasswordIsMaskedAtOnce() {
        List<String> refused = problems(env("DATABASE_URL", "postgres://u:s3cr3t-refused-pw@host:notaport/db"));
        assertThat(refused).anyMatch(p -> p.startsWith("DATABASE_URL"));
        assertThat(String.join("\n", refused)).doesNotContain("s3cr3t-refused-pw");
        assertThat(SecretMasking.mask("FATAL: password s3cr3t-refused-pw")).isEqualTo("FATAL: password <redacted>");

        // the command that reads the database's variables alone, a password in a parameter, percent-encoded
        assertThatThrownBy(() -> Settings.databaseFromEnv(Map.of("DATABASE_URL",
                "postgresql:///db?sslmode=require&password=p%40ss-in-a-refused-query")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DATABASE_URL is not of the form")
                .hasMessageNotContaining("p%40ss-in-a-refused-query");
        assertThat(SecretMasking.mask("as typed p%40ss-in-a-refused-query, decoded p@ss-in-a-refused-query"))
                .isEqualTo("as typed <redacted>, decoded <redacted>");
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

    /**
     * A token in the wrong variable: a harmless variable's value is quoted (it shows the typo), but not the secret
     * pasted into it, in whatever letter case the problem would have shown it.
     */
    @Test
    void aSecretPastedIntoAHarmlessVariableIsCutFromItsProblem() {
        String kieKey = "kie-key-pasted-0123456789abcdef";
        List<String> refused = problems(env("KIE_API_KEY", kieKey, "TELEGRAM_GLOBAL_RATE", kieKey,
                "LOG_LEVEL", TOKEN, "DATABASE_PASSWORD", "pw-pasted-as-currency", "CURRENCY", "pw-pasted-as-currency",
                "FREE_DAY_ZONE", "Mars/Olympus"));
        assertThat(refused).contains("TELEGRAM_GLOBAL_RATE must be an integer, got '<redacted>'",
                "LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN (or WARNING), ERROR (or CRITICAL), got '<redacted>'",
                "CURRENCY must be a 3-letter ISO code like RUB, got '<redacted>'",
                "FREE_DAY_ZONE must be a time zone like Europe/Moscow, got 'Mars/Olympus'");
        for (String secret : List.of(kieKey, TOKEN, "pw-pasted-as-currency")) {
            assertThat(String.join("\n", refused)).doesNotContainIgnoringCase(secret);
        }
    }

    /** Whatever stops the start, its secrets are masked from then on: the line saying so is logged after. */
    @Test
    void theSecretsAreMaskedAlthoughTheConfigurationIsRefused() {
        String malformedToken = "12345:not-quite-a-token";
        String kieKey = "kie-key-of-a-refused-start";
        problems(env("TELEGRAM_BOT_TOKEN", malformedToken, "KIE_STUB", "0", "KIE_API_KEY", kieKey,
                "KIE_CALLBACK_SECRET", "kie-door-of-a-refused-start", "FX_RATE", "-3"));
        assertThat(SecretMasking.mask("GET /bot" + malformedToken + "/getMe with " + kieKey + " at "
                + "/kie/callback/kie-door-of-a-refused-start"))
                .isEqualTo("GET /bot<redacted>/getMe with <redacted> at /kie/callback/<redacted>");
    }

    @Test
    void onlyAHarmlessVariablesValueIsQuoted() {
        Env env = new Env(Map.of());
        assertThat(env.got("LOG_LEVEL", "loud")).isEqualTo(", got 'loud'");
        for (String secretBearing : List.of("DATABASE_URL", "KIE_API_KEY", "TELEGRAM_BOT_TOKEN", "KIE_UPLOAD_URL",
                "METRICS_TOKEN", "KIE_CALLBACK_SECRET")) {
            assertThat(env.got(secretBearing, "s3cr3t")).doesNotContain("s3cr3t").contains("not shown");
        }
        Env holding = new Env(Map.of("KIE_API_KEY", "kie-Key-In-Mixed-Case"));
        holding.problem("SOME_CODE must be a code, got 'KIE-KEY-IN-MIXED-CASE'");
        assertThat(holding.problems()).containsExactly("SOME_CODE must be a code, got '<redacted>'");
        assertThatThrownBy(() -> env.secret("SOME_NEW_KEY")).as("a secret variable is listed as one")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> env.url("SOME_ENDPOINT")).as("a URL variable's name ends in _URL")
                .isInstanceOf(IllegalStateException.class);
    }
}
