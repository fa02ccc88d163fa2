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
 * @param longText     the chat's last text when it may be the first part of a longer one that Telegram sent as several
 *                     messages ({@link LongText}): the next part is taken with it. Kept for the next event only
 */
public record ChatSession(long version, ChatState state, Optional<ChatState.Confirming> waitingOrder,
                          Optional<LongText> longText) {
    public ChatSession {
        Objects.requireNonNull(state, "state: e.g. new ChatState.Menu()");
        Objects.requireNonNull(waitingOrder, "waitingOrder: Optional.empty() for none");
        Objects.requireNonNull(longText, "longText: Optional.empty() for none");
    }

    /** A session with no long text that may go on (the form before split texts were joined). */
    public ChatSession(long version, ChatState state, Optional<ChatState.Confirming> waitingOrder) {
        this(version, state, waitingOrder, Optional.empty());
    }

    /** A session with no order waiting for a top-up. */
    public ChatSession(long version, ChatState state) {
        this(version, state, Optional.empty());
    }

    public static ChatSession initial() {
        return new ChatSession(1, new ChatState.Menu());
    }

    public ChatSession next(ChatState s) {
        return new ChatSession(version + 1, s, waitingOrder, longText);
    }

    /** The same session with {@code order} waiting for a top-up (or none). */
    public ChatSession withWaitingOrder(Optional<ChatState.Confirming> order) {
        return new ChatSession(version, state, order, longText);
    }

    /** The same session with {@code text} as the long text that may go on (or none). */
    public ChatSession withLongText(Optional<LongText> text) {
        return new ChatSession(version, state, waitingOrder, text);
    }
}
