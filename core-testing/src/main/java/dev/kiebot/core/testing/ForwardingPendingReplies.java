package dev.kiebot.core.testing;

import dev.kiebot.core.reply.PendingReplies;

/**
 * Core's {@link dev.kiebot.core.reply.ForwardingPendingReplies}, made to be built as it is: a test wraps an outbox
 * with {@code new ForwardingPendingReplies(store)}, or with {@code new ForwardingPendingReplies(store) {...}} to
 * override the one call it makes fail or wait (a database lost at that moment), the rest staying the real store's.
 * Everything it does, and what to override with what (the {@code Deferral} and {@code origin} overloads), is core's
 * class's; a decorator outside tests extends that one.
 */
public class ForwardingPendingReplies extends dev.kiebot.core.reply.ForwardingPendingReplies {
    /**
     * Hands every call to {@code real}.
     *
     * @param real the outbox behind it (a shop's {@code stores.pendingReplies()}, say)
     * @throws NullPointerException when {@code real} is null
     */
    public ForwardingPendingReplies(PendingReplies real) {
        super(real);
    }
}
