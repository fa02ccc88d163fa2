package dev.kiebot.runtime.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.runtime.http.Health;
import dev.kiebot.telegram.WebhookRegistration;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
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

    @AfterEach
    void stop() {
        telegram.close();
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
