package dev.kiebot.postgres;

import static dev.kiebot.postgres.testing.LockWaits.awaitABackendWaitingForALock;
import static dev.kiebot.postgres.testing.LockWaits.awaitQuietly;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.pacing.TokenBucket;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox's own rows, where the stores' contract cannot look: a head must never name a reply that is gone
 * ({@code CLAIM} would then find nothing for every chat behind it, and the senders sleep on "nothing due"), nor
 * may a reply be left without a head (never sent); and the leases a bot on its own database ends at start.
 */
class PgPendingRepliesTest {
    /** Each task on a thread of its own: the common pool has one worker on two cores, and these tasks block. */
    private static final Executor ELSEWHERE = task -> new Thread(task, "elsewhere").start();

    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(10);

    private PgPendingReplies replies;

    @BeforeEach
    void emptyDatabase() {
        TestDatabase.truncateAll();
        replies = new PgPendingReplies(TestDatabase.jdbi(), Wakeups.ownDatabase());
    }

    private static Outgoing text(long chat, String text) {
        return Outgoing.plain(new Reply.SendText(chat, text, Keyboard.NONE));
    }

    private long heads(long chat) {
        return TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM outbox_chats "
                + "WHERE chat_id = :chat AND head_id IS NOT NULL").bind("chat", chat).mapTo(Long.class).one());
    }

    @Test
    void droppingAChatTakesItsRepliesAndItsHeadInOneStatement() {
        replies.append(List.of(text(1, "one"), text(1, "two"), text(2, "other")), T0);

        assertThat(replies.dropChat(1)).isEqualTo(2);
        assertThat(heads(1)).isZero();
        assertThat(heads(2)).isOne();
        assertThat(replies.dropChat(1)).isZero();
    }

    /**
     * A handler's append has moved the chat's head (its row is locked, the append not yet committed) when the sender
     * settles the chat's only other reply. Settled in one statement, the new head was computed from replies read
     * before the append committed: none, so the appended reply was left without a head and never sent. The settle's
     * function takes the chat's row first, in a statement of its own, and reads the replies in the next.
     */
    @Test
    void aReplyAppendedWhileItsChatIsSettledKeepsItsHead() throws Exception {
        replies.append(List.of(text(1, "sent")), T0);
        PendingReplies.Queued sent = replies.claim(T0, LEASE).orElseThrow();
        CountDownLatch appended = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        CompletableFuture<Void> handler = CompletableFuture.runAsync(() -> TestDatabase.jdbi().useTransaction(h -> {
            replies.append(List.of(text(1, "queued meanwhile")), T0);
            appended.countDown();
            awaitQuietly(commit);
        }), ELSEWHERE);
        try {
            assertThat(appended.await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Boolean> settle = CompletableFuture.supplyAsync(
                    () -> replies.done(sent, TokenBucket.full(3, T0), T0), ELSEWHERE);
            awaitABackendWaitingForALock();
            commit.countDown();
            assertThat(settle.get(30, TimeUnit.SECONDS)).as("the chat has more").isTrue();
        } finally {
            commit.countDown();
        }
        handler.get(30, TimeUnit.SECONDS);
        assertThat(replies.claim(T0, LEASE).map(q -> ((Reply.SendText) q.outgoing().reply()).text()))
                .contains("queued meanwhile");
    }

    /**
     * The settle is a function created by a migration: in a bot installed in a schema of its own (DATABASE_SCHEMA)
     * its name and its tables resolve in that schema, not in the default one, which here holds a chat of the same id.
     */
    @Test
    void aChatIsSettledInTheSchemaOfItsOwnInstall() {
        String own = "kiebot_settle_" + System.nanoTime() % 100_000;
        replies.append(List.of(text(1, "in the default schema")), T0);
        try (Database db = Database.connect(TestDatabase.settings().withPoolSize(2).withSchema(own))) {
            PgPendingReplies ownReplies = new PgPendingReplies(db.jdbi(), Wakeups.ownDatabase());
            ownReplies.append(List.of(text(1, "first"), text(1, "second")), T0);

            PendingReplies.Queued first = ownReplies.claim(T0, LEASE).orElseThrow();
            assertThat(ownReplies.done(first, TokenBucket.full(3, T0), T0)).as("the chat has more").isTrue();
            PendingReplies.Queued second = ownReplies.claim(T0, LEASE).orElseThrow();
            assertThat(((Reply.SendText) second.outgoing().reply()).text()).isEqualTo("second");
            assertThat(ownReplies.done(second, TokenBucket.full(3, T0), T0)).as("nothing left").isFalse();
            assertThat(ownReplies.claim(T0, LEASE)).isEmpty();
        } finally {
            TestDatabase.jdbi().useHandle(h -> h.execute("DROP SCHEMA IF EXISTS " + own + " CASCADE"));
        }
        assertThat(replies.claim(T0, LEASE).map(q -> ((Reply.SendText) q.outgoing().reply()).text()))
                .as("the default schema's chat untouched").contains("in the default schema");
    }

    /**
     * A claim and a settle that commit on their own do not wait for the disk; the setting that says so lives only as
     * long as their own transaction: the pooled connection goes back waiting for the disk, as the handling
     * transaction that may take it next must. (The test server runs without fsync, so the session asks for
     * synchronous commits itself, as a durable server's sessions have them.)
     */
    @Test
    void aClaimAndASettleOnTheirOwnSkipTheDiskWaitOnlyForThemselves() {
        replies.append(List.of(text(1, "one"), text(1, "two")), T0);
        TestDatabase.jdbi().useHandle(h -> {
            assertThat(TestDatabase.jdbi().<Boolean, RuntimeException>withHandle(inner -> inner == h))
                    .as("the store's statements run on this connection").isTrue();
            h.execute("SET synchronous_commit = on");

            PendingReplies.Queued first = replies.claim(T0, LEASE).orElseThrow();
            assertThat(synchronousCommit(h)).as("after the claim").isEqualTo("on");
            assertThat(replies.done(first, TokenBucket.full(3, T0), T0)).isTrue();
            assertThat(synchronousCommit(h)).as("after the settle").isEqualTo("on");
            h.execute("RESET synchronous_commit");
        });
        // what a statement on its own sends, run in a transaction here, where its setting can be read afterwards
        String setting = TestDatabase.jdbi().inTransaction(h -> {
            h.execute("SET LOCAL synchronous_commit = on");
            h.createQuery(PgPendingReplies.claim(PgPendingReplies.SERVER_EPOCH,
                            ", " + PgPendingReplies.NO_WAIT_FOR_DISK))
                    .bind("now", Sql.ts(T0)).bind("until", Sql.ts(T0.plus(LEASE))).mapToMap().one();
            return synchronousCommit(h);
        });
        assertThat(setting).as("the claim's own transaction").isEqualTo("off");
    }

    /**
     * A settle the server lost in a crash (it committed without waiting for the disk) is done again at the first claim
     * after it: the chat is free for its next reply at once, rather than leased for ten more minutes, and the reply
     * that went is not sent again. The crash is played here: the settle's rows put back as they were, and the
     * server's epoch moved as a crash recovery moves it ({@code EmbeddedDatabaseTest} shows that a real one does).
     */
    @Test
    void aSettleTheServerLostInACrashIsDoneAgainAtTheNextClaim() {
        Assumptions.assumeTrue(TestDatabase.superuser(), "moving the epoch takes pg_stat_reset_shared");
        replies.append(List.of(text(1, "one"), text(1, "two")), T0);
        PendingReplies.Queued one = replies.claim(T0, LEASE).orElseThrow();
        List<String> before = rows(one);
        assertThat(replies.done(one, TokenBucket.full(3, T0), T0)).as("the chat has more").isTrue();

        crashLosing(before);
        long leased = TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM outbox_chats "
                + "WHERE chat_id = 1 AND leased_until IS NOT NULL").mapTo(Long.class).one());
        assertThat(leased).as("the chat leased again, as the crash left it").isOne();
        assertThat(replies.claim(T0.plusSeconds(1), LEASE)).map(PgPendingRepliesTest::textOf).hasValue("two");
        assertThat(replies.settlesRedone()).isOne();
    }

    /**
     * A claim the crash took back with its settle leaves nothing for the settle to do again: the reply is claimed,
     * and sent, again (at least once, as the outbox promises), and the chat is not held meanwhile.
     */
    @Test
    void aClaimLostWithItsSettleHasItsReplySentAgain() {
        Assumptions.assumeTrue(TestDatabase.superuser(), "moving the epoch takes pg_stat_reset_shared");
        replies.append(List.of(text(1, "one"), text(1, "two")), T0);
        List<String> beforeClaim = TestDatabase.jdbi().withHandle(h -> List.of(
                h.createQuery("SELECT row_to_json(o)::text FROM outbox o WHERE chat_id = 1 ORDER BY id LIMIT 1")
                        .mapTo(String.class).one(),
                h.createQuery("SELECT row_to_json(c)::text FROM outbox_chats c WHERE chat_id = 1")
                        .mapTo(String.class).one()));
        PendingReplies.Queued one = replies.claim(T0, LEASE).orElseThrow();
        replies.done(one, TokenBucket.full(3, T0), T0);

        crashLosing(beforeClaim);
        assertThat(replies.claim(T0.plusSeconds(1), LEASE)).map(PgPendingRepliesTest::textOf).hasValue("one");
        assertThat(replies.settlesRedone()).as("nothing to do again: the lease it named is gone").isZero();
    }

    /** The claim a server without the epoch's function gets: it claims as the other does, its epoch NULL. */
    @Test
    void theClaimWithoutTheServersEpochStillClaims() {
        replies.append(List.of(text(1, "one")), T0);
        java.util.Map<String, Object> row = TestDatabase.jdbi().withHandle(h -> h.createQuery(
                        PgPendingReplies.claim(PgPendingReplies.NO_EPOCH, ""))
                .bind("now", Sql.ts(T0)).bind("until", Sql.ts(T0.plus(LEASE))).mapToMap().one());
        assertThat(row.get("server_epoch")).isNull();
        assertThat(row.get("head_id")).isNotNull();
        boolean hasEpoch = TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT to_regprocedure(:f) IS NOT NULL")
                .bind("f", PgPendingReplies.SERVER_EPOCH).mapTo(Boolean.class).one());
        assertThat(hasEpoch).as("the check the store makes, on this server").isTrue();
    }

    private static String textOf(PendingReplies.Queued q) {
        return ((Reply.SendText) q.outgoing().reply()).text();
    }

    /** The sent reply's row and its chat's row as they are now, as JSON. */
    private static List<String> rows(PendingReplies.Queued q) {
        return TestDatabase.jdbi().withHandle(h -> List.of(
                h.createQuery("SELECT row_to_json(o)::text FROM outbox o WHERE id = :id").bind("id", q.id())
                        .mapTo(String.class).one(),
                h.createQuery("SELECT row_to_json(c)::text FROM outbox_chats c WHERE chat_id = :chat")
                        .bind("chat", q.chatId()).mapTo(String.class).one()));
    }

    /** What a crash of the server does to what it had not written: these rows back as they were, a new epoch. */
    private static void crashLosing(List<String> rows) {
        TestDatabase.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM outbox_chats c USING json_populate_record(NULL::outbox_chats, "
                    + "CAST(:row AS json)) r WHERE c.chat_id = r.chat_id").bind("row", rows.get(1)).execute();
            h.createUpdate("INSERT INTO outbox OVERRIDING SYSTEM VALUE "
                    + "SELECT * FROM json_populate_record(NULL::outbox, CAST(:row AS json)) ON CONFLICT DO NOTHING")
                    .bind("row", rows.get(0)).execute();
            h.createUpdate("INSERT INTO outbox_chats SELECT * FROM json_populate_record(NULL::outbox_chats, "
                    + "CAST(:row AS json))").bind("row", rows.get(1)).execute();
            h.execute("SELECT pg_stat_reset_shared('bgwriter')");
        });
    }

    /**
     * A settle inside a caller's transaction (one that records a blocked user or a message's id with it) leaves that
     * transaction's commit waiting for the disk, as it would without the settle.
     */
    @Test
    void aSettleInsideACallersTransactionLeavesItsCommitWaitingForTheDisk() {
        replies.append(List.of(text(1, "one"), text(1, "two")), T0);
        PgTransactions transactions = new PgTransactions(TestDatabase.jdbi());
        String setting = transactions.inOne(() -> TestDatabase.jdbi().withHandle(h -> {
            h.execute("SET LOCAL synchronous_commit = on");
            PendingReplies.Queued first = replies.claim(T0, LEASE).orElseThrow();
            replies.done(first, TokenBucket.full(3, T0), T0);
            return synchronousCommit(h);
        }));
        assertThat(setting).isEqualTo("on");
    }

    private static String synchronousCommit(Handle h) {
        return h.createQuery("SHOW synchronous_commit").mapTo(String.class).one();
    }
}
