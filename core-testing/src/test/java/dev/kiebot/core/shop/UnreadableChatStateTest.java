package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.ChatSessions;
import dev.kiebot.core.testing.memory.InMemoryChatStates;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * A stored chat text the codec cannot read (a store that changed it, a build's format gone) starts the chat over at
 * the menu, and says so at WARNING with the chat masked: it was silent, and a store mangling every chat's text sent
 * every user back to the menu with nothing in the log.
 */
class UnreadableChatStateTest {
    @Test
    void anUnreadableStoredTextStartsOverAndIsLoggedWithTheChatMasked() {
        InMemoryChatStates store = new InMemoryChatStates();
        store.save(5_550_123, "not a state; at all");
        ChatSessions sessions = new ChatSessions(store);

        List<String> lines = LoggedLines.of(ChatSessions.class, Level.WARNING,
                () -> assertThat(sessions.load(5_550_123)).isEmpty());

        assertThat(lines).singleElement().satisfies(l -> assertThat(l).startsWith("WARNING").contains("***0123")
                .contains("starts over").doesNotContain("5550123").doesNotContain("at all"));
        assertThat(LoggedLines.of(ChatSessions.class, Level.WARNING, () -> sessions.load(7))).as("never saved")
                .isEmpty();
    }
}
