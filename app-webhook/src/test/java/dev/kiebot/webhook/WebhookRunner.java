package dev.kiebot.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.runtime.Kiebot;
import dev.kiebot.runtime.testing.E2eRunner;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import java.time.Clock;
import java.util.Map;

/**
 * The webhook runner as the shared scenarios ({@code RunnerScenarios}, {@code MoneyScenarios}) drive a runner: each
 * update posted to it as Telegram posts it, and answered 200.
 */
final class WebhookRunner implements E2eRunner {
    final WebhookServer server;
    private final FakeTelegramServer telegram;

    private WebhookRunner(WebhookServer server, FakeTelegramServer telegram) {
        this.server = server;
        this.telegram = telegram;
    }

    /** Started on {@code env} and a free port, its webhook registered with {@code telegram}. */
    static WebhookRunner start(Map<String, String> env, Clock clock, FakeTelegramServer telegram) {
        return new WebhookRunner(FreePortWebhook.startRegistered(env, clock), telegram);
    }

    @Override
    public Kiebot bot() {
        return server.bot();
    }

    @Override
    public void deliver(String updateJson) {
        assertThat(telegram.deliverToWebhook(updateJson)).isEqualTo(200);
    }

    @Override
    public void close() {
        server.close();
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }
}
