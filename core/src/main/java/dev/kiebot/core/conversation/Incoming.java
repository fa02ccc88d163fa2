package dev.kiebot.core.conversation;

import java.time.Instant;
import java.util.Optional;

/**
 * One Telegram update as the core sees it.
 *
 * @param receivedAt when it came in, when known: answers to button presses older than Telegram's window are skipped
 */
public record Incoming(long updateId, Actor actor, Event event, Optional<Instant> receivedAt) {

    public Incoming(long updateId, Actor actor, Event event) {
        this(updateId, actor, event, Optional.empty());
    }

    public Incoming receivedAt(Instant at) {
        return new Incoming(updateId, actor, event, Optional.of(at));
    }
}
