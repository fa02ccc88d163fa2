package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox's own rows, where the stores' contract cannot look: a head must never name a reply that is gone
 * ({@code NEXT} would then find nothing for every chat behind it, and the senders sleep on "nothing due").
 */
class PgPendingRepliesTest {
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
    void droppingAChatTakesItsRepliesAndItsHeadInOneStatement() {
        replies.append(List.of(text(1, "one"), text(1, "two"), text(2, "other")), T0);

        assertThat(replies.dropChat(1)).isEqualTo(2);
        assertThat(heads(1)).isZero();
        assertThat(heads(2)).isOne();
        assertThat(replies.dropChat(1)).isZero();
    }
}
