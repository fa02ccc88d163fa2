package dev.kiebot.runtime.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.runtime.config.Settings;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The log check recognises what it must (and leaves masked ids, instance names and ports alone). */
class CleanLogsTest {
    private static boolean flagged(String line) {
        return CleanLogs.leakIn(line).isPresent();
    }

    @Test
    void leaksAreFlagged() {
        for (String leak : List.of("handling failed for user 5550001", "Key (chat_id)=(7000012) exists",
                "first name User5550001", "payload {\"update_id\":5, \"message\":{}}", "token 1234567:AAH1234567890abcdefghij",
                "key " + E2eWorld.KIE_KEY, "from @user5550001", "prompt \u00ABA red fox in the snow\u00BB",
                "lyrics [Verse] Running through the snow", "ticket: I paid 50 stars twice by mistake",
                "call me at +7 916 123-45-67", "phone 8 (916) 123-45-67", "phone +79161234567", "phone 89161234567",
                "phone 79161234567", "contact:79161234567", "(79161234567)", "\u00AB79161234567\u00BB")) {
            assertThat(flagged(leak)).as(leak).isTrue();
        }
    }

    /** The doors' secrets as a runner on the default world derives them (none is set there, as in production). */
    @Test
    void theWebhookSecretTheKieCallbackTokenAndTheTokensSecretHalfAreFlagged() {
        Settings runner = Settings.fromEnv(Map.of("TELEGRAM_BOT_TOKEN", FakeTelegramServer.DEFAULT_TOKEN,
                "KIE_STUB", "1"));
        String token = FakeTelegramServer.DEFAULT_TOKEN;
        String tokenHalf = token.substring(token.indexOf(':') + 1);
        for (String leak : List.of("setWebhook secret_token=" + runner.telegram().webhookSecret(),
                "callback POST /kie/callback/" + runner.kie().callbackSecret() + " -> 200",
                "GET /file/bot" + tokenHalf)) {
            assertThat(flagged(leak)).as(leak).isTrue();
        }
    }

    /** A test's own secrets (a rotated webhook secret, another bot's token) join once its environment is made. */
    @Test
    void theSecretsOfAnEnvironmentAreFlaggedOnceForbidden() {
        String rotated = "rotation-secret-clean-logs-0123";
        String otherToken = "7654321:AAOtherTokenForCleanLogs_abcdefghij";
        Map<String, String> env = Map.of("TELEGRAM_BOT_TOKEN", otherToken, "TELEGRAM_WEBHOOK_SECRET_TOKEN", rotated);
        String derivedCallback = Settings.fromEnv(Map.of("TELEGRAM_BOT_TOKEN", otherToken, "KIE_STUB", "1"))
                .kie().callbackSecret();
        assertThat(flagged("webhook " + rotated)).as("not yet forbidden").isFalse();
        assertThat(flagged("callback " + derivedCallback)).as("not yet forbidden").isFalse();

        CleanLogs.forbid(E2eWorld.secretsOf(env));

        assertThat(flagged("webhook " + rotated)).isTrue();
        assertThat(flagged("callback " + derivedCallback)).isTrue();
    }

    @Test
    void whatIsAllowedIsNotFlagged() {
        for (String fine : List.of("user ***0001 refunded", "starting kiebot instance e2e-5952957671100",
                "listening on port 41879", "singleton lock 1435800235082214212 acquired", "upd_500001: handled",
                "gen_12 delivered", "registered the webhook at http://127.0.0.1:41879/telegram",
                "user ***4567 asked support", "handled 81234567 bytes", "took 8123 ms", "upd_79161234567: handled",
                "gen_79161234567 delivered", "task 79161234567a running", "e2e-79161234567", "charged 79161234567.50",
                "at 1797161234567", "uptime 791612345678 ns", "ids 7916123456 and 791612345678",
                "user ***4567 paid 79161234 kopecks", "at 2026-12-06T10:00:00.791612345Z")) {
            assertThat(flagged(fine)).as(fine).isFalse();
        }
    }
}
