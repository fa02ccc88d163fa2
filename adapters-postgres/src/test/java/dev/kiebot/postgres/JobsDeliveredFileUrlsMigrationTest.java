package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.DeliveredFile;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.postgres.testing.TestDatabase;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The migration that keeps each delivered file's URL beside its id, on a schema the build before left: the ids that
 * build kept read as files with no URL known (paired by order at a re-send, as before), and while both builds write
 * the row (a deploy) each URL stays at its own id's position, the build before reading its ids as ever. Applied again,
 * it changes nothing.
 */
class JobsDeliveredFileUrlsMigrationTest {
    private static final String SCRIPT = "V42__jobs_delivered_file_urls.sql";
    private static final String SCHEMA = "kiebot_fileurls_" + System.nanoTime() % 100_000;

    @AfterEach
    void dropSchema() {
        TestDatabase.jdbi().useHandle(h -> h.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE"));
    }

    /** A job as the build before makes it: naming only the columns it knows. */
    private static long job(Handle h) {
        return h.createQuery("INSERT INTO jobs (user_id, chat_id, language, model_id, sku_id, input_values, "
                        + "input_files, price, free, state, created_at, deadline, next_check_at) VALUES "
                        + "(1234567, 1234567, 'ru', 'img/m9', 'default', '{}', '{}', 300, false, 'DELIVERED', now(), "
                        + "now(), now()) RETURNING id")
                .mapTo(Long.class).one();
    }

    /** The build before's keeping of a sent file: its id appended, nothing beside it. */
    private static void keptByTheBuildBefore(Database db, long job, String fileId) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE jobs SET delivered_file_ids = coalesce(delivered_file_ids, "
                        + "'{}') || CAST(:ids AS text[]), updated_at = now() WHERE id = :id")
                .bindArray("ids", String.class, List.of(fileId)).bind("id", job).execute());
    }

    /** The build before's read of the ids, for its re-sends. */
    private static List<String> readByTheBuildBefore(Database db, long job) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT unnest(delivered_file_ids) FROM jobs WHERE id = :id")
                .bind("id", job).mapTo(String.class).list());
    }

    @Test
    void idsKeptBeforeHaveNoUrlAndEachUrlStaysBesideItsOwnIdWhileBothBuildsWrite() {
        DatabaseSettings settings = TestDatabase.settings().withPoolSize(2).withSchema(SCHEMA);
        long job;
        // a schema as the build before left it, a job's first file kept by it
        try (Database db = Database.connect(settings)) {
            db.jdbi().useHandle(h -> {
                TestDatabase.forgetMigrationsFrom(h, SCRIPT);
                h.execute("ALTER TABLE jobs DROP COLUMN delivered_file_urls");
            });
            job = db.jdbi().withHandle(JobsDeliveredFileUrlsMigrationTest::job);
            keptByTheBuildBefore(db, job, "F1");
        }
        JobId id = new JobId(job);
        try (Database db = Database.connect(settings)) {
            PgJobs jobs = new PgJobs(db.jdbi());
            assertThat(jobs.deliveredFiles(id)).containsExactly(new DeliveredFile("F1", Optional.empty()));
            jobs.addDeliveredFiles(id, List.of(DeliveredFile.of("F2", "https://r/b.png")));
            keptByTheBuildBefore(db, job, "F3");
            jobs.addDeliveredFiles(id, List.of(DeliveredFile.of("F4", "https://r/d.png")));
            assertThat(jobs.deliveredFiles(id)).as("each URL beside its own id").containsExactly(
                    new DeliveredFile("F1", Optional.empty()), DeliveredFile.of("F2", "https://r/b.png"),
                    new DeliveredFile("F3", Optional.empty()), DeliveredFile.of("F4", "https://r/d.png"));
            assertThat(readByTheBuildBefore(db, job)).containsExactly("F1", "F2", "F3", "F4");
            long made = db.jdbi().withHandle(JobsDeliveredFileUrlsMigrationTest::job);
            assertThat(jobs.deliveredFiles(new JobId(made))).as("a job the build before makes now").isEmpty();
            db.jdbi().useHandle(h -> TestDatabase.forgetMigrationsFrom(h, SCRIPT));
        }
        try (Database db = Database.connect(settings)) {
            assertThat(new PgJobs(db.jdbi()).deliveredFiles(id)).as("applied again").containsExactly(
                    new DeliveredFile("F1", Optional.empty()), DeliveredFile.of("F2", "https://r/b.png"),
                    new DeliveredFile("F3", Optional.empty()), DeliveredFile.of("F4", "https://r/d.png"));
        }
    }
}
