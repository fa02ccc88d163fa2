package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiebot.postgres.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The claims of the inbox and the outbox stay cheap at any backlog, whatever the table statistics say: with
 * 50,000 pending updates over 5,000 chats in tables PostgreSQL has never analysed, each claim's plan touches a
 * handful of rows (no join of the backlog with itself, no scan of it). Checked on the plan PostgreSQL actually
 * ran (EXPLAIN ANALYZE), not on time.
 */
class QueueBacklogPlanTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHATS = 5_000;
    private static final int PER_CHAT = 10;
    private static final List<String> TABLES = List.of("processed_updates", "inbox_chats", "outbox", "outbox_chats");

    @BeforeEach
    void backlog() {
        TestDatabase.truncateAll();
        TestDatabase.jdbi().useHandle(h -> {
            for (String t : TABLES) {
                h.execute("ALTER TABLE " + t + " SET (autovacuum_enabled = false)");
            }
            h.execute("INSERT INTO processed_updates (update_id, chat_id, payload, recorded_at) "
                    + "SELECT n, n % " + CHATS + ", '{}', now() FROM generate_series(1, " + (CHATS * PER_CHAT) + ") n");
            h.execute("INSERT INTO inbox_chats (chat_id, head_id) SELECT chat_id, min(update_id) "
                    + "FROM processed_updates GROUP BY chat_id");
            h.execute("INSERT INTO outbox (chat_id, body, created_at) SELECT n % " + CHATS + ", "
                    + "'{\"reply\":{},\"follow\":{}}', now() FROM generate_series(1, " + (CHATS * PER_CHAT) + ") n");
            h.execute("INSERT INTO outbox_chats (chat_id, head_id, due_at) SELECT chat_id, min(id), now() "
                    + "FROM outbox GROUP BY chat_id");
        });
    }

    @AfterEach
    void statisticsBack() {
        TestDatabase.jdbi().useHandle(h -> {
            for (String t : TABLES) {
                h.execute("ALTER TABLE " + t + " RESET (autovacuum_enabled)");
            }
        });
        TestDatabase.truncateAll();
    }

    /** Every plan node's actual rows and the names of the relations it scanned, of the statement as run. */
    private static JsonNode plan(Handle h, String sql, Object... binds) throws Exception {
        var q = h.createQuery("EXPLAIN (ANALYZE, FORMAT JSON) " + sql);
        for (int i = 0; i < binds.length; i += 2) {
            q.bind((String) binds[i], binds[i + 1]);
        }
        return JSON.readTree(q.mapTo(String.class).one()).get(0).get("Plan");
    }

    private static void nodes(JsonNode node, List<JsonNode> out) {
        out.add(node);
        if (node.has("Plans")) {
            node.get("Plans").forEach(p -> nodes(p, out));
        }
    }

    private static void assertBounded(JsonNode plan, String what) {
        List<JsonNode> all = new ArrayList<>();
        nodes(plan, all);
        for (JsonNode n : all) {
            assertThat(n.get("Node Type").asText()).as(what + ": " + plan).isNotEqualTo("Seq Scan");
            assertThat(n.get("Actual Rows").asLong()).as(what + " rows of " + n.get("Node Type")).isLessThanOrEqualTo(5);
            // rows a node read and threw away are read all the same
            assertThat(n.path("Rows Removed by Filter").asLong())
                    .as(what + " rows filtered out by " + n.get("Node Type")).isLessThanOrEqualTo(5);
        }
        assertThat(all).as(what).anySatisfy(n -> assertThat(n.get("Node Type").asText()).contains("Index"));
    }

    @Test
    void claimingTheNextUpdateTouchesAFewRowsOfAHugeNeverAnalysedBacklog() throws Exception {
        JsonNode plan = TestDatabase.jdbi().inTransaction(h -> plan(h, PgProcessedUpdates.CLAIM));
        assertBounded(plan, "inbox claim");
        JsonNode done = TestDatabase.jdbi().inTransaction(h -> plan(h, PgProcessedUpdates.DONE, "id", 1L,
                "now", java.time.OffsetDateTime.now()));
        assertBounded(done, "inbox done");
    }

    @Test
    void takingTheNextReplyTouchesAFewRowsOfAHugeNeverAnalysedOutbox() throws Exception {
        for (int sender = 1; sender <= 3; sender++) { // the chats leased already are passed over, not read
            JsonNode plan = TestDatabase.jdbi().inTransaction(h -> plan(h, PgPendingReplies.CLAIM, claimBinds()));
            assertBounded(plan, "outbox claim by sender " + sender);
        }
        long[] claimed = TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT chat_id, head_id FROM outbox_chats "
                + "WHERE leased_until IS NOT NULL LIMIT 1").map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .one());
        JsonNode settle = TestDatabase.jdbi().inTransaction(h -> plan(h, PgPendingReplies.SETTLE, "id", claimed[1],
                "chat", claimed[0], "tokens", 1.0, "refilled", java.time.OffsetDateTime.now(),
                "due", java.time.OffsetDateTime.now()));
        assertBounded(settle, "outbox settle");
    }

    private static Object[] claimBinds() {
        java.time.OffsetDateTime now = java.time.OffsetDateTime.now();
        return new Object[] {"now", now, "until", now.plusMinutes(10)};
    }

    /**
     * With fresh statistics and what a running bot has: a short backlog (600 chats, one update each), the handled
     * updates kept for de-duplication (50,000, all below the backlog's ids), and the chat due first holding the
     * newest reply. A plan that walks a primary key in order and filters (a merge join) looks cheap here and reads
     * the whole history.
     */
    @Test
    void withFreshStatisticsAShortBacklogAndALongHistoryTheClaimsStillTouchAFewRows() throws Exception {
        TestDatabase.truncateAll();
        TestDatabase.jdbi().useHandle(h -> {
            h.execute("INSERT INTO processed_updates (update_id, chat_id, payload, recorded_at, done_at) "
                    + "SELECT n, n % " + CHATS + ", '{}', now(), now() FROM generate_series(1, "
                    + (CHATS * PER_CHAT) + ") n");
            h.execute("INSERT INTO processed_updates (update_id, chat_id, payload, recorded_at) "
                    + "SELECT 100000 + n, 100000 + n, '{}', now() FROM generate_series(1, 600) n");
            h.execute("INSERT INTO inbox_chats (chat_id, head_id) SELECT chat_id, min(update_id) "
                    + "FROM processed_updates WHERE done_at IS NULL GROUP BY chat_id");
            h.execute("INSERT INTO outbox (chat_id, body, created_at) SELECT n, "
                    + "'{\"reply\":{},\"follow\":{}}', now() FROM generate_series(1, 600) n");
            h.execute("INSERT INTO outbox_chats (chat_id, head_id, due_at) SELECT chat_id, min(id), "
                    + "now() - min(id) * interval '1 millisecond' FROM outbox GROUP BY chat_id");
            h.execute("ANALYZE");
        });
        assertBounded(TestDatabase.jdbi().inTransaction(h -> plan(h, PgProcessedUpdates.CLAIM)),
                "inbox claim, analysed, with history");
        assertBounded(TestDatabase.jdbi().inTransaction(h -> plan(h, PgPendingReplies.CLAIM, claimBinds())),
                "outbox claim, analysed");
    }
}
