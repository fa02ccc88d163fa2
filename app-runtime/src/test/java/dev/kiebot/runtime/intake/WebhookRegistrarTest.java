package dev.kiebot.runtime.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.runtime.http.Health;
import dev.kiebot.runtime.testing.LogCapture;
import dev.kiebot.telegram.WebhookRegistration;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook's registration shows on {@code /metrics}, not only on {@code /readyz}: 0 while Telegram refuses it
 * (each refusal counted), 1 once it accepted.
 */
class WebhookRegistrarTest {
    private final FakeTelegramServer telegram = FakeTelegramServer.start();
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Health health = new Health("webhook", "webhook", () -> true);

    private final LogCapture logs = LogCapture.attach();

    @AfterEach
    void stop() {
        logs.detach();
        telegram.close();
    }

    /** A registrar that looks at its webhook again every few milliseconds, not minutes. */
    private WebhookRegistrar registrar() {
        return new WebhookRegistrar(new WebhookRegistration(telegram.bot()), URL, "s3cret", health,
                Duration.ofMillis(1), Duration.ofMillis(1), 0, () -> { }, metrics, Duration.ofMillis(20));
    }

    private static final String URL = "https://bot.example/telegram";

    /**
     * Found by an operator review: a polling run with the same token deleted the webhook, and the webhook runner,
     * which had registered it once, never knew: deaf until a restart while /readyz and the gauge said 1. Its slow look
     * finds it gone, says so, and registers it again.
     */
    @Test
    void aWebhookDeletedBehindTheBotsBackIsRegisteredAgainWithAWarning() throws InterruptedException {
        try (WebhookRegistrar registrar = registrar()) {
            registrar.start();
            awaitThat(health::telegramReady);
            new WebhookRegistration(telegram.bot()).deleteWebhook();
            awaitThat(() -> telegram.callsTo("setWebhook").size() == 2 && health.telegramReady());
            assertThat(telegram.webhookUrl()).isEqualTo(URL);
        }
        assertThat(metrics.scrape()).contains("kiebot_webhook_registered 1.0");
        assertThat(logs.warnings()).anyMatch(l -> l.startsWith("WARN ") && l.contains(
                "the webhook is not this bot's any more: Telegram has none"));
    }

    /**
     * Found by an operator review: a polling runner with this token deleting the webhook again and again (under
     * POLLING_TAKES_OVER_WEBHOOK, or an older kiebot's at each start) was a WARN every 5 minutes on this side, the
     * same as a one-off local run's. Taken again at the very next look, it is one ERROR saying something keeps
     * deleting it and what; a look that finds it this bot's again ends the spell.
     */
    @Test
    void aWebhookTakenAgainAtTheNextLookIsOneErrorNamingWhatKeepsTakingIt() throws InterruptedException {
        telegram.failNext("getWebhookInfo", 2, FakeTelegramServer.Failure.raw(200, "application/json",
                "{\"ok\":true,\"result\":{\"url\":\"\",\"has_custom_certificate\":false,"
                        + "\"pending_update_count\":0}}"));
        try (WebhookRegistrar registrar = registrar()) {
            registrar.start();
            awaitThat(() -> telegram.callsTo("getWebhookInfo").size() >= 4 && health.telegramReady());
        }
        assertThat(telegram.callsTo("setWebhook")).as("registered again after each").hasSize(3);
        assertThat(logs.warnings()).filteredOn(l -> l.startsWith("ERROR ")).singleElement().asString()
                .contains("the webhook was taken from this bot again (2 looks in a row", "Telegram has none",
                        "something keeps deleting it", "polling runner with this bot token",
                        "POLLING_TAKES_OVER_WEBHOOK=1");
        assertThat(logs.warnings()).filteredOn(l -> l.contains("the webhook is not this bot's any more")).hasSize(1);
    }

    /** Telegram's last failed delivery: one WARN however many looks find it, and on /readyz. */
    @Test
    void aFailedDeliveryTelegramReportsIsOneWarningAndShownOnReadyz() throws InterruptedException {
        telegram.webhookDeliveryFailed("Wrong response from the webhook: 503 Service Unavailable");
        try (WebhookRegistrar registrar = registrar()) {
            registrar.start();
            awaitThat(() -> health.report().containsKey("webhookLastError"));
            int looks = telegram.callsTo("getWebhookInfo").size();
            awaitThat(() -> telegram.callsTo("getWebhookInfo").size() >= looks + 3);
        }
        assertThat(health.report()).containsEntry("webhookLastError",
                "Wrong response from the webhook: 503 Service Unavailable");
        assertThat(logs.warnings()).filteredOn(l -> l.contains("Telegram's last delivery to the webhook failed: "
                + "Wrong response from the webhook: 503 Service Unavailable")).hasSize(1);
    }

    /**
     * Found by an operator review: a URL Telegram refuses (its host does not resolve) was a WARN at every retry, for
     * ever, naming no variable. Now one ERROR names the host and the variables to fix; the retries go on.
     */
    @Test
    void aUrlTelegramRefusesIsOneErrorNamingItsHostAndTheVariable() throws InterruptedException {
        telegram.failNext("setWebhook", 3, FakeTelegramServer.Failure.badRequest(
                "Bad Request: bad webhook: Failed to resolve host: Name or service not known"));
        try (WebhookRegistrar registrar = registrar()) {
            registrar.start();
            awaitThat(health::telegramReady);
        }
        assertThat(logs.warnings()).filteredOn(l -> l.startsWith("ERROR ")).singleElement().asString()
                .contains("Telegram refuses the webhook URL at bot.example", "Failed to resolve host",
                        "check WEBHOOK_BASE_URL (on Render, RENDER_EXTERNAL_URL");
        assertThat(logs.warnings()).filteredOn(l -> l.startsWith("WARN ") && l.contains("setWebhook failed"))
                .hasSize(2);
    }

    /**
     * An incident drill (review R2): with the bot token revoked in @BotFather, the look got 401, read it as "no
     * answer" and went on, the bot silent and /readyz 200. Now one ERROR a spell names TELEGRAM_BOT_TOKEN and /readyz
     * says Telegram is not ok, until a look is answered again.
     */
    @Test
    void aBotTokenRefusedAtTheLookIsOneErrorAndTelegramNotOkOnReadyz() throws InterruptedException {
        AtomicBoolean revoked = new AtomicBoolean();
        telegram.failWhen("getWebhookInfo", call -> revoked.get(), FakeTelegramServer.Failure.apiError(401,
                "Unauthorized"));
        try (WebhookRegistrar registrar = registrar()) {
            registrar.start();
            awaitThat(health::telegramReady);
            revoked.set(true);
            int looks = telegram.callsTo("getWebhookInfo").size();
            awaitThat(() -> telegram.callsTo("getWebhookInfo").size() >= looks + 4);
            assertThat(health.report().get("telegram")).asString().startsWith("unreachable: the bot token is refused");
            assertThat(health.report()).containsEntry("ready", false);
            revoked.set(false);
            awaitThat(() -> "ok".equals(health.report().get("telegram")));
        }
        assertThat(logs.warnings()).filteredOn(l -> l.startsWith("ERROR ")).singleElement().asString()
                .contains("Telegram refuses the bot token (401 to getWebhookInfo)", "TELEGRAM_BOT_TOKEN");
        assertThat(logs.lines()).anyMatch(l -> l.contains("Telegram takes the bot token again"));
    }

    /**
     * An incident drill (review R2): Telegram's posts refused for their secret (another instance registered the
     * webhook with its own, or the variable changed) were a DEBUG line each. The look that finds Telegram's last error
     * a 401 registers the webhook again with this instance's secret, once for that error, not at every look.
     */
    @Test
    void aDeliveryRefusedForItsSecretRegistersTheWebhookAgainOnce() throws InterruptedException {
        try (WebhookRegistrar registrar = registrar()) {
            registrar.start();
            awaitThat(health::telegramReady);
            telegram.webhookDeliveryFailed("Wrong response from the webhook: 401 Unauthorized");
            awaitThat(() -> telegram.callsTo("setWebhook").size() == 2);
            int looks = telegram.callsTo("getWebhookInfo").size();
            awaitThat(() -> telegram.callsTo("getWebhookInfo").size() >= looks + 4);
        }
        assertThat(telegram.callsTo("setWebhook")).as("registered again once").hasSize(2);
        assertThat(telegram.callsTo("setWebhook").get(1).param("secret_token")).isEqualTo("s3cret");
        assertThat(logs.warnings()).filteredOn(l -> l.contains("401 Unauthorized")).singleElement().asString()
                .contains("refused its secret", "TELEGRAM_WEBHOOK_SECRET_TOKEN", "registering the webhook again");
    }

    private static void awaitThat(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 4_000 && !condition.getAsBoolean(); i++) {
            Thread.sleep(5);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }

    @Test
    void aWebhookRefusedOnceThenAcceptedShowsItsFailureAndThenRegistered() throws InterruptedException {
        telegram.failNext("setWebhook", 1, FakeTelegramServer.Failure.badRequest("Bad Request: bad webhook"));
        try (WebhookRegistrar registrar = new WebhookRegistrar(new WebhookRegistration(telegram.bot()),
                "https://bot.example/telegram", "s3cret", health, Duration.ofMillis(1), Duration.ofMillis(1), 0,
                () -> { }, metrics)) {
            assertThat(metrics.scrape()).contains("kiebot_webhook_registered 0.0");

            registrar.start();
            for (int i = 0; i < 2_000 && !health.telegramReady(); i++) {
                Thread.sleep(5);
            }
        }

        assertThat(health.telegramReady()).isTrue();
        assertThat(metrics.scrape()).contains("kiebot_webhook_registered 1.0")
                .contains("kiebot_webhook_registration_failures_total 1.0");
    }
}
