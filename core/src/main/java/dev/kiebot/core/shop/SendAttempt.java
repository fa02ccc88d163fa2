package dev.kiebot.core.shop;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** What one {@link ReplySender#sendNext()} did, and so when the sender should look again. */
public sealed interface SendAttempt {
    /** The one {@link Sent}: look again at once. */
    SendAttempt SENT = new Sent();

    /** Whether a reply was dealt with. */
    default boolean sent() {
        return this instanceof Sent;
    }

    /**
     * A due reply was dealt with: delivered, given up on after the messenger's own retries, or dropped with its
     * chat's queue (the user blocked the bot).
     */
    record Sent() implements SendAttempt {
    }

    /**
     * No chat was due at the instant the sender looked.
     *
     * @param untilNextDue how long until the next reply waiting for its turn falls due, measured from that same
     *                     instant (zero or less: it fell due meanwhile, look again at once); empty when none waits
     */
    record NothingDue(Optional<Duration> untilNextDue) implements SendAttempt {
        public NothingDue {
            Objects.requireNonNull(untilNextDue, "untilNextDue");
        }
    }
}
