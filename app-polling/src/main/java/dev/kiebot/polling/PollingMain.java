package dev.kiebot.polling;

import dev.kiebot.runtime.config.ConfigException;
import dev.kiebot.runtime.config.Settings;
import java.time.Clock;
import java.time.Duration;

/** {@code java -jar app-polling.jar}: the long-polling runner; runs anywhere, no public URL needed. */
public final class PollingMain {
    private PollingMain() {
    }

    public static void main(String[] args) {
        Settings settings;
        try {
            settings = Settings.fromEnv(System.getenv());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        PollingRunner runner = PollingRunner.start(settings, Clock.systemUTC(), Duration.ofSeconds(5), 50);
        Runtime.getRuntime().addShutdownHook(new Thread(runner::close, "shutdown"));
    }
}
