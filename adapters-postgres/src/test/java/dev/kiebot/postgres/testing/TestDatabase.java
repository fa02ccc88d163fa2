package dev.kiebot.postgres.testing;

import dev.kiebot.core.shop.Stores;
import dev.kiebot.postgres.Database;
import dev.kiebot.postgres.DatabaseSettings;
import dev.kiebot.postgres.EmbeddedDatabase;
import dev.kiebot.postgres.PgStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.Jdbi;

/**
 * One PostgreSQL per test JVM, migrated, shared by every test (and by other modules' end-to-end tests through
 * this module's test-jar). It is the database at {@code TEST_DATABASE_URL} when that variable is set (its
 * tables are emptied by {@link #truncateAll()}: never point it at a database you care about), else an embedded
 * PostgreSQL in a temporary directory, started on first use and stopped and deleted when the JVM exits.
 *
 * <pre>{@code
 * Jdbi jdbi = TestDatabase.jdbi();        // shared pool
 * TestDatabase.truncateAll();             // in @BeforeEach / a contract's create()
 * try (Database other = TestDatabase.newPool(4)) { ... }  // a second "instance" with its own pool
 * }</pre>
 */
public final class TestDatabase {
    /** Connections in the shared pool. */
    public static final int POOL_SIZE = 16;

    /**
     * Cuts a schema's Flyway history from a migration on, so the next connect applies it again (and every later one,
     * which must be re-applicable too). Deleting that migration's line alone makes it "ignored" once a later one is
     * applied, and the test would check nothing.
     *
     * @param h a handle on the schema under test
     * @param script the migration's file name, e.g. {@code V39__users_seen_hot.sql}
     */
    public static void forgetMigrationsFrom(Handle h, String script) {
        h.execute("DELETE FROM flyway_schema_history WHERE installed_rank >= (SELECT installed_rank FROM "
                + "flyway_schema_history WHERE script = ?)", script);
    }

    private static Database shared;
    private static DatabaseSettings settings;
    private static EmbeddedDatabase embedded;
    private static List<String> tables;

    private TestDatabase() {
    }

    /** The shared, migrated database. */
    public static synchronized Database get() {
        if (shared == null) {
            start();
        }
        return shared;
    }

    public static Jdbi jdbi() {
        return get().jdbi();
    }

    /** Connection settings of the test database, for pools or connections of its own. */
    public static synchronized DatabaseSettings settings() {
        get();
        return settings;
    }

    /** Whether the database is the embedded one (false with {@code TEST_DATABASE_URL}). */
    public static synchronized boolean isEmbedded() {
        get();
        return embedded != null;
    }

    /**
     * Whether the tests' user is a superuser: the embedded server's always is (CI); a {@code TEST_DATABASE_URL}'s may
     * not be, and a test needing one (server settings, statistics resets) is skipped there.
     */
    public static boolean superuser() {
        return jdbi().withHandle(h -> h.createQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                .mapTo(Boolean.class).one());
    }

    /** An independent pool (and Jdbi) on the same database, like a second bot instance. The caller closes it. */
    public static Database newPool(int size) {
        return Database.connect(settings().withPoolSize(size));
    }

    /** The shop's stores on an emptied database ({@link #truncateAll}), for tests that drive a shop on it. */
    public static Stores emptyStores(Clock clock) {
        truncateAll();
        return PgStores.create(get(), clock).asCoreStores();
    }

    /**
     * Runs a bulk fill (a year of rows in a few statements) on a pooled handle without the pool's socket timeout.
     * That 90 s read timeout is the bot's guard against a server gone silent; one INSERT of a million rows outlasted it
     * on a loaded 2-core box (a fresh clone's {@code mvn verify} beside other builds: "Read timed out"). The pool sets
     * the connection's own timeout back when the handle closes.
     */
    public static void fill(HandleConsumer<RuntimeException> fill) {
        jdbi().useHandle(h -> {
            try {
                h.getConnection().setNetworkTimeout(Runnable::run, 0);
            } catch (SQLException e) {
                throw new IllegalStateException("could not lift the socket timeout for a bulk fill", e);
            }
            fill.useHandle(h);
        });
    }

    /** Empties every application table (TRUNCATE ... RESTART IDENTITY CASCADE); the schema stays. */
    public static void truncateAll() {
        Jdbi jdbi = jdbi();
        List<String> names;
        synchronized (TestDatabase.class) {
            if (tables == null) {
                tables = jdbi.withHandle(h -> h.createQuery("SELECT quote_ident(tablename) FROM pg_tables "
                                + "WHERE schemaname = current_schema() AND tablename <> 'flyway_schema_history' "
                                + "ORDER BY tablename")
                        .mapTo(String.class)
                        .list());
            }
            names = tables;
        }
        jdbi.useHandle(h -> h.execute("TRUNCATE " + String.join(", ", names) + " RESTART IDENTITY CASCADE"));
    }

    private static void start() {
        String url = System.getenv("TEST_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            settings = DatabaseSettings.fromUrl(url).withPoolSize(POOL_SIZE);
        } else {
            Path dir;
            try {
                dir = Files.createTempDirectory("kiebot-testdb-");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            // world-traversable, so that the server can run as 'nobody' when the tests run as root
            dir.toFile().setExecutable(true, false);
            dir.toFile().setReadable(true, false);
            embedded = EmbeddedDatabase.startIn(dir.resolve("pg"), false);
            settings = embedded.settings(dir, POOL_SIZE);
            Path toDelete = dir;
            EmbeddedDatabase e = embedded;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                synchronized (TestDatabase.class) {
                    if (shared != null) {
                        shared.close();
                    }
                }
                e.close();
                deleteQuietly(toDelete);
            }, "kiebot-testdb-stop"));
        }
        shared = Database.connect(settings);
    }

    private static void deleteQuietly(Path dir) {
        for (int i = 0; i < 50 && Files.exists(dir.resolve("pg").resolve("postmaster.pid")); i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }

    /** For diagnostics: the embedded server's directory, if embedded. */
    public static synchronized Optional<Path> embeddedDirectory() {
        get();
        return Optional.ofNullable(embedded).map(EmbeddedDatabase::directory);
    }
}
