package dev.kiebot.polling;

import dev.kiebot.runtime.ProcessEnd;
import dev.kiebot.runtime.StartFailure;
import dev.kiebot.runtime.cli.Commands;
import dev.kiebot.runtime.config.Settings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** {@code java -jar app-polling.jar}: the long-polling runner; runs anywhere, no public URL needed. */
public final class PollingMain {
    private PollingMain() {
    }

    /** Without arguments: the bot. With arguments: an operator command ({@code import-balances <csv>},
     * {@code warm-up}: the class-data archive's training run). */
    public static void main(String[] args) {
        if (args.length > 0) {
            System.exit(Commands.run(List.of(args)));
        }
        // any start that fails (the configuration, a refused bot token, the database) is one line and status 2
        Settings settings = StartFailure.orExit(() -> Settings.fromEnvironment(Settings.Mode.POLLING));
        // a webhook set for the bot (at start, a StartFailure; later, behind a 409) ends the process with status 6
        PollingRunner runner = StartFailure.orExit(() -> PollingRunner.start(settings, Clock.systemUTC(),
                Duration.ofSeconds(5), 50, () -> ProcessEnd.fail(ProcessEnd.WEBHOOK_IS_SET,
                        "a webhook is set for this bot token (see the line above)")));
        ProcessEnd.closeOnExit(runner);
        runner.bot().databaseLeftDown().thenRun(() -> ProcessEnd.fail(ProcessEnd.DATABASE_LEFT_DOWN,
                "the embedded PostgreSQL is down for good"));
    }
}
