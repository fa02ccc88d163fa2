package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The migration that marks the jobs a build before callback addresses named their job cut off mid-send (SUBMITTING,
 * no task) marks those made before V27 came to the database, and no other: a job made later, one with its task, one
 * not sent. Applied again, it marks none twice.
 */
class JobsSentUnnamedMigrationTest {
    private static final String SCRIPT = "V41__jobs_sent_unnamed.sql";
    private static final String SCHEMA = "kiebot_unnamed_" + System.nanoTime() % 100_000;
    private static final Instant V27_APPLIED = Instant.parse("2026-01-10T09:00:00Z");

    @AfterEach
    void dropSchema() {
        TestDatabase.jdbi().useHandle(h -> h.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE"));
    }

    private static long job(Handle h, String state, String taskId, Instant created) {
        return h.createQuery("INSERT INTO jobs (user_id, chat_id, language, model_id, sku_id, input_values, "
                        + "input_files, price, free, state, task_id, created_at, deadline, next_check_at) VALUES "
                        + "(1234567, 1234567, 'ru', 'img/m9', 'default', '{}', '{}', 300, false, :state, :task, :at, "
                        + ":at, :at) RETURNING id")
                .bind("state", state).bind("task", taskId).bind("at", Sql.ts(created)).mapTo(Long.class).one();
    }

    private static List<String> marked(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT correlation_id || ' ' || actor FROM audit_events "
                + "WHERE action = 'gen.sent_unnamed' ORDER BY id").mapTo(String.class).list());
    }

    private static void forgetTheMigration(Database db) {
        db.jdbi().useHandle(h -> TestDatabase.forgetMigrationsFrom(h, SCRIPT));
    }

    @Test
    void theJobsCutOffMidSendBeforeV27AreMarkedOnce() {
        DatabaseSettings settings = TestDatabase.settings().withPoolSize(2).withSchema(SCHEMA);
        long before;
        long after;
        // a database V27 came to at 09:00 (in Flyway's way: a timestamp in the session's time zone), its jobs as they
        // stood at the upgrade to this build
        try (Database db = Database.connect(settings)) {
            long[] ids = db.jdbi().withHandle(h -> {
                h.createUpdate("UPDATE flyway_schema_history SET installed_on = :at AT TIME ZONE "
                        + "current_setting('TimeZone') WHERE version = '27'").bind("at", Sql.ts(V27_APPLIED)).execute();
                long cutOffBefore = job(h, "SUBMITTING", null, V27_APPLIED.minusSeconds(3600));
                long cutOffAfter = job(h, "SUBMITTING", null, V27_APPLIED.plusSeconds(3600));
                job(h, "SUBMITTED", "kie-1", V27_APPLIED.minusSeconds(3600));
                job(h, "HELD", null, V27_APPLIED.minusSeconds(3600));
                return new long[] {cutOffBefore, cutOffAfter};
            });
            before = ids[0];
            after = ids[1];
            assertThat(marked(db)).as("a new database: no job to mark").isEmpty();
            forgetTheMigration(db);
        }
        try (Database db = Database.connect(settings)) {
            assertThat(marked(db)).containsExactly("gen_" + before + " ***4567");
            assertThat(after).isNotEqualTo(before);
            forgetTheMigration(db);
        }
        try (Database db = Database.connect(settings)) {
            assertThat(marked(db)).as("applied again").containsExactly("gen_" + before + " ***4567");
        }
    }
}
