package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiebot.postgres.testing.QueryPlans;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A user's unfinished jobs ({@code Jobs.unfinished}, read on every plain text at the menu) are read from the index of
 * unfinished jobs ({@code V35__jobs_user_unfinished.sql}) and touch those rows alone, however many finished jobs he
 * has: through {@code jobs_user} the query walked past every finished job of his. Nothing is timed: the plan
 * PostgreSQL chose on a filled table, and the rows it read, are what is checked
 * ({@code EXPLAIN (ANALYZE, TIMING OFF)}).
 */
class PgUnfinishedJobsQueryPlanTest {
    static final int JOBS = 200_000;
    static final int USERS = 2_000;
    /** A busy user: 20,000 finished jobs, 3 unfinished among the oldest. */
    static final long BUSY = 4242;
    static final int BUSY_FINISHED = 20_000;
    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private static Jdbi jdbi;

    @BeforeAll
    static void aShopWithABusyUser() {
        TestDatabase.truncateAll();
        jdbi = TestDatabase.jdbi();
        TestDatabase.fill(h -> {
            String insert = "INSERT INTO jobs (user_id, chat_id, language, model_id, sku_id, input_values, "
                    + "input_files, price, free, state, created_at, deadline, next_check_at) "
                    + "SELECT {user}, {user}, 'ru', 'model/' || (i % 80), 'default', '{}', '{}', 312, false, {state}, "
                    + "t, t + interval '30 minutes', t "
                    + "FROM generate_series(1, :n) i, "
                    + "LATERAL (SELECT :now - ((:n - i)::double precision / :n) * interval '365 days' AS t) x";
            // the busy user's three unfinished jobs come first (oldest), then his finished ones
            h.createUpdate(jobs(insert, String.valueOf(BUSY), "(ARRAY['HELD', 'SUBMITTED', 'RUNNING'])[i]"))
                    .bind("now", Sql.ts(NOW.minusSeconds(86_400 * 366))).bind("n", 3).execute();
            h.createUpdate(jobs(insert, String.valueOf(BUSY),
                            "CASE WHEN i % 5 = 0 THEN 'FAILED' ELSE 'DELIVERED' END"))
                    .bind("now", Sql.ts(NOW)).bind("n", BUSY_FINISHED).execute();
            // everybody else: a tenth of their jobs still at work
            h.createUpdate(jobs(insert, "i % " + USERS,
                            "CASE WHEN i % 10 = 9 THEN 'RUNNING' WHEN i % 10 = 8 THEN 'FAILED' ELSE 'DELIVERED' END"))
                    .bind("now", Sql.ts(NOW)).bind("n", JOBS).execute();
            h.execute("VACUUM ANALYZE jobs");
        });
    }

    private static String jobs(String insert, String user, String state) {
        return insert.replace("{user}", user).replace("{state}", state);
    }

    @AfterAll
    static void empty() {
        TestDatabase.truncateAll();
    }

    @Test
    void aBusyUsersUnfinishedJobsAreReadFromTheirIndexAlone() {
        List<JsonNode> scans = new ArrayList<>();
        QueryPlans.scans(QueryPlans.plan(jdbi, PgJobs.UNFINISHED, Map.of("u", BUSY, "n", 20)), scans);
        assertThat(scans).hasSize(1);
        JsonNode scan = scans.get(0);
        assertThat(scan.path("Node Type").asText()).as(scan.toString()).isIn("Index Scan", "Index Only Scan");
        assertThat(scan.path("Index Name").asText()).as(scan.toString()).isEqualTo("jobs_user_unfinished");
        assertThat(QueryPlans.touched(scan)).as("rows read of jobs: his unfinished ones alone").isEqualTo(3);
        assertThat(new PgJobs(jdbi).unfinished(BUSY, 20)).hasSize(3)
                .allMatch(j -> !j.state().isTerminal() && j.userId() == BUSY);
    }
}
