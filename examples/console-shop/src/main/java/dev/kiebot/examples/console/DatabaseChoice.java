package dev.kiebot.examples.console;

import dev.kiebot.postgres.DatabaseSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the shop's money, jobs and chats live: always PostgreSQL, never memory, so a restart (or a crash) loses
 * nothing. The same rule as kiebot's runtime: a {@code DATABASE_URL} names an external server; without one an
 * embedded PostgreSQL keeps its files in a data directory of this process's own.
 */
final class DatabaseChoice {
    static final String DEFAULT_DATA_DIR = "./data";

    private DatabaseChoice() {
    }

    /**
     * @param environment the process's environment ({@code DATABASE_URL}, {@code DATA_DIR})
     * @param dataDir     a data directory given on the command line; it wins over {@code DATA_DIR}, so that a
     *                    shell set up for another bot cannot point this one at that bot's database
     */
    static DatabaseSettings from(Map<String, String> environment, Optional<Path> dataDir) {
        String url = environment.getOrDefault("DATABASE_URL", "").strip();
        if (!url.isEmpty()) {
            // postgres://user:password@host:port/db, as hosts hand it out; the password never reaches a log line.
            // Several processes may share it (jobs and replies are leased), but give the shop a database of its own.
            return DatabaseSettings.fromUrl(url);
        }
        // single instance: the directory is locked while the embedded server runs; its files are in <dir>/pg
        return DatabaseSettings.embedded(dataDir.orElseGet(
                () -> Path.of(environment.getOrDefault("DATA_DIR", DEFAULT_DATA_DIR))));
    }
}
