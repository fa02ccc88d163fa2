package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.postgres.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The migration of the indexes a year of data needs (V46) makes them, and applied again over them changes nothing:
 * the same indexes, once each. What they are for, {@link AYearOfDataPlanTest} shows.
 */
class YearIndexesMigrationTest {
    private static final String SCRIPT = "V46__a_year_of_data.sql";
    private static final String SCHEMA = "kiebot_year_" + System.nanoTime() % 100_000;
    private static final List<String> INDEXES = List.of("audit_events_action", "jobs_user_not_blanked",
            "ledger_transfers_refunded", "ledger_transfers_spent");

    @AfterEach
    void dropSchema() {
        TestDatabase.jdbi().useHandle(h -> h.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE"));
    }

    private static List<String> indexes(Database db) {
        return MigratedIndexes.named(db, SCHEMA, INDEXES);
    }

    @Test
    void theIndexesAreMadeOnceAndAppliedAgainChangeNothing() {
        DatabaseSettings settings = TestDatabase.settings().withPoolSize(2).withSchema(SCHEMA);
        try (Database db = Database.connect(settings)) {
            assertThat(indexes(db)).containsExactlyElementsOf(INDEXES);
            db.jdbi().useHandle(h -> TestDatabase.forgetMigrationsFrom(h, SCRIPT));
        }
        try (Database db = Database.connect(settings)) {
            assertThat(indexes(db)).as("applied again").containsExactlyElementsOf(INDEXES);
        }
    }
}
