package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.postgres.testing.TestDatabase;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The migration that takes {@code users.last_seen_at}'s index away (so that every update's write to its user's row
 * can be HOT) drops it from a schema the build before left, gives users' new pages room for those updates, and
 * applied again changes nothing.
 */
class UsersSeenHotMigrationTest {
    private static final String SCRIPT = "V39__users_seen_hot.sql";
    private static final String SCHEMA = "kiebot_seenhot_" + System.nanoTime() % 100_000;

    @AfterEach
    void dropSchema() {
        TestDatabase.jdbi().useHandle(h -> h.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE"));
    }

    @Test
    void theIndexTheBuildBeforeKeptIsDroppedAndAppliedAgainNothingChanges() {
        DatabaseSettings settings = TestDatabase.settings().withPoolSize(2).withSchema(SCHEMA);
        // a schema as the build before left it: last_seen_at indexed, users at the default fillfactor
        try (Database before = Database.connect(settings)) {
            before.jdbi().useHandle(h -> {
                TestDatabase.forgetMigrationsFrom(h, SCRIPT);
                h.execute("CREATE INDEX IF NOT EXISTS users_last_seen ON users (last_seen_at) WHERE last_seen_at IS NOT NULL");
                h.execute("ALTER TABLE users RESET (fillfactor)");
            });
            assertThat(indexes(before.jdbi())).contains("users_last_seen");
        }

        try (Database after = Database.connect(settings)) {
            assertThat(indexes(after.jdbi())).doesNotContain("users_last_seen")
                    .contains("users_pkey", "users_created");
            assertThat(options(after.jdbi())).containsExactly("fillfactor=90");
            after.jdbi().useHandle(h -> TestDatabase.forgetMigrationsFrom(h, SCRIPT));
        }
        try (Database again = Database.connect(settings)) {
            assertThat(indexes(again.jdbi())).as("applied again").doesNotContain("users_last_seen")
                    .contains("users_pkey", "users_created");
            assertThat(options(again.jdbi())).containsExactly("fillfactor=90");
        }
    }

    private static List<String> indexes(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                + "AND tablename = 'users' ORDER BY 1").mapTo(String.class).list());
    }

    private static List<String> options(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT unnest(reloptions) FROM pg_class "
                + "WHERE oid = to_regclass('users')").mapTo(String.class).list());
    }
}
