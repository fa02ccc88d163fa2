package dev.kiebot.core.shop;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@link ReplySender#sendNext()} did, and so when the sender should look again. For a runner with sender
 * threads of its own (see {@link ReplySender}); a shop started with {@link ShopWork} never sees it.
 */
public sealed interface SendAttempt {
    /**
     * Whether a reply was dealt with.
     *
     * @return true for {@link Sent}: look again at once
     */
    default boolean sent() {
        return this instanceof Sent;
    }

    /**
     * A due reply was dealt with: delivered, given up on after the messenger's own retries, or dropped with its
     * chat's queue (the user blocked the bot). Look again at once.
     *
     * @param chatHasMore its chat has more replies queued, due at the chat's next turn, which only this sender
     *                    knows of: a sender resting since before it should look again, or the chat waits while
     *                    this one is busy with another chat's long send
     */
    record Sent(boolean chatHasMore) implements SendAttempt {
    }

    /**
     * No chat was due at the instant the sender looked.
     *
     * @param untilNextDue how long until the next reply waiting for its turn falls due, measured from that same
     *                     instant (zero or less: it fell due meanwhile, look again at once); empty when none waits
     */
    record NothingDue(Optional<Duration> untilNextDue) implements SendAttempt {
        /**
         * Checks the value.
         *
         * @param untilNextDue as the record's description says
         * @throws NullPointerException for a null {@code untilNextDue} ({@code Optional.empty()} for none)
         */
        public NothingDue {
            Objects.requireNonNull(untilNextDue, "untilNextDue");
        }
    }
}
