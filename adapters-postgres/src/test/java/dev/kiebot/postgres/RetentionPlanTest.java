package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The retention's passes ({@code PgPersonalData.forgetOlder}, hourly) read what they blank, not what they blanked
 * before: over 20,000 generations, support requests and card requests already blanked and three of each still to
 * blank, each statement's plan, as PostgreSQL ran it, reads a handful of rows of each table (V45's partial indexes of
 * the rows not blanked yet; the answers of the tickets found, by their ticket). Checked on the plans (EXPLAIN
 * ANALYZE, rolled back), not on time.
 */
class RetentionPlanTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BLANKED = 20_000;
    /** The tables a pass reads, each holding the history blanked (but the receipts' contents, deleted when blanked). */
    private static final Set<String> TABLES = Set.of("jobs", "support_tickets", "support_ticket_answers",
            "manual_topups", "manual_topup_receipts");
    private static final Instant OLD = Instant.parse("2026-09-01T10:00:00Z");
    private static final Instant CUTOFF = Instant.parse("2026-11-01T00:00:00Z");

    @BeforeEach
    void aLongHistoryBlankedAndAFewRowsToBlank() {
        TestDatabase.truncateAll();
        TestDatabase.jdbi().useHandle(h -> {
            String jobs = "INSERT INTO jobs (user_id, chat_id, language, model_id, sku_id, input_values, input_files, "
                    + "price, free, state, result_urls, result_kind, created_at, deadline, next_check_at) "
                    + "SELECT n, n, 'ru', 'm', 's', CAST(:values AS jsonb), '{}', 100, false, 'DELIVERED', '{}', "
                    + "'PHOTO', :at, :at, :at FROM generate_series(1, :count) n";
            h.createUpdate(jobs).bind("values", "{}").bind("at", Sql.ts(OLD)).bind("count", BLANKED).execute();
            h.createUpdate(jobs).bind("values", "{\"prompt\":\"a fox\"}").bind("at", Sql.ts(OLD.plusSeconds(60)))
                    .bind("count", 3).execute();
            h.createUpdate("INSERT INTO support_tickets (ticket_key, user_id, text, created_at) "
                    + "SELECT 'blank:' || n, n, '\u2014', :at FROM generate_series(1, :count) n")
                    .bind("at", Sql.ts(OLD)).bind("count", BLANKED).execute();
            h.createUpdate("INSERT INTO support_tickets (ticket_key, user_id, text, created_at) "
                    + "SELECT 'kept:' || n, n, 'call me, Ivan', :at FROM generate_series(1, 3) n")
                    .bind("at", Sql.ts(OLD)).execute();
            h.createUpdate("INSERT INTO support_ticket_answers (ticket_id, admin_id, text, answered_at) "
                    + "SELECT id, 1, CASE WHEN text = '\u2014' THEN text ELSE 'done, Ivan' END, :at "
                    + "FROM support_tickets").bind("at", Sql.ts(OLD)).execute();
            String requests = "INSERT INTO manual_topups (request_key, user_id, chat_id, amount, reference, state, "
                    + "receipt_file_id, created_at, expires_at, decided_by, decided_at) SELECT :key || n, n, n, 50000, "
                    + ":key || n, 'DECLINED', :receipt, :at, :expires, 1, :at FROM generate_series(1, :count) n";
            h.createUpdate(requests).bind("key", "B-").bindNull("receipt", java.sql.Types.VARCHAR)
                    .bind("at", Sql.ts(OLD)).bind("expires", Sql.ts(OLD.plusSeconds(86_400))).bind("count", BLANKED)
                    .execute();
            h.createUpdate(requests).bind("key", "K-").bind("receipt", "receipt-file").bind("at", Sql.ts(OLD))
                    .bind("expires", Sql.ts(OLD.plusSeconds(86_400))).bind("count", 3).execute();
            h.execute("INSERT INTO manual_topup_receipts (request_id, unique_id) SELECT id, 'u' || id "
                    + "FROM manual_topups WHERE receipt_file_id IS NOT NULL");
            // the statistics a running shop's autovacuum keeps
            h.execute("ANALYZE jobs, support_tickets, support_ticket_answers, manual_topups, manual_topup_receipts");
        });
    }

    @AfterEach
    void empty() {
        TestDatabase.truncateAll();
    }

    private static JsonNode plan(Handle h, String sql) throws Exception {
        String explained = h.createQuery("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                .bind("before", Sql.ts(CUTOFF)).bind("n", 100).mapTo(String.class).one();
        return JSON.readTree(explained).get(0).get("Plan");
    }

    private static void nodes(JsonNode node, List<JsonNode> out) {
        out.add(node);
        if (node.has("Plans")) {
            node.get("Plans").forEach(p -> nodes(p, out));
        }
    }

    /** The rows each node over the table read: those it passed on and those it read and threw away. */
    private static void assertReadsAFewRowsOfItsTable(String sql, String what) throws Exception {
        JsonNode plan = TestDatabase.jdbi().inTransaction(h -> {
            JsonNode p = plan(h, sql);
            h.rollback();
            return p;
        });
        List<JsonNode> all = new ArrayList<>();
        nodes(plan, all);
        List<JsonNode> scans = all.stream().filter(n -> TABLES.contains(n.path("Relation Name").asText())
                && !n.get("Node Type").asText().equals("ModifyTable")).toList();
        assertThat(scans).as(what + ": " + plan).isNotEmpty();
        for (JsonNode n : scans) {
            long read = n.get("Actual Rows").asLong() * n.get("Actual Loops").asLong()
                    + n.path("Rows Removed by Filter").asLong() + n.path("Rows Removed by Index Recheck").asLong();
            assertThat(read).as(what + ", rows of " + n.get("Relation Name") + " read by " + n.get("Node Type")
                    + ": " + plan).isLessThanOrEqualTo(10);
        }
    }

    @Test
    void eachPassReadsTheRowsNotBlankedYetNotTheHistory() throws Exception {
        assertReadsAFewRowsOfItsTable(PgPersonalData.OLD_JOBS, "generations");
        assertReadsAFewRowsOfItsTable(PgPersonalData.OLD_TICKETS, "support requests");
        assertReadsAFewRowsOfItsTable(PgPersonalData.OLD_RECEIPTS, "card requests");
        // and they are the rows the passes blank
        assertThat(new PgPersonalData(TestDatabase.jdbi()).forgetOlder(CUTOFF, 100)).isEqualTo(9);
    }
}
