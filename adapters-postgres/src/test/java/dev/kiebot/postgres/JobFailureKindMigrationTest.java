package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobDraft;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The jobs' failure_kind column (V49): applied again on a schema that has it, it keeps the kinds its rows hold; a job
 * failed before it (no kind) reads with none, and so does a name this build does not know (a newer build's, read
 * after a rollback), rather than stop every read of the job.
 */
class JobFailureKindMigrationTest {
    private static final String SCRIPT = "V49__job_failure_kind.sql";
    private static final String SCHEMA = "kiebot_failkind_" + System.nanoTime() % 100_000;
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    @AfterEach
    void dropSchema() {
        TestDatabase.jdbi().useHandle(h -> h.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE"));
    }

    private static JobDraft draft(long userId) {
        return new JobDraft(userId, userId, "ru", "img/m1", "default", Map.of("prompt", "a fox"), Map.of(), 300,
                false, T0, T0.plusSeconds(600));
    }

    @Test
    void appliedAgainItKeepsTheKindsAndARowWithoutOneOrWithAnUnknownOneReadsWithNone() {
        DatabaseSettings settings = TestDatabase.settings().withPoolSize(2).withSchema(SCHEMA);
        Job refused;
        Job before;
        Job newer;
        try (Database db = Database.connect(settings)) {
            PgJobs jobs = PgStores.create(db, Clock.systemUTC()).jobs();
            refused = jobs.update(jobs.create(draft(1)).failed(ErrorKind.CONTENT_POLICY.messageKey(),
                    Optional.of(ErrorKind.CONTENT_POLICY))).orElseThrow();
            before = jobs.update(jobs.create(draft(2)).failed("error.provider_failed")).orElseThrow();
            newer = jobs.update(jobs.create(draft(3)).failed("error.provider_failed",
                    Optional.of(ErrorKind.SERVER))).orElseThrow();
            db.jdbi().useHandle(h -> h.execute("UPDATE jobs SET failure_kind = 'A_KIND_OF_LATER' WHERE id = ?",
                    newer.id().value()));
            db.jdbi().useHandle(h -> TestDatabase.forgetMigrationsFrom(h, SCRIPT));
        }
        try (Database db = Database.connect(settings)) {
            PgJobs jobs = PgStores.create(db, Clock.systemUTC()).jobs();
            assertThat(List.of(refused, before, newer)).extracting(j -> jobs.find(j.id()).orElseThrow().failureKind())
                    .containsExactly(Optional.of(ErrorKind.CONTENT_POLICY), Optional.empty(), Optional.empty());
            assertThat(jobs.find(before.id()).orElseThrow().failure()).contains("error.provider_failed");
        }
    }
}
