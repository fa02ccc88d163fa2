package dev.kiebot.core.conversation;

import java.util.Objects;
import java.util.Optional;

/**
 * A chat's persisted conversation state. {@code version} grows every time new buttons are
 * shown; callback data carries it, so a press on an older message is recognised as stale.
 *
 * @param waitingOrder an order the user could not pay and went to top up for: kept whatever the chat does meanwhile,
 *                     so the message that says the money arrived can offer it again (its price asked anew) instead
 *                     of the prompt, the photos and every option being given once more; dropped when an order is
 *                     placed or resumed, and by /cancel
 */
public record ChatSession(long version, ChatState state, Optional<ChatState.Confirming> waitingOrder) {
    public ChatSession {
        Objects.requireNonNull(state, "state: e.g. new ChatState.Menu()");
        Objects.requireNonNull(waitingOrder, "waitingOrder: Optional.empty() for none");
    }

    /** A session with no order waiting for a top-up. */
    public ChatSession(long version, ChatState state) {
        this(version, state, Optional.empty());
    }

    public static ChatSession initial() {
        return new ChatSession(1, new ChatState.Menu());
    }

    public ChatSession next(ChatState s) {
        return new ChatSession(version + 1, s, waitingOrder);
    }

    /** The same session with {@code order} waiting for a top-up (or none). */
    public ChatSession withWaitingOrder(Optional<ChatState.Confirming> order) {
        return new ChatSession(version, state, order);
    }
}
