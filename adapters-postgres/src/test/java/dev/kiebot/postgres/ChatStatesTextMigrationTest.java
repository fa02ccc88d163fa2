package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.ChatSession;
import dev.kiebot.core.conversation.ChatSessions;
import dev.kiebot.core.conversation.ChatState;
import dev.kiebot.core.conversation.ChatStateCodec;
import dev.kiebot.core.conversation.MoneyConfirmation;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The chats' sessions a build before the text port stored (with the session's version repeated in a column of its
 * own) read the same after the upgrade, which leaves that column nullable: the state text is kept as it was, and the
 * build before, still running beside the new one during a deploy, saves as it did.
 */
class ChatStatesTextMigrationTest {
    private static final String SCRIPT = "V31__chat_states_text_only.sql";
    private static final String SCHEMA = "kiebot_chat_text_" + System.nanoTime() % 100_000;

    @AfterEach
    void dropSchema() {
        TestDatabase.jdbi().useHandle(h -> h.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE"));
    }

    @Test
    void aSessionStoredBeforeTheUpgradeReadsTheSameAndAChatGoesOn() {
        DatabaseSettings settings = TestDatabase.settings().withPoolSize(2).withSchema(SCHEMA);
        ChatSession admin = new ChatSession(41, new ChatState.Menu()).withMoney(Optional.of(new MoneyConfirmation(
                true, 5_550_001, 25_000, 987_654_321, 1, Instant.ofEpochMilli(1_780_000_000_123L))));
        ChatSession ordering = new ChatSession(7, new ChatState.TopUp(), Optional.of(new ChatState.Confirming(
                "google/nano-banana-edit", Map.of("prompt", "кот & пёс=друзья;"), Map.of("image_urls", List.of("f1")))));
        // the schema as the build before left it, and its rows as its store wrote them: the codec's text, the
        // session's version beside it
        try (Database before = Database.connect(settings)) {
            before.jdbi().useHandle(h -> {
                TestDatabase.forgetMigrationsFrom(h, SCRIPT);
                h.execute("ALTER TABLE chat_states ADD COLUMN IF NOT EXISTS version bigint NOT NULL");
                String row = "INSERT INTO chat_states (chat_id, version, state) VALUES (?, ?, ?)";
                h.execute(row, 77L, admin.version(), ChatStateCodec.encode(admin));
                h.execute(row, 78L, ordering.version(), ChatStateCodec.encode(ordering));
            });
        }

        try (Database after = Database.connect(settings)) {
            ChatSessions sessions = new ChatSessions(new PgChatStates(after.jdbi()));
            assertThat(sessions.load(77)).contains(admin);
            assertThat(sessions.load(78)).contains(ordering);
            ChatSession next = ordering.next(new ChatState.Menu());
            sessions.save(78, next);
            sessions.save(79, ChatSession.initial());
            assertThat(sessions.load(78)).as("saved again after the upgrade").contains(next);
            assertThat(sessions.load(79)).as("a chat new since").contains(ChatSession.initial());
            ChatSession byTheBuildBefore = next.next(new ChatState.TopUp());
            after.jdbi().useHandle(h -> h.execute("INSERT INTO chat_states (chat_id, version, state) VALUES (?, ?, ?) "
                    + "ON CONFLICT (chat_id) DO UPDATE SET version = excluded.version, state = excluded.state",
                    78L, byTheBuildBefore.version(), ChatStateCodec.encode(byTheBuildBefore)));
            assertThat(sessions.load(78)).as("saved by the build before, still running during the deploy")
                    .contains(byTheBuildBefore);
        }
    }
}
