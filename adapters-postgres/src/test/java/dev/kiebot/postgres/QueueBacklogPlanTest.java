package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiebot.core.pacing.TokenBucket;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.postgres.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The claims of the inbox and the outbox stay cheap at any backlog, whatever the table statistics say: with
 * 50,000 pending updates over 5,000 chats in tables PostgreSQL has never analysed, each claim's plan touches a
 * handful of rows (no join of the backlog with itself, no scan of it), and so does every statement of the outbox's
 * settle. Checked on the plans PostgreSQL actually ran (EXPLAIN ANALYZE; auto_explain for the statements inside the
 * settle's function), not on time.
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
                "now", OffsetDateTime.now()));
        assertBounded(done, "inbox done");
    }

    @Test
    void takingTheNextReplyTouchesAFewRowsOfAHugeNeverAnalysedOutbox() throws Exception {
        for (int sender = 1; sender <= 3; sender++) { // the chats leased already are passed over, not read
            JsonNode plan = TestDatabase.jdbi().inTransaction(h -> plan(h, PgPendingReplies.CLAIM, claimBinds()));
            assertBounded(plan, "outbox claim by sender " + sender);
        }
        PendingReplies.Queued claimed = TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT chat_id, "
                        + "head_id, leased_until FROM outbox_chats WHERE leased_until IS NOT NULL LIMIT 1")
                .map((rs, ctx) -> new PendingReplies.Queued(rs.getLong("head_id"), Outgoing.plain(
                        new Reply.SendText(rs.getLong("chat_id"), "sent", Keyboard.NONE)), Optional.empty(),
                        Sql.instant(rs, "leased_until")))
                .one());
        Assumptions.assumeTrue(TestDatabase.superuser(), "LOAD 'auto_explain' needs a superuser: the settle's "
                + "statements are checked on the embedded server");
        for (String mode : List.of("force_custom_plan", "force_generic_plan")) {
            List<JsonNode> inside = settlePlans(claimed, mode);
            assertThat(inside).as("the settle's statements, " + mode).hasSizeGreaterThanOrEqualTo(2)
                    .anySatisfy(p -> assertThat(p.get("Query Text").asText()).contains("FOR UPDATE"))
                    .anySatisfy(p -> assertThat(p.get("Query Text").asText()).contains("UPDATE outbox_chats"));
            for (JsonNode p : inside) {
                assertBounded(p.get("Plan"), "outbox settle, " + mode + ": " + p.get("Query Text").asText());
            }
        }
    }

    /**
     * The plans of the statements {@code done} ran inside {@code outbox_settle}, as run. EXPLAIN of the calling
     * {@code SELECT} shows one Result node and nothing of the function, so auto_explain hands each nested statement's
     * plan (with its actual rows) to the session as a notice. Rolled back, so that the same settle runs in each plan
     * mode: a sender's connection runs custom plans for the first five calls and then, as a rule, the cached generic
     * ones.
     */
    private static List<JsonNode> settlePlans(PendingReplies.Queued claimed, String planCacheMode) throws Exception {
        List<JsonNode> nested = new ArrayList<>();
        try (Connection c = TestDatabase.get().openDedicatedConnection("settle-plans")) {
            Jdbi one = Jdbi.create(c).installPlugin(new PostgresPlugin());
            one.getConfig(SqlStatements.class).addCustomizer(new StatementCustomizer() {
                @Override
                public void afterExecution(PreparedStatement st, StatementContext ctx) throws SQLException {
                    for (SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
                        nested.add(explained(w.getMessage()));
                    }
                }
            });
            one.useTransaction(h -> {
                h.execute("LOAD 'auto_explain'");
                h.execute("SET LOCAL auto_explain.log_min_duration = 0");
                h.execute("SET LOCAL auto_explain.log_analyze = on");
                h.execute("SET LOCAL auto_explain.log_nested_statements = on");
                h.execute("SET LOCAL auto_explain.log_format = json");
                h.execute("SET LOCAL auto_explain.log_level = notice");
                h.execute("SET LOCAL client_min_messages = notice");
                h.execute("SET LOCAL plan_cache_mode = " + planCacheMode);
                boolean more = new PgPendingReplies(one).done(claimed, TokenBucket.full(3, Instant.now()),
                        Instant.now());
                assertThat(more).as("settled by the lease's holder: the chat has more").isTrue();
                h.rollback();
            });
        }
        // the caller's own statement is one of them
        return nested.stream().filter(p -> !p.get("Query Text").asText().contains("outbox_settle(")).toList();
    }

    private static JsonNode explained(String notice) {
        try {
            return JSON.readTree(notice.substring(notice.indexOf('{')));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not a plan: " + notice, e);
        }
    }

    private static Object[] claimBinds() {
        OffsetDateTime now = OffsetDateTime.now();
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
