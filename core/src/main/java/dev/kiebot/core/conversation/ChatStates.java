package dev.kiebot.core.conversation;

import java.util.Optional;

/** Persistence of chat sessions (port); stores the {@link ChatStateCodec} text. */
public interface ChatStates {
    /**
     * The chat's session as last saved; empty for a chat never saved (the shop starts it afresh).
     *
     * @param chatId the chat
     * @return the session as {@link ChatStateCodec#decode} reads the stored text; empty also for a text it cannot read
     */
    Optional<ChatSession> load(long chatId);

    /**
     * Replaces the chat's session, inside the update's transaction. Last write wins: the shop serves one chat's
     * updates one at a time ({@code ProcessedUpdates}), so no compare-and-set is needed.
     *
     * @param chatId  the chat
     * @param session the session to keep, stored as {@link ChatStateCodec#encode} writes it
     */
    void save(long chatId, ChatSession session);
}
