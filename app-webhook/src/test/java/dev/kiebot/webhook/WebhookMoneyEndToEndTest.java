package dev.kiebot.webhook;

import static dev.kiebot.runtime.testing.E2eWorld.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.runtime.Kiebot;
import dev.kiebot.runtime.config.Settings;
import dev.kiebot.runtime.testing.E2eRunner;
import dev.kiebot.runtime.testing.E2eWorld;
import dev.kiebot.runtime.testing.MoneyScenarios;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Money in and out and the admin's view (issue 10) through the webhook runner. */
class WebhookMoneyEndToEndTest extends MoneyScenarios {

    @Override
    protected E2eRunner start(Map<String, String> env, Clock clock) {
        Map<String, String> e = new HashMap<>(env);
        int port = E2eWorld.freePort();
        e.put("PORT", Integer.toString(port));
        e.putIfAbsent("WEBHOOK_BASE_URL", "http://127.0.0.1:" + port);
        WebhookServer server = WebhookServer.start(Settings.fromEnv(e), clock, Duration.ofMillis(100), () -> { });
        await("webhook registered", () -> server.bot().health().ready());
        return new E2eRunner() {
            @Override
            public Kiebot bot() {
                return server.bot();
            }

            @Override
            public void deliver(String updateJson) {
                assertThat(world.telegram.deliverToWebhook(updateJson)).isEqualTo(200);
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }
}
