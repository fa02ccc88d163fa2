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

    /**
     * Render says so in {@code RENDER=true} on every service. Its services' files are the image's plus what the
     * process wrote since it started: nothing written survives a deploy or restart unless on a persistent disk.
     */
    private static boolean onRender(Env env) {
        return env.optional("RENDER").filter("true"::equalsIgnoreCase).isPresent();
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
        boolean persistent = env.flag("DATA_DIR_PERSISTENT");
        if (url.isEmpty() && onRender(env) && !persistent) {
            env.problem("DATABASE_URL is not set, and on Render the embedded database would keep balances and "
                    + "payments in the service's own files, which Render wipes at every deploy and restart (a free "
                    + "instance restarts after 15 minutes without requests): users would lose what they paid. Set "
                    + "DATABASE_URL to a Render PostgreSQL (render.yaml creates one), or attach a persistent disk, "
                    + "set DATA_DIR to a directory on it and DATA_DIR_PERSISTENT=1");
        }
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
