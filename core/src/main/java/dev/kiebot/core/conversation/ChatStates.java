package dev.kiebot.core.conversation;

import java.util.Optional;

/** Persistence of chat sessions (port); stores the {@link ChatStateCodec} text. */
public interface ChatStates {
    Optional<ChatSession> load(long chatId);

    void save(long chatId, ChatSession session);
}
