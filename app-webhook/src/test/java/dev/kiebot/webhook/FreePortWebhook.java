package dev.kiebot.webhook;

import static dev.kiebot.runtime.testing.E2eWorld.await;

import dev.kiebot.runtime.config.Settings;
import dev.kiebot.runtime.testing.E2eWorld;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** Starting the webhook runner in a test: on a free port, where Telegram is told to deliver the updates. */
final class FreePortWebhook {
    private FreePortWebhook() {
    }

    /**
     * Starts the webhook runner by {@code start} on {@code env} with a free {@code PORT} and, unless {@code env} names
     * one, the {@code WEBHOOK_BASE_URL} of that port ({@link E2eWorld#onAFreePort}).
     */
    static WebhookServer start(Map<String, String> env, Function<Settings, WebhookServer> start) {
        return E2eWorld.onAFreePort(port -> {
            Map<String, String> e = new HashMap<>(env);
            e.put("PORT", Integer.toString(port));
            e.putIfAbsent("WEBHOOK_BASE_URL", "http://127.0.0.1:" + port);
            return start.apply(Settings.fromEnv(e));
        });
    }

    /** Starts the runner on {@code env} and a free port, and waits until Telegram has its webhook. */
    static WebhookServer startRegistered(Map<String, String> env, Clock clock) {
        WebhookServer server = start(env, s -> WebhookServer.start(s, clock, Duration.ofMillis(100), () -> { },
                E2eWorld.KIE_READS));
        await("webhook registered", () -> server.bot().health().ready());
        return server;
    }
}
