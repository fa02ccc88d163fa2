package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.postgres.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The migration of the figures' index of jobs by creation (V47) makes it in place of V9's {@code jobs_created}, and
 * applied again over it changes nothing: the one index, once. What it is for, {@link AYearOfDataPlanTest} shows.
 */
class FiguresIndexMigrationTest {
    private static final String SCRIPT = "V47__figures_by_creation.sql";
    private static final String SCHEMA = "kiebot_figures_" + System.nanoTime() % 100_000;
    private static final List<String> INDEXES = List.of("jobs_created", "jobs_created_figures");

    @AfterEach
    void dropSchema() {
        TestDatabase.jdbi().useHandle(h -> h.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE"));
    }

    private static List<String> indexes(Database db) {
        return MigratedIndexes.named(db, SCHEMA, INDEXES);
    }

    @Test
    void theIndexReplacesJobsCreatedAndAppliedAgainChangesNothing() {
        DatabaseSettings settings = TestDatabase.settings().withPoolSize(2).withSchema(SCHEMA);
        try (Database db = Database.connect(settings)) {
            assertThat(indexes(db)).containsExactly("jobs_created_figures");
            db.jdbi().useHandle(h -> TestDatabase.forgetMigrationsFrom(h, SCRIPT));
        }
        try (Database db = Database.connect(settings)) {
            assertThat(indexes(db)).as("applied again").containsExactly("jobs_created_figures");
        }
    }
}
