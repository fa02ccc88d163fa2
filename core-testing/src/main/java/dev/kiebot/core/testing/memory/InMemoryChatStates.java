package dev.kiebot.core.testing.memory;

import dev.kiebot.core.conversation.ChatSession;
import dev.kiebot.core.conversation.ChatStateCodec;
import dev.kiebot.core.conversation.ChatStates;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Stores the codec text, like the database, so encoding bugs show up in core tests too. */
public final class InMemoryChatStates implements ChatStates {
    private final Map<Long, String> states = new ConcurrentHashMap<>();

    /** An empty store: every chat at its first state. */
    public InMemoryChatStates() {
    }

    @Override
    public Optional<ChatSession> load(long chatId) {
        return Optional.ofNullable(states.get(chatId)).flatMap(ChatStateCodec::decode);
    }

    @Override
    public void save(long chatId, ChatSession session) {
        states.put(chatId, ChatStateCodec.encode(session));
    }
}
