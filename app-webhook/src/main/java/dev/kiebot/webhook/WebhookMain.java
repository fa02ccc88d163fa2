package dev.kiebot.webhook;

import dev.kiebot.runtime.config.Settings;
import java.time.Clock;
import java.time.Duration;

/** {@code java -jar app-webhook.jar}: the webhook runner (Render web service). */
public final class WebhookMain {
    private WebhookMain() {
    }

    public static void main(String[] args) {
        Settings settings = Settings.fromEnvironmentOrExit();
        WebhookServer server = WebhookServer.start(settings, Clock.systemUTC(), Duration.ofSeconds(1),
                () -> System.exit(3));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
    }
}
