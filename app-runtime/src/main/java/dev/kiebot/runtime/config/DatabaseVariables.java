package dev.kiebot.runtime.config;

import dev.kiebot.postgres.DatabaseSettings;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The database's variables, read into the PostgreSQL adapter's {@link DatabaseSettings} (the adapter parses and
 * checks the URL; its messages name {@code DATABASE_URL} and never the password).
 */
final class DatabaseVariables {
    static final String DEFAULT_DATA_DIR = "./data";

    private DatabaseVariables() {
    }

    static DatabaseSettings read(Env env) {
        Path dataDir = Path.of(env.string("DATA_DIR", DEFAULT_DATA_DIR));
        int poolSize = env.integer("DATABASE_POOL_SIZE", DatabaseSettings.DEFAULT_POOL_SIZE, 1,
                DatabaseSettings.POOL_SIZE_MAX);
        Optional<String> url = env.secret("DATABASE_URL");
        Optional<String> user = env.verbatim("DATABASE_USER").filter(u -> !u.isBlank());
        Optional<String> password = env.secretVerbatim("DATABASE_PASSWORD");
        boolean baseline = env.flag("DATABASE_BASELINE");
        Optional<String> schema = env.optional("DATABASE_SCHEMA");
        DatabaseSettings embedded = DatabaseSettings.embedded(dataDir).withPoolSize(poolSize).withBaseline(baseline);
        DatabaseSettings chosen = embedded;
        if (url.isPresent()) {
            chosen = env.checked(() -> DatabaseSettings.fromUrl(url.get(), user, password, dataDir, poolSize)
                    .withBaseline(baseline), embedded);
            // the password decoded from the URL may differ from every variable's text: mask it as well
            env.secretValue(chosen.password());
        }
        DatabaseSettings base = chosen;
        return schema.map(name -> env.checked(() -> base.withSchema(name), base)).orElse(base);
    }
}
