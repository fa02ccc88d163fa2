package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.pacing.TokenBucket;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.postgres.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A deploy's two builds on one outbox: the new build queues a reply of a kind the old build does not know, and the
 * old build's claim meets it. The old build's store stands in here with the body rewritten to a kind no build knows
 * while it claims, and put back for the build that reads it. The claim must give that chat back soon (not hold it
 * for its 10-minute lease, nor throw, which backed the sender off as if the database were down) and go on to the next
 * due chat; the unreadable chat's replies wait, in order, for the build that reads them.
 */
class OutboxAcrossBuildsTest {
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(10);

    private PgPendingReplies oldBuild;
    private PgPendingReplies readingBuild;

    @BeforeEach
    void emptyDatabase() {
        TestDatabase.truncateAll();
        oldBuild = new PgPendingReplies(TestDatabase.jdbi());
        readingBuild = new PgPendingReplies(TestDatabase.jdbi());
    }

    private static Outgoing text(long chat, String text) {
        return Outgoing.plain(new Reply.SendText(chat, text, Keyboard.NONE));
    }

    /** As a newer build writes a reply kind this one does not know; {@link #readable} puts it back. */
    private static void unknownKind(long chat) {
        TestDatabase.jdbi().useHandle(h -> h.createUpdate("UPDATE outbox SET body = jsonb_set(body, '{reply,type}', "
                + "'\"FutureKind\"') WHERE id = (SELECT min(id) FROM outbox WHERE chat_id = :chat)")
                .bind("chat", chat).execute());
    }

    /** The build that reads the kind, stood in for: the body back to a kind this code reads. */
    private static void readable(long chat) {
        TestDatabase.jdbi().useHandle(h -> h.createUpdate("UPDATE outbox SET body = jsonb_set(body, '{reply,type}', "
                + "'\"SendText\"') WHERE chat_id = :chat").bind("chat", chat).execute());
    }

    private static Instant dueAt(long chat) {
        return TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT due_at FROM outbox_chats WHERE chat_id = :chat")
                .bind("chat", chat).mapTo(Instant.class).one());
    }

    private static boolean leased(long chat) {
        return TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT leased_until IS NOT NULL FROM outbox_chats "
                + "WHERE chat_id = :chat").bind("chat", chat).mapTo(Boolean.class).one());
    }

    private static String textOf(PendingReplies.Queued queued) {
        return ((Reply.SendText) queued.outgoing().reply()).text();
    }

    @Test
    void theOldBuildPassesOverAReplyItCannotReadAndTheReadingBuildSendsItInOrderSoon() {
        readingBuild.append(List.of(text(7, "the new kind"), text(7, "after it"), text(8, "readable")), T0);
        unknownKind(7);

        // chat 7's head is the oldest, so claimed first: passed over, and chat 8's reply claimed by the same call
        PendingReplies.Queued claimed = oldBuild.claim(T0, LEASE).orElseThrow();
        assertThat(claimed.chatId()).isEqualTo(8);
        assertThat(textOf(claimed)).isEqualTo("readable");
        assertThat(leased(7)).as("chat 7 given back, not held for the lease").isFalse();
        assertThat(dueAt(7)).isEqualTo(T0.plus(PgPendingReplies.UNREADABLE_RETRY))
                .isBefore(T0.plus(LEASE));
        assertThat(oldBuild.claim(T0.plusSeconds(1), LEASE)).as("nothing else due: no loop over chat 7").isEmpty();
        assertThat(oldBuild.nextDueAfter(T0.plusSeconds(1))).contains(T0.plus(PgPendingReplies.UNREADABLE_RETRY));

        readable(7);
        Instant passed = T0.plus(PgPendingReplies.UNREADABLE_RETRY);
        PendingReplies.Queued first = readingBuild.claim(passed, LEASE).orElseThrow();
        assertThat(first.chatId()).isEqualTo(7);
        assertThat(textOf(first)).isEqualTo("the new kind");
        assertThat(readingBuild.done(first, TokenBucket.full(3, passed), passed)).as("chat 7 has more").isTrue();
        PendingReplies.Queued second = readingBuild.claim(passed, LEASE).orElseThrow();
        assertThat(textOf(second)).isEqualTo("after it");
        assertThat(readingBuild.done(second, TokenBucket.full(3, passed), passed)).isFalse();
        assertThat(oldBuild.done(claimed, TokenBucket.full(3, T0), T0)).isFalse();
        assertThat(readingBuild.claim(passed.plus(LEASE), LEASE)).as("nothing lost, nothing twice").isEmpty();
    }

    @Test
    void everyUnreadableHeadIsPassedOverInOneClaimAndTheOldBuildRetakesOneOnlyWhenItIsDueAgain() {
        readingBuild.append(List.of(text(7, "new kind"), text(9, "new kind too"), text(8, "readable")), T0);
        unknownKind(7);
        unknownKind(9);

        assertThat(oldBuild.claim(T0, LEASE).orElseThrow().chatId()).isEqualTo(8);
        assertThat(oldBuild.claim(T0, LEASE)).isEmpty();

        Instant again = T0.plus(PgPendingReplies.UNREADABLE_RETRY);
        assertThat(oldBuild.claim(again, LEASE)).as("retaken, failing again: a log line, not a stall").isEmpty();
        assertThat(leased(7)).isFalse();
        assertThat(dueAt(7)).isEqualTo(again.plus(PgPendingReplies.UNREADABLE_RETRY));
        assertThat(dueAt(9)).isEqualTo(again.plus(PgPendingReplies.UNREADABLE_RETRY));
    }

    @Test
    void onePassingOverIsWarnedWithTheChatMaskedAndTheKindNeverTheBodyAndNotAgainWithinAMinute() {
        long chat = 123_456_789L;
        try (LoggedLines lines = LoggedLines.of(PgPendingReplies.class)) {
            readingBuild.append(List.of(text(chat, "a private prompt")), T0);
            unknownKind(chat);
            assertThat(oldBuild.claim(T0, LEASE)).isEmpty();
            Instant again = T0.plus(PgPendingReplies.UNREADABLE_RETRY);
            assertThat(oldBuild.claim(again, LEASE)).isEmpty();

            assertThat(lines.levelsOf("chat ")).containsExactly(Level.WARN);
            String warned = lines.messages().get(0);
            assertThat(warned).contains("***6789").contains("unknown reply type \"FutureKind\"", "a newer build's kind")
                    .doesNotContain("123456789").doesNotContain("a private prompt");

            assertThat(oldBuild.claim(T0.plus(PgPendingReplies.UNREADABLE_WARN_EVERY), LEASE)).isEmpty();
            assertThat(lines.levelsOf("chat ")).hasSize(2);
            assertThat(lines.messages().get(1)).contains("2 such reply(s) passed over since the last warning");
        }
    }

    /**
     * A user blocks the bot while the old build sends to him, and a result the new build queued for him (a media kind
     * the old build does not know) waits behind the refused reply. The old build's block drops what it reads and
     * leaves the result, in order, for the build that reads it, which notes it as not sent when it meets the block
     * (a dropped result read is what his return lists and «📤 Получить» sends): the block's transaction no longer
     * throws (which rolled it back, the user not marked and the chat leased for 10 minutes), the chat is given back
     * soon, and no body is logged.
     */
    @Test
    void theOldBuildsBlockDropsWhatItReadsAndLeavesAResultItCannotReadForTheBuildThatReadsIt() {
        long chat = 123_456_789L;
        Outgoing result = new Outgoing(new Reply.SendMedia(chat, MediaKind.PHOTO, "https://files.example/fox.png",
                "a private caption", Keyboard.NONE, Optional.empty()),
                new Outgoing.Follow.JobResult(new JobId(42), new Reply.SendText(chat, "the link", Keyboard.NONE)));
        readingBuild.append(List.of(text(chat, "refused"), result, text(chat, "after it"), text(8, "readable")), T0);
        TestDatabase.jdbi().useHandle(h -> h.createUpdate("UPDATE outbox SET body = jsonb_set(body, '{reply,kind}', "
                + "'\"HOLOGRAM\"') WHERE chat_id = :chat AND body @> '{\"reply\": {\"type\": \"SendMedia\"}}'")
                .bind("chat", chat).execute());
        PendingReplies.Queued refused = oldBuild.claim(T0, LEASE).orElseThrow();
        assertThat(textOf(refused)).isEqualTo("refused");

        try (LoggedLines lines = LoggedLines.of(PgPendingReplies.class)) {
            // as ReplySender.blocked does it: in the transaction that marks the user blocked
            List<Outgoing> dropped = new PgTransactions(TestDatabase.jdbi()).inOne(() -> oldBuild.dropQueue(chat));

            assertThat(dropped).extracting(o -> ((Reply.SendText) o.reply()).text())
                    .containsExactly("refused", "after it");
            assertThat(lines.levelsOf("chat ")).containsExactly(Level.WARN);
            assertThat(lines.messages().get(0)).contains("***6789", "1 of its waiting replies",
                    "unknown media kind HOLOGRAM").doesNotContain("123456789", "fox.png", "a private caption");
        }
        assertThat(oldBuild.done(refused, TokenBucket.full(3, T0), T0)).as("the result is left").isTrue();
        assertThat(leased(chat)).isFalse();
        PendingReplies.Queued other = oldBuild.claim(T0, LEASE).orElseThrow();
        assertThat(other.chatId()).as("the chat passed over, as any unreadable head").isEqualTo(8);
        assertThat(dueAt(chat)).isEqualTo(T0.plus(PgPendingReplies.UNREADABLE_RETRY));

        TestDatabase.jdbi().useHandle(h -> h.createUpdate("UPDATE outbox SET body = jsonb_set(body, '{reply,kind}', "
                + "'\"PHOTO\"') WHERE chat_id = :chat").bind("chat", chat).execute());
        Instant passed = T0.plus(PgPendingReplies.UNREADABLE_RETRY);
        PendingReplies.Queued left = readingBuild.claim(passed, LEASE).orElseThrow();
        assertThat(left.outgoing()).isEqualTo(result);
        assertThat(readingBuild.dropQueue(chat)).as("the reading build's block drops it, read")
                .containsExactly(result);
        assertThat(readingBuild.done(left, TokenBucket.full(3, passed), passed)).isFalse();
        assertThat(oldBuild.done(other, TokenBucket.full(3, T0), T0)).isFalse();
        assertThat(readingBuild.claim(passed.plus(LEASE), LEASE)).as("nothing lost, nothing twice").isEmpty();
    }

    /** A body no build reads: the text field lost (corrupt), its kind a known one. */
    private static void corrupt(long chat) {
        TestDatabase.jdbi().useHandle(h -> h.createUpdate("UPDATE outbox SET body = body #- '{reply,text}' "
                + "WHERE id = (SELECT min(id) FROM outbox WHERE chat_id = :chat)").bind("chat", chat).execute());
    }

    private static int deadLetters(String where) {
        return TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM outbox_dead_letters WHERE "
                + where).mapTo(Integer.class).one());
    }

    /**
     * A corrupt head (a known kind, a field lost) is passed over as a newer build's is, so that it holds no other
     * chat; its warning says it is a corrupt body, which no deploy cures, not a newer build's reply "during a
     * deploy?", which sent the operator to wait for a deploy that was not coming.
     */
    @Test
    void aCorruptHeadIsPassedOverAndWarnedAsACorruptBodyNotAsANewerBuilds() {
        long chat = 123_456_789L;
        readingBuild.append(List.of(text(chat, "a private prompt"), text(chat, "after it"), text(8, "readable")), T0);
        corrupt(chat);
        try (LoggedLines lines = LoggedLines.of(PgPendingReplies.class)) {
            assertThat(oldBuild.claim(T0, LEASE).orElseThrow().chatId()).as("passed over").isEqualTo(8);
            assertThat(leased(chat)).isFalse();
            assertThat(lines.levelsOf("chat ")).containsExactly(Level.WARN);
            assertThat(lines.messages().get(0)).contains("***6789", "an unreadable body, corrupt")
                    .doesNotContain("newer build", "123456789", "a private prompt");
        }
    }

    /**
     * A reply no build here reads, still at its chat's head a day after it was queued (corrupt, or a newer build's
     * kind after that deploy was rolled back), is moved to outbox_dead_letters with one ERROR naming the chat masked,
     * the reply's id and its kind, and the chat goes on with its next replies, in order, in the same claim. Before,
     * it was given back every 10 s for ever and every later reply to that user (a result, «payment received») never
     * went, with a WARN a minute only.
     */
    @Test
    void aReplyUnreadableForADayIsMovedToTheDeadLettersAndTheChatsNextReplyIsClaimedInOrder() {
        long chat = 123_456_789L;
        readingBuild.append(List.of(text(chat, "a private prompt"), text(chat, "second"), text(chat, "third")), T0);
        corrupt(chat);
        long head = TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT min(id) FROM outbox WHERE chat_id = :c")
                .bind("c", chat).mapTo(Long.class).one());
        Instant almost = T0.plus(PgPendingReplies.UNREADABLE_MAX).minusSeconds(1);
        assertThat(oldBuild.claim(almost, LEASE)).as("passed over within the day").isEmpty();
        assertThat(deadLetters("true")).isZero();

        Instant day = almost.plus(PgPendingReplies.UNREADABLE_RETRY); // its next turn, past the day
        try (LoggedLines lines = LoggedLines.of(PgPendingReplies.class)) {
            PendingReplies.Queued next = oldBuild.claim(day, LEASE).orElseThrow();
            assertThat(textOf(next)).as("the chat's next reply, in the same claim").isEqualTo("second");
            assertThat(lines.levelsOf("chat ")).containsExactly(Level.ERROR);
            assertThat(lines.messages().get(0)).contains("***6789", "reply " + head, "an unreadable body, corrupt",
                    "outbox_dead_letters").doesNotContain("123456789", "a private prompt");
            assertThat(oldBuild.done(next, TokenBucket.full(3, day), day)).isTrue();
        }
        assertThat(deadLetters("id = " + head + " AND chat_id = " + chat + " AND kind LIKE 'unreadable: %' "
                + "AND queued_at = '" + T0 + "' AND body -> 'reply' IS NOT NULL")).as("kept whole, to be read").isOne();
        assertThat(oldBuild.deadLettered()).isOne();
        PendingReplies.Queued third = oldBuild.claim(day, LEASE).orElseThrow();
        assertThat(textOf(third)).isEqualTo("third");
        assertThat(oldBuild.done(third, TokenBucket.full(3, day), day)).isFalse();
        assertThat(oldBuild.claim(day.plus(LEASE), LEASE)).as("nothing lost, nothing twice").isEmpty();
        assertThat(oldBuild.oldestWaiting()).isEmpty();

        readingBuild.append(List.of(text(7, "new kind")), day);
        unknownKind(7);
        Instant later = day.plus(PgPendingReplies.UNREADABLE_MAX);
        assertThat(oldBuild.claim(later, LEASE)).as("a newer build's kind, still unread a day later").isEmpty();
        assertThat(deadLetters("chat_id = 7 AND kind = 'unknown reply type \"FutureKind\"'")).isOne();
        assertThat(oldBuild.oldestWaiting()).as("its chat has nothing left").isEmpty();
        assertThat(oldBuild.deadLettered()).isEqualTo(2);
    }

    /**
     * A guard (it passes before the change too): the body is read after the claim's statement, and a readable one
     * costs no statement more, so the burst path is as it was (BENCHMARKS.md, issue 13's figures).
     */
    @Test
    void aReadableClaimIsStillOneStatement() throws Exception {
        readingBuild.append(List.of(text(7, "one"), text(8, "two")), T0);
        AtomicInteger statements = new AtomicInteger();
        try (Connection c = TestDatabase.get().openDedicatedConnection("one-claim")) {
            Jdbi one = Jdbi.create(c).installPlugin(new PostgresPlugin());
            one.getConfig(SqlStatements.class).addCustomizer(new StatementCustomizer() {
                @Override
                public void afterExecution(PreparedStatement st, StatementContext ctx) {
                    statements.incrementAndGet();
                }
            });
            PgPendingReplies counted = new PgPendingReplies(one);
            assertThat(counted.claim(T0, LEASE)).isPresent(); // the first also asks which claim this server takes
            statements.set(0);
            assertThat(counted.claim(T0, LEASE)).isPresent();
            assertThat(statements).hasValue(1);
        }
    }
}
