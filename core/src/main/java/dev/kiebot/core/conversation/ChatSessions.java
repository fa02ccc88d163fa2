package dev.kiebot.core.conversation;

import java.util.Objects;
import java.util.Optional;

/**
 * The chats' sessions in a {@link ChatStates} store, written and read as {@link ChatStateCodec}'s text: the one place
 * core turns a session into the text a store keeps, so a store never names a session.
 *
 * @param store the store of the texts
 */
public record ChatSessions(ChatStates store) {
    private static final System.Logger LOG = System.getLogger(ChatSessions.class.getName());

    /**
     * Sessions kept in the store.
     *
     * @param store required
     */
    public ChatSessions {
        Objects.requireNonNull(store, "store");
    }

    /**
     * The chat's session as last saved.
     *
     * @param chatId the chat
     * @return empty for a chat never saved, and for a text the codec cannot read (the chat starts over, logged at
     *         WARNING: a store that changes the texts it keeps sends every chat back to the menu, unseen otherwise)
     */
    public Optional<ChatSession> load(long chatId) {
        return store.load(chatId).flatMap(text -> {
            Optional<ChatSession> session = ChatStateCodec.decode(text);
            if (session.isEmpty()) {
                // the text may quote what the user typed: its length only
                LOG.log(System.Logger.Level.WARNING, "chat " + Actor.mask(chatId) + ": its stored state cannot be "
                        + "read (" + text.length() + " characters); it starts over at the menu");
            }
            return session;
        });
    }

    /**
     * Replaces the chat's session.
     *
     * @param chatId  the chat
     * @param session the session to keep
     */
    public void save(long chatId, ChatSession session) {
        store.save(chatId, ChatStateCodec.encode(session));
    }
}
