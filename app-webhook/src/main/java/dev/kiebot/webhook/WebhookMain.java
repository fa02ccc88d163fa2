package dev.kiebot.webhook;

import dev.kiebot.runtime.ProcessEnd;
import dev.kiebot.runtime.StartFailure;
import dev.kiebot.runtime.cli.Commands;
import dev.kiebot.runtime.config.Settings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** {@code java -jar app-webhook.jar}: the webhook runner (Render web service). */
public final class WebhookMain {
    private WebhookMain() {
    }

    /** Without arguments: the bot. With arguments: an operator command ({@code import-balances <csv>},
     * {@code warm-up}: the class-data archive's training run). */
    public static void main(String[] args) {
        if (args.length > 0) {
            System.exit(Commands.run(List.of(args)));
        }
        // any start that fails (the configuration, a refused bot token, the database) is one line and status 2
        Settings settings = StartFailure.orExit(() -> Settings.fromEnvironment(Settings.Mode.WEBHOOK));
        WebhookServer server = StartFailure.orExit(() -> WebhookServer.start(settings, Clock.systemUTC(),
                Duration.ofSeconds(1),
                () -> ProcessEnd.fail(ProcessEnd.WEBHOOK_NOT_REGISTERED,
                        "the webhook is not registered and REQUIRE_WEBHOOK_REGISTERED is on")));
        ProcessEnd.closeOnExit(server);
        server.bot().databaseLeftDown().thenRun(() -> ProcessEnd.fail(ProcessEnd.DATABASE_LEFT_DOWN,
                "the embedded PostgreSQL is down for good"));
    }
}
