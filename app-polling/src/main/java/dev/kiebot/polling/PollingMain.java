package dev.kiebot.polling;

import dev.kiebot.runtime.config.Settings;
import java.time.Clock;
import java.time.Duration;

/** {@code java -jar app-polling.jar}: the long-polling runner; runs anywhere, no public URL needed. */
public final class PollingMain {
    private PollingMain() {
    }

    public static void main(String[] args) {
        Settings settings = Settings.fromEnvironmentOrExit();
        PollingRunner runner = PollingRunner.start(settings, Clock.systemUTC(), Duration.ofSeconds(5), 50);
        // SIGTERM: stop fetching, finish in-flight work, release the lock, then exit 0 (not 143)
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runner.close();
            Runtime.getRuntime().halt(0);
        }, "shutdown"));
    }
}
