package dev.kiebot.core.conversation;

import java.util.Optional;

/**
 * Persistence of chat sessions (port): one text per chat, kept as it is. Core writes and reads the text
 * ({@code ChatStateCodec}); a store neither parses nor builds it, so core may change its form in any release.
 */
public interface ChatStates {
    /**
     * The chat's session text as last saved; empty for a chat never saved (the shop starts it afresh).
     *
     * @param chatId the chat
     * @return exactly the text last given to {@link #save} for this chat
     */
    Optional<String> load(long chatId);

    /**
     * Replaces the chat's session text, inside the update's transaction. Last write wins: the shop serves one chat's
     * updates one at a time ({@code ProcessedUpdates}), so no compare-and-set is needed.
     *
     * @param chatId the chat
     * @param state  one line of text, tens of kilobytes for a long prompt being collected, to keep as it is
     */
    void save(long chatId, String state);
}
