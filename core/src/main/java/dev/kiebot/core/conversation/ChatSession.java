package dev.kiebot.core.conversation;

/**
 * A chat's persisted conversation state. {@code version} grows every time new buttons are
 * shown; callback data carries it, so a press on an older message is recognised as stale.
 */
public record ChatSession(long version, ChatState state) {
    public static ChatSession initial() {
        return new ChatSession(1, new ChatState.Menu());
    }

    public ChatSession next(ChatState s) {
        return new ChatSession(version + 1, s);
    }
}
