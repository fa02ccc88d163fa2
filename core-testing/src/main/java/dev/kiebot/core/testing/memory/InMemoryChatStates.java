package dev.kiebot.core.testing.memory;

import dev.kiebot.core.conversation.ChatStates;
import dev.kiebot.core.shop.KeptInMemory;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps each chat's text as it is, like the database, so core's codec is exercised in core tests too. */
public final class InMemoryChatStates implements ChatStates, KeptInMemory {
    private final Map<Long, String> states = new ConcurrentHashMap<>();

    /** An empty store: every chat at its first state. */
    public InMemoryChatStates() {
    }

    @Override
    public Optional<String> load(long chatId) {
        return Optional.ofNullable(states.get(chatId));
    }

    @Override
    public void save(long chatId, String state) {
        states.put(chatId, state);
    }

    /** {@code PersonalData.forget}'s part here: the chat's state. */
    void forget(long chatId) {
        states.remove(chatId);
    }
}
