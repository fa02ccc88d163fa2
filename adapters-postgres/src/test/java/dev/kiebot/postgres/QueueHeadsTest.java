package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The queues' own rows, where the stores' contract cannot look: one chat's broken head (a head naming a row that
 * is gone; no statement leaves one, but if one ever did) must never stop every other chat — a handler or sender
 * takes "nothing found" as "nothing to do" and sleeps.
 */
class QueueHeadsTest {
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

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
    void aChatWhoseHeadNamesNoReplyDoesNotHideTheChatsBehindIt() {
        replies.append(List.of(text(2, "for chat 2")), T0);
        // a head naming a reply that is gone, due before chat 2
        TestDatabase.jdbi().useHandle(h -> h.execute("INSERT INTO outbox_chats (chat_id, head_id, due_at) "
                + "VALUES (1, 999999999, ?)", java.sql.Timestamp.from(T0.minusSeconds(60))));

        Optional<PendingReplies.Queued> next = TestDatabase.jdbi().inTransaction(h -> replies.next(T0.plusSeconds(1)));
        assertThat(next).as("chat 2's reply, past chat 1's broken head").hasValueSatisfying(q ->
                assertThat(q.chatId()).isEqualTo(2));
    }

    @Test
    void aChatWhoseHeadNamesNoWaitingUpdateDoesNotHideTheChatsBehindIt() {
        PgProcessedUpdates inbox = new PgProcessedUpdates(TestDatabase.jdbi(), Wakeups.ownDatabase());
        assertThat(inbox.record(20, 2, "{\"update_id\":20}", T0)).isTrue();
        // heads before update 20: one names an update that is gone, one an update already handled
        TestDatabase.jdbi().useHandle(h -> {
            h.execute("INSERT INTO inbox_chats (chat_id, head_id) VALUES (1, 5)");
            h.execute("INSERT INTO processed_updates (update_id, chat_id, payload, recorded_at, done_at) "
                    + "VALUES (7, 3, '{}', now(), now())");
            h.execute("INSERT INTO inbox_chats (chat_id, head_id) VALUES (3, 7)");
        });

        Optional<dev.kiebot.core.intake.PendingUpdate> claimed = TestDatabase.jdbi().inTransaction(h -> inbox.claimNext());
        assertThat(claimed).as("chat 2's update, past the broken heads; the handled one is not handled again")
                .hasValueSatisfying(u -> assertThat(u.updateId()).isEqualTo(20));
    }

    @Test
    void droppingAChatTakesItsRepliesAndItsHeadInOneStatement() {
        replies.append(List.of(text(1, "one"), text(1, "two"), text(2, "other")), T0);

        assertThat(replies.dropChat(1)).isEqualTo(2);
        assertThat(heads(1)).isZero();
        assertThat(heads(2)).isOne();
        assertThat(replies.dropChat(1)).isZero();
    }
}
