package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiebot.postgres.testing.QueryPlans;
import dev.kiebot.postgres.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The statements review RY found growing with a year of a successful bot read what they answer, not the history:
 * on tables filled as a year leaves them and never analysed (a shop whose autovacuum has not come yet: the planner
 * knows nothing of the rows), each statement's plan, as PostgreSQL ran it, reads its table through the index meant
 * for it and touches a bounded number of rows. Nothing is timed; the times at a year's data are in the commits.
 */
class AYearOfDataPlanTest {
    /** Stars refunds' losses, each with a job's refund sent back against it: a year had 3,305 of the first. */
    private static final int LOSSES = 20_000;
    /** The audit events of the month the upkeep keeps. */
    private static final int KEPT_EVENTS = 200_000;
    private Jdbi jdbi;

    @BeforeEach
    void empty() {
        TestDatabase.truncateAll();
        jdbi = TestDatabase.jdbi();
    }

    @AfterEach
    void emptyAfter() {
        TestDatabase.truncateAll();
    }

    /** The scans of tables in {@code sql}'s plan, each checked to go through {@code index} and to touch few rows. */
    private List<JsonNode> assertThroughIndexAndBounded(String what, String sql, Map<String, Object> params,
                                                        long bound, String... index) {
        JsonNode plan = QueryPlans.plan(jdbi, sql, params);
        List<JsonNode> scans = new ArrayList<>();
        QueryPlans.scans(plan, scans);
        assertThat(scans).as(what + " reads tables: " + plan).isNotEmpty();
        scans.removeIf(s -> s.path("Node Type").asText().equals("ModifyTable"));
        assertThat(scans).as(what + " reads tables: " + plan).isNotEmpty();
        for (JsonNode s : scans) {
            assertThat(s.path("Node Type").asText()).as(what + ": " + plan)
                    .isIn("Index Scan", "Index Only Scan", "Bitmap Heap Scan");
            assertThat(QueryPlans.touched(s)).as(what + ", rows touched: " + plan).isLessThanOrEqualTo(bound);
        }
        List<String> indexes = new ArrayList<>();
        indexes(plan, indexes);
        assertThat(indexes).as(what + ": " + plan).contains(index);
        return scans;
    }

    private static void indexes(JsonNode node, List<String> out) {
        if (node.has("Index Name")) {
            out.add(node.get("Index Name").asText());
        }
        node.path("Plans").forEach(p -> indexes(p, out));
    }

    /**
     * A job's refunds sent back against losses ({@code refund:<hold>:<loss>}, {@code Ledger.withIdPrefix}) are a range
     * of the primary key: the loss account's whole list, read once per charged line of {@code /history}, took
     * 35-68 ms a line at a year's 3,305 losses. The neighbours in the key's order ({@code gen_1} before
     * {@code gen_10}, {@code gen_12}...) are not touched.
     */
    @Test
    void aJobsRefundsAgainstLossesAreARangeOfThePrimaryKey() {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO ledger_transfers (id, debit_account, credit_account, amount, "
                + "kind, phase, created_at) SELECT id, d, c, 100, k::ledger_kind, 'POSTED', now() FROM "
                + "generate_series(1, :n) n, LATERAL (VALUES ('stars-loss:ch-' || n, 'expense:stars_refund_loss', "
                + "'clearing:stars', 'STARS_REFUND'), ('refund:gen_' || n || ':stars-loss:ch-' || n, "
                + "'revenue:generation', 'expense:stars_refund_loss', 'REFUND')) v(id, d, c, k)")
                .bind("n", LOSSES).execute());
        assertThat(PgLedger.pastPrefix("refund:gen_1:")).hasValue("refund:gen_1;");
        List<JsonNode> scans = assertThroughIndexAndBounded("a job's refunds against losses", PgLedger.WITH_ID_PREFIX,
                Map.of("from", "refund:gen_1:", "past", PgLedger.pastPrefix("refund:gen_1:").orElseThrow()),
                2, "ledger_transfers_pkey");
        assertThat(scans).singleElement().satisfies(s -> assertThat(s.path("Actual Rows").asLong()).isEqualTo(1));
        assertThat(new PgLedger(TestDatabase.get(), java.time.Clock.systemUTC()).withIdPrefix("refund:gen_1:"))
                .extracting(t -> t.id()).containsExactly("refund:gen_1:stars-loss:ch-1");
    }

    private void jobs(long user, int count, String state, String values, String at) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO jobs (user_id, chat_id, language, model_id, sku_id, "
                        + "input_values, input_files, price, free, state, result_urls, result_kind, created_at, "
                        + "deadline, next_check_at) SELECT :u, :u, 'ru', 'm', 's', CAST(:values AS jsonb), '{}', 100, "
                        + "false, :state, '{}', 'PHOTO', CAST(:at AS timestamptz) + n * interval '1 second', "
                        + "CAST(:at AS timestamptz), CAST(:at AS timestamptz) FROM generate_series(1, :count) n")
                .bind("u", user).bind("count", count).bind("state", state).bind("values", values).bind("at", at)
                .execute());
    }

    private long notBlanked(long user) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM jobs WHERE user_id = :u "
                + "AND input_values <> '{}'::jsonb").bind("u", user).mapTo(Long.class).one());
    }

    /**
     * {@code /forget} of a user of 20,000 jobs, blanked by the retention but his last few, blanks those few
     * (V46's index of the jobs not blanked, by user): it rewrote all 20,000 (3.3 s at a year's 17,000). A user with
     * more than a batch to blank has them all blanked, a job under way keeps its inputs, another user's are kept.
     */
    @Test
    void forgettingAUserOfManyJobsBlanksThoseNotBlankedYetInBatches() {
        long heavy = 7;
        jobs(heavy, 20_000, "DELIVERED", "{}", "2026-01-01T00:00:00Z");
        jobs(heavy, 3, "DELIVERED", "{\"prompt\":\"a fox\"}", "2026-11-01T00:00:00Z");
        assertThroughIndexAndBounded("his jobs not blanked", PgPersonalData.HIS_JOBS,
                Map.of("u", heavy, "n", PgPersonalData.JOBS_BATCH), 10, "jobs_user_not_blanked");

        jobs(heavy, 2 * PgPersonalData.JOBS_BATCH + 500, "FAILED", "{\"prompt\":\"a cat\"}",
                "2026-11-02T00:00:00Z");
        jobs(heavy, 1, "RUNNING", "{\"prompt\":\"under way\"}", "2026-11-03T00:00:00Z");
        jobs(8, 3, "DELIVERED", "{\"prompt\":\"another's\"}", "2026-11-01T00:00:00Z");
        assertThat(new PgPersonalData(jdbi).forget(heavy)).as("jobs under way").isEqualTo(1);
        assertThat(notBlanked(heavy)).as("his jobs left with inputs: the one under way").isEqualTo(1);
        assertThat(notBlanked(8)).as("another user's").isEqualTo(3);
    }

    /**
     * {@code /find}'s user card (what he spent, {@code PgShopFigures.SPENT}) reads his generations' posts and the
     * refunds to his wallet from their covering indexes (V46), not every transfer of his wallet: his holds, top-ups
     * and the other accounts' rows are not touched (0.3-0.6 s for a heavy user at a year's data).
     */
    @Test
    void aUsersSpendingReadsHisPostsAndRefundsFromTheirIndexesAlone() {
        int posts = 5_000;
        jdbi.useHandle(h -> {
            h.createUpdate("INSERT INTO ledger_transfers (id, debit_account, credit_account, amount, kind, phase, "
                    + "pending_id, timeout_at, created_at) SELECT id, 'wallet:' || u, 'revenue:generation', 100, "
                    + "'GENERATION', p::ledger_phase, CASE WHEN p = 'POST_PENDING' THEN 'gen_' || u || '_' || n END, "
                    + "CASE WHEN p = 'PENDING' THEN now() END, now() FROM generate_series(1, :n) n, "
                    + "(VALUES (7), (8)) w(u), LATERAL (VALUES ('gen_' || u || '_' || n, 'PENDING'), "
                    + "('post:gen_' || u || '_' || n, 'POST_PENDING')) v(id, p)").bind("n", posts).execute();
            h.createUpdate("INSERT INTO ledger_transfers (id, debit_account, credit_account, amount, kind, phase, "
                    + "created_at) SELECT 'stars:' || n, 'clearing:stars', 'wallet:7', 1000, 'TOP_UP_STARS', "
                    + "'POSTED', now() FROM generate_series(1, :n) n").bind("n", posts).execute();
            h.execute("INSERT INTO ledger_transfers (id, debit_account, credit_account, amount, kind, phase, "
                    + "created_at) SELECT 'refund:gen_7_' || n, 'revenue:generation', 'wallet:7', 100, 'REFUND', "
                    + "'POSTED', now() FROM generate_series(1, 3) n");
        });
        Map<String, Object> w = Map.of("w", "wallet:7");
        assertThroughIndexAndBounded("spent", PgShopFigures.SPENT, w, posts, "ledger_transfers_spent",
                "ledger_transfers_refunded");
        long spent = jdbi.withHandle(h -> h.createQuery(PgShopFigures.SPENT).bind("w", "wallet:7")
                .mapTo(Long.class).one());
        assertThat(spent).isEqualTo(posts * 100L - 300);
    }

    /**
     * The handled updates' purge ({@code Upkeep}, a pass of 1,000 at a time) deletes its batch by key: as a join it
     * hashed the batch and read the whole table against it once the table was analysed (103-183 ms a pass at a
     * week of a year's traffic). Its batch is locked in the order of time then id (a forget's order): the index
     * gives the time's, a sort the id's among equal times, reading its rows in groups of 32 (PostgreSQL's incremental
     * sort), so up to a group more than the pass.
     */
    @Test
    void aPurgePassOfHandledUpdatesTouchesItsBatchAlone() {
        jdbi.useHandle(h -> h.execute("INSERT INTO processed_updates (update_id, chat_id, payload, recorded_at, "
                + "done_at) SELECT n, n % 5000, '', timestamptz '2026-11-01' + n * interval '1 second', "
                + "timestamptz '2026-11-01' + n * interval '1 second' FROM generate_series(1, 200000) n"));
        Map<String, Object> pass = Map.of("cutoff", Sql.ts(java.time.Instant.parse("2026-12-01T00:00:00Z")),
                "n", 1_000);
        assertThroughIndexAndBounded("a purge pass", PgProcessedUpdates.PURGE, pass, 1_000 + 32,
                "processed_updates_handled", "processed_updates_pkey");
        // the join's hash over the whole table came with the statistics a running shop's autovacuum keeps
        jdbi.useHandle(h -> h.execute("ANALYZE processed_updates"));
        assertThroughIndexAndBounded("a purge pass, the table analysed", PgProcessedUpdates.PURGE, pass, 1_000 + 32,
                "processed_updates_handled", "processed_updates_pkey");
        assertThat(new PgProcessedUpdates(jdbi).purge(java.time.Instant.parse("2026-11-01T01:00:00Z"), 3_000))
                .as("the 3,599 before the cutoff less the 2,000 of the passes explained, oldest first")
                .isEqualTo(1_599);
    }

    /**
     * The upkeep's purge of audit events past their month deletes them in bounded statements
     * ({@code PgAudit.PURGE}), each of a batch found by time and locked in the forget's order (time, then id), up to
     * a group of 32 more (the sort of equal times by id): it was one statement deleting, sorting and locking every
     * event past the month at once. A purge of more than two batches deletes every event before the cutoff, none after.
     * The month kept: 200,000 events, one every 13 seconds.
     */
    @Test
    void thePurgeOfOldAuditEventsGoesInBoundedBatches() {
        int old = 2 * PgAudit.PURGE_BATCH + 1_000 + 7;
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO audit_events (at, actor, action, detail, correlation_id) "
                + "SELECT timestamptz '2026-10-01' + n * interval '13 second', 'system', 'job.refund', "
                + "'d' || n, 'unsent:' || (n % 500) FROM generate_series(1, :n) n")
                .bind("n", old + KEPT_EVENTS).execute());
        java.time.Instant cutoff = java.time.Instant.parse("2026-10-01T00:00:00Z").plusSeconds(13L * old + 1);
        Map<String, Object> batch = Map.of("cutoff", Sql.ts(cutoff), "n", 1_000);
        assertThroughIndexAndBounded("an audit purge's batch", PgAudit.PURGE, batch, 1_000 + 32, "audit_events_at",
                "audit_events_pkey");
        jdbi.useHandle(h -> h.execute("ANALYZE audit_events"));
        assertThat(new PgAudit(jdbi).purge(cutoff)).as("the events before the cutoff less the batch explained")
                .isEqualTo(old - 1_000);
        long before = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM audit_events WHERE at < :cutoff")
                .bind("cutoff", Sql.ts(cutoff)).mapTo(Long.class).one());
        assertThat(before).as("left before the cutoff").isZero();
        long kept = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM audit_events").mapTo(Long.class).one());
        assertThat(kept).as("the events after it, kept").isEqualTo(KEPT_EVENTS);
    }

    /**
     * The retention's pass of old jobs ({@code PgPersonalData.OLD_JOBS}, hourly) asks the audit trail whether each
     * job's result was noted not sent: through V46's index by action, not a scan of every event of the 30 days kept.
     */
    @Test
    void theRetentionsPassOfOldJobsReadsTheUnsentNotesByTheirAction() {
        jdbi.useHandle(h -> h.execute("INSERT INTO audit_events (at, actor, action, detail, correlation_id) "
                + "SELECT timestamptz '2026-11-20' + n * interval '1 second', 'system', 'job.refund', 'd' || n, "
                + "'unsent:' || (n % 500) FROM generate_series(1, 20000) n"));
        for (long u = 1; u <= 3; u++) {
            jobs(u, 1, "DELIVERED", "{\"prompt\":\"a fox\"}", "2026-09-01T00:00:00Z");
        }
        assertThroughIndexAndBounded("old jobs", PgPersonalData.OLD_JOBS,
                Map.of("before", Sql.ts(java.time.Instant.parse("2026-11-01T00:00:00Z")), "n", 100), 10,
                "audit_events_action");
    }

    /**
     * {@code /stats} and {@code /chart} count a window of generations by creation from V47's index alone (an index-only
     * scan: the state, failure and model are in it), not a heap row fetched per counted job through {@code jobs_created}
     * (0.54-0.66 s for the 90 days' chart at a year's data, 0.28 s now). A table vacuumed and analysed, as autovacuum
     * leaves a big one: the plan's choice of an index-only scan, not the heap fetches it still makes for pages the
     * visibility map does not mark yet (the newest, here), is what a test can rely on.
     */
    @Test
    void theFiguresCountAWindowOfJobsFromTheirIndexAlone() {
        int jobs = 40_000; // one every 15 minutes: 417 days
        java.time.Instant start = java.time.Instant.parse("2025-11-01T00:00:00Z");
        java.time.Instant now = start.plus(java.time.Duration.ofMinutes(15L * jobs));
        jdbi.useHandle(h -> {
            h.createUpdate("INSERT INTO jobs (user_id, chat_id, language, model_id, sku_id, input_values, "
                    + "input_files, price, free, state, failure, result_urls, result_kind, created_at, deadline, "
                    + "next_check_at) SELECT n % 50, n % 50, 'ru', 'm' || n % 7, 's', '{}', '{}', 100, false, "
                    + "CASE WHEN n % 10 = 0 THEN 'FAILED' ELSE 'DELIVERED' END, "
                    + "CASE WHEN n % 20 = 0 THEN 'insufficient.funds' WHEN n % 10 = 0 THEN 'provider.failed' END, "
                    + "'{}', 'PHOTO', :at + n * interval '15 minutes', :at, :at FROM generate_series(1, :n) n")
                    .bind("at", Sql.ts(start)).bind("n", jobs).execute();
            h.execute("VACUUM ANALYZE jobs");
        });
        java.time.Instant dayAgo = now.minus(java.time.Duration.ofDays(1));
        java.time.Instant weekAgo = now.minus(java.time.Duration.ofDays(7));
        java.time.Instant quarterAgo = now.minus(java.time.Duration.ofDays(90));
        Map<String, Map<String, Object>> statements = new java.util.LinkedHashMap<>();
        statements.put(PgShopFigures.GENERATIONS, Map.of("dayAgo", Sql.ts(dayAgo)));
        statements.put(PgShopFigures.TOP_MODELS, Map.of("weekAgo", Sql.ts(weekAgo)));
        statements.put(PgShopFigures.FAILING_MODELS, Map.of("dayAgo", Sql.ts(dayAgo)));
        statements.put(PgShopFigures.GENERATIONS_PER_DAY, Map.of("zone", "Europe/Moscow", "from",
                Sql.ts(quarterAgo), "to", Sql.ts(now.plusSeconds(1))));
        statements.forEach((sql, params) -> {
            List<JsonNode> scans = assertThroughIndexAndBounded("the figures' jobs", sql, params, 90 * 96 + 10,
                    "jobs_created_figures");
            assertThat(scans).as(sql).allSatisfy(s -> assertThat(s.path("Node Type").asText())
                    .isEqualTo("Index Only Scan"));
        });
        assertThat(QueryPlans.plan(jdbi, PgShopFigures.GENERATIONS_PER_DAY,
                statements.get(PgShopFigures.GENERATIONS_PER_DAY)).path("Actual Rows").asLong())
                .as("days counted").isBetween(90L, 91L);
    }
}
