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
     * @return empty for a chat never saved, and for a text the codec cannot read (the chat starts over)
     */
    public Optional<ChatSession> load(long chatId) {
        return store.load(chatId).flatMap(ChatStateCodec::decode);
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
