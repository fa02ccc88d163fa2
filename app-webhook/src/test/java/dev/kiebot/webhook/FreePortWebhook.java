package dev.kiebot.webhook;

import static dev.kiebot.runtime.testing.E2eWorld.await;

import dev.kiebot.runtime.config.Settings;
import dev.kiebot.runtime.testing.E2eWorld;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Starting the webhook runner in a test: on a free port, where Telegram is told to deliver the updates. */
final class FreePortWebhook {
    private FreePortWebhook() {
    }

    /** {@code env} with a free {@code PORT} and, unless it names one, the {@code WEBHOOK_BASE_URL} of that port. */
    static Map<String, String> env(Map<String, String> env) {
        Map<String, String> e = new HashMap<>(env);
        int port = E2eWorld.freePort();
        e.put("PORT", Integer.toString(port));
        e.putIfAbsent("WEBHOOK_BASE_URL", "http://127.0.0.1:" + port);
        return e;
    }

    /** Starts the runner on {@link #env env(env)} and waits until Telegram has its webhook. */
    static WebhookServer startRegistered(Map<String, String> env, Clock clock) {
        WebhookServer server = WebhookServer.start(Settings.fromEnv(env(env)), clock, Duration.ofMillis(100),
                () -> { }, E2eWorld.KIE_READS);
        await("webhook registered", () -> server.bot().health().ready());
        return server;
    }
}
