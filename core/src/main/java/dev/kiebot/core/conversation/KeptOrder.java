package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.Model;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An order being made, kept in the session ({@link ChatSession#waitingOrder()}) while the user looks at something else
 * (a top-up, the balance, the help, the menu, a model's card): «↩️ Вернуться к генерации» brings it back where it was.
 * The session keeps a confirmation's order as it is; an order still at a question is kept the same way, the field
 * asked under {@link #ASKED}, a key no field of a model has, so the session's form (and a partner's store of it) stays
 * as it was.
 */
final class KeptOrder {
    /** The index of the field that was asked, in a kept order that had not reached its confirmation. */
    static final String ASKED = "~asked";

    private KeptOrder() {
    }

    /** The order {@code state} is making, in the form kept; empty when it makes none. */
    static Optional<ChatState.Confirming> of(ChatState state) {
        if (state instanceof ChatState.Confirming c) {
            return Optional.of(c);
        }
        if (state instanceof ChatState.Collecting c) {
            Map<String, String> values = new HashMap<>(c.values());
            values.put(ASKED, Integer.toString(c.field()));
            return Optional.of(new ChatState.Confirming(c.modelId(), values, c.files()));
        }
        return Optional.empty();
    }

    /**
     * Where a kept order goes on: its question, or its confirmation. A question the model no longer has (the catalog
     * changed meanwhile) is its first one: never a confirmation of inputs not all given.
     */
    static ChatState resumed(ChatState.Confirming kept, Model m) {
        if (!kept.values().containsKey(ASKED)) {
            return kept;
        }
        Map<String, String> values = new HashMap<>(kept.values());
        String asked = values.remove(ASKED);
        int field = asked.matches("\\d{1,3}") ? Integer.parseInt(asked) : 0;
        return new ChatState.Collecting(kept.modelId(), field < m.askedFields().size() ? field : 0, values,
                kept.files());
    }
}
