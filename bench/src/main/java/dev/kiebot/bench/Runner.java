package dev.kiebot.bench;

import java.nio.file.Path;
import java.util.Locale;

/** The two runners of the bot; they differ only in how updates reach them. */
enum Runner {
    /** Updates are POSTed to the runner's {@code /telegram} endpoint. */
    WEBHOOK,
    /** The runner fetches updates with {@code getUpdates} from the fake (batches of up to 100). */
    POLLING;

    String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The jar {@code mvn -Pbench -pl bench -am package} builds for this runner, relative to the checkout. */
    Path defaultJar() {
        return Path.of("app-" + key(), "target", "app-" + key() + ".jar");
    }

    static Runner parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--runners takes webhook and/or polling, got '" + text + "'");
        }
    }
}
