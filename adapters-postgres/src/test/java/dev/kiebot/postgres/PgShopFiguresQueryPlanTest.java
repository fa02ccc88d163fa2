package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiebot.postgres.testing.QueryPlans;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's statements stay cheap as the shop grows: against a year of a busy shop (a million jobs, a
 * million ledger transfers, 200,000 users) every windowed statement reads its tables through an index and touches
 * no more rows than its window holds, except the active users' count, which reads users once (V39). Nothing is
 * timed: the plans PostgreSQL chose, and the rows they read, are what is checked
 * ({@code EXPLAIN (ANALYZE, TIMING OFF)}).
 */
class PgShopFiguresQueryPlanTest {
    static final int JOBS = 1_000_000;
    static final int TRANSFERS = 1_000_000;
    static final int USERS = 200_000;
    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    static final Instant TODAY = Instant.parse("2026-11-20T21:00:00Z");
    static final ZoneId ZONE = ZoneId.of("Europe/Moscow");
    private static final Set<String> BIG = Set.of("jobs", "ledger_transfers", "users");
    private static Jdbi jdbi;

    @BeforeAll
    static void aYearOfABusyShop() {
        TestDatabase.truncateAll();
        jdbi = TestDatabase.jdbi();
        TestDatabase.fill(h -> {
            h.createUpdate("INSERT INTO users (id, first_name, created_at, search_text, last_seen_at) "
                            + "SELECT i, 'u' || i, :now - (i % 730) * interval '1 day', 'u' || i, "
                            + ":now - (i % 1440) * interval '1 hour' FROM generate_series(1, :n) i")
                    .bind("now", Sql.ts(NOW)).bind("n", USERS).execute();
            // a job every ~32 s for a year; states and failures in the shares of a live shop
            h.createUpdate("INSERT INTO jobs (user_id, chat_id, language, model_id, sku_id, input_values, "
                            + "input_files, price, free, state, failure, created_at, deadline, next_check_at) "
                            + "SELECT i % :users, i % :users, 'ru', 'model/' || (i % 80), 'default', '{}', '{}', 312, "
                            + "false, CASE WHEN i % 10 < 7 THEN 'DELIVERED' WHEN i % 10 < 9 THEN 'FAILED' "
                            + "ELSE 'RUNNING' END, CASE i % 10 WHEN 7 THEN 'error.provider_failed' "
                            + "WHEN 8 THEN 'insufficient.funds' END, t, t + interval '30 minutes', t "
                            + "FROM generate_series(1, :n) i, "
                            + "LATERAL (SELECT :now - (i::double precision / :n) * interval '365 days' AS t) x")
                    .bind("now", Sql.ts(NOW)).bind("n", JOBS).bind("users", USERS).execute();
            // generation posts, holds, top-ups and refunds over the same year
            h.createUpdate("INSERT INTO ledger_transfers (id, debit_account, credit_account, amount, kind, phase, "
                            + "pending_id, timeout_at, created_at) "
                            + "SELECT 't' || i, CASE WHEN k < 90 THEN 'wallet:' || (i % :users) "
                            + "WHEN k < 98 THEN 'clearing:stars' WHEN k < 99 THEN 'clearing:manual' "
                            + "ELSE 'revenue:generation' END, "
                            + "CASE WHEN k < 90 THEN 'revenue:generation' ELSE 'wallet:' || (i % :users) END, 312, "
                            + "(CASE WHEN k < 90 THEN 'GENERATION' WHEN k < 98 THEN 'TOP_UP_STARS' "
                            + "WHEN k < 99 THEN 'TOP_UP_MANUAL' ELSE 'REFUND' END)::ledger_kind, "
                            + "(CASE WHEN k < 60 THEN 'POST_PENDING' WHEN k < 90 THEN 'PENDING' ELSE 'POSTED' END)"
                            + "::ledger_phase, CASE WHEN k < 60 THEN 'h' || i END, "
                            + "CASE WHEN k >= 60 AND k < 90 THEN t + interval '1 hour' END, t "
                            + "FROM generate_series(1, :n) i, "
                            + "LATERAL (SELECT i % 100 AS k, :now - (i::double precision / :n) * interval '365 days' AS t) x")
                    .bind("now", Sql.ts(NOW)).bind("n", TRANSFERS).bind("users", USERS).execute();
            h.execute("INSERT INTO manual_topups (request_key, user_id, chat_id, amount, reference, state, created_at, "
                    + "expires_at, decided_by, decided_at) SELECT 'k' || i, i, i, 10000, 'R' || i, 'APPROVED', "
                    + "now() - interval '10 days', now() - interval '8 days', 1, now() - interval '9 days' "
                    + "FROM generate_series(1, 20000) i");
            h.execute("INSERT INTO manual_topups (request_key, user_id, chat_id, amount, reference, state, created_at, "
                    + "expires_at) SELECT 'o' || i, i, i, 10000, 'O' || i, 'REQUESTED', now(), now() + interval '2 days' "
                    + "FROM generate_series(1, 30) i");
            h.execute("VACUUM ANALYZE users, jobs, ledger_transfers, manual_topups");
        });
    }

    @AfterAll
    static void empty() {
        TestDatabase.truncateAll();
    }

    private static long count(String table, String where, Map<String, Object> params) {
        return jdbi.withHandle(h -> {
            var q = h.createQuery("SELECT count(*) FROM " + table + " WHERE " + where);
            params.forEach(q::bind);
            return q.mapTo(Long.class).one();
        });
    }

    /**
     * Every scan of a big table in the plan goes through an index and reads at most {@code window} rows of it.
     *
     * @return the scans, for further checks
     */
    private static List<JsonNode> assertIndexedAndBounded(String what, String sql, Map<String, Object> params,
                                                          long window) {
        List<JsonNode> scans = new ArrayList<>();
        QueryPlans.scans(QueryPlans.plan(jdbi, sql, params), scans);
        assertThat(scans).as(what + " reads tables").isNotEmpty();
        for (JsonNode s : scans) {
            String table = s.path("Relation Name").asText();
            assertThat(s.path("Node Type").asText()).as(what + " on " + table + ": " + s)
                    .isIn("Index Scan", "Index Only Scan", "Bitmap Heap Scan");
            if (BIG.contains(table)) {
                assertThat(QueryPlans.touched(s)).as(what + " rows read of " + table + " (window " + window + ")")
                        .isLessThanOrEqualTo(window);
            }
        }
        return scans;
    }

    private static Map<String, Object> at(String... names) {
        Map<String, Object> all = Map.of("now", Sql.ts(NOW), "today", Sql.ts(TODAY),
                "dayAgo", Sql.ts(NOW.minus(Duration.ofHours(24))), "weekAgo", Sql.ts(NOW.minus(Duration.ofDays(7))),
                "monthAgo", Sql.ts(NOW.minus(Duration.ofDays(30))));
        Map<String, Object> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, all.get(n));
        }
        return out;
    }

    @Test
    void theDataIsThere() {
        assertThat(count("jobs", "true", Map.of())).isEqualTo(JOBS);
        assertThat(count("ledger_transfers", "true", Map.of())).isEqualTo(TRANSFERS);
        assertThat(count("users", "true", Map.of())).isEqualTo(USERS);
    }

    @Test
    void generationsOfADayAndTopModelsOfAWeekReadOnlyTheirJobs() {
        long day = count("jobs", "created_at >= :dayAgo", at("dayAgo"));
        long week = count("jobs", "created_at >= :weekAgo", at("weekAgo"));
        assertThat(day).isBetween(2_000L, 4_000L);
        assertIndexedAndBounded("generations 24 h", PgShopFigures.GENERATIONS, at("dayAgo"), day);
        assertIndexedAndBounded("top models 7 d", PgShopFigures.TOP_MODELS, at("weekAgo"), week);
        assertIndexedAndBounded("failing models 24 h", PgShopFigures.FAILING_MODELS, at("dayAgo"), day);
    }

    @Test
    void moneyFiguresReadOnlyTheirWindowOfPostedTransfers() {
        String posted = "phase IN ('POSTED', 'POST_PENDING') AND created_at >= ";
        long month = count("ledger_transfers", posted + ":monthAgo", at("monthAgo"));
        long week = count("ledger_transfers", posted + ":weekAgo", at("weekAgo"));
        assertThat(month).isLessThan(TRANSFERS / 10);
        assertIndexedAndBounded("revenue", PgShopFigures.REVENUE_WINDOWS, at("today", "weekAgo", "monthAgo"), month);
        assertIndexedAndBounded("top-ups 7 d", PgShopFigures.TOP_UPS, at("weekAgo"), week);
    }

    /** /export's month of payments in and out (Ledger.posted of their kinds): only that month's payments are read. */
    @Test
    void aMonthsPaymentsForTheExportReadOnlyThatMonthsPayments() {
        String[] kinds = {"DEBIT_MANUAL", "EXTERNAL_REFUND", "STARS_REFUND", "TOP_UP_EXTERNAL", "TOP_UP_MANUAL",
                "TOP_UP_STARS"};
        Map<String, Object> month = Map.of("kinds", kinds, "from", Sql.ts(Instant.parse("2026-09-30T21:00:00Z")),
                "to", Sql.ts(Instant.parse("2026-10-31T21:00:00Z")));
        long payments = count("ledger_transfers", "kind = ANY (CAST(:kinds AS ledger_kind[])) AND phase IN "
                + "('POSTED', 'POST_PENDING') AND created_at >= :from AND created_at < :to", month);
        assertThat(payments).isBetween(5_000L, (long) TRANSFERS / 100);
        assertIndexedAndBounded("a month's payments", PgLedger.POSTED_OF_KINDS, month, payments);
    }

    @Test
    void usersOfTodayAreCountedFromTheirIndex() {
        long today = count("users", "created_at >= :today", at("today"));
        assertIndexedAndBounded("new today", PgShopFigures.USERS_NEW, at("today"), today);
    }

    /**
     * The one exception, on purpose (V39): {@code last_seen_at} has no index, so that the write every update makes
     * stays HOT ({@link PgUsersHotUpdateTest}); the dashboard's active count reads users once, no more than that.
     */
    @Test
    void activeUsersOfTheLastDayAreCountedInOnePassOverUsers() {
        List<JsonNode> scans = new ArrayList<>();
        QueryPlans.scans(QueryPlans.plan(jdbi, PgShopFigures.USERS_ACTIVE, at("dayAgo")), scans);
        assertThat(scans).as("active 24 h reads users").isNotEmpty()
                .allSatisfy(s -> assertThat(s.path("Relation Name").asText()).isEqualTo("users"));
        assertThat(scans.stream().mapToLong(QueryPlans::touched).sum()).as("rows read of users").isEqualTo(USERS);
    }

    @Test
    void pendingManualRequestsAreCountedFromTheOpenIndex() {
        List<JsonNode> scans = assertIndexedAndBounded("pending manual", PgShopFigures.PENDING_MANUAL, Map.of(), 30);
        assertThat(QueryPlans.touched(scans.get(0))).isEqualTo(30);
    }

    @Test
    void theChartsDaysReadOnlyTheirRange() {
        LocalDate last = LocalDate.ofInstant(NOW, ZONE);
        Instant from = last.minusDays(29).atStartOfDay(ZONE).toInstant();
        Instant to = last.plusDays(1).atStartOfDay(ZONE).toInstant();
        Map<String, Object> params = Map.of("zone", ZONE.getId(), "from", Sql.ts(from), "to", Sql.ts(to));
        Map<String, Object> range = Map.of("from", Sql.ts(from), "to", Sql.ts(to));
        long jobs = count("jobs", "created_at >= :from AND created_at < :to", range);
        long money = count("ledger_transfers", "phase IN ('POSTED', 'POST_PENDING') AND created_at >= :from "
                + "AND created_at < :to", range);
        assertIndexedAndBounded("generations per day", PgShopFigures.GENERATIONS_PER_DAY, params, jobs);
        assertIndexedAndBounded("revenue per day", PgShopFigures.REVENUE_PER_DAY, params, money);
    }

    @Test
    void aUsersSpendingReadsOnlyTheirTransfers() {
        Map<String, Object> w = Map.of("w", "wallet:4242");
        long theirs = count("ledger_transfers", "debit_account = :w OR credit_account = :w", w);
        assertThat(theirs).isBetween(1L, 20L);
        assertIndexedAndBounded("spent", PgShopFigures.SPENT, w, theirs);
    }
}
