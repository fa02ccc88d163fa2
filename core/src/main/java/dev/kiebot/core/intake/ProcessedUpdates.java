package dev.kiebot.core.intake;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The durable update inbox (port): records each {@code update_id} once, hands updates to
 * handlers one chat at a time in arrival order (also across instances), and forgets them after
 * a retention period.
 */
public interface ProcessedUpdates {
    /**
     * Records an update. @return false when this {@code update_id} was recorded before
     * (a re-delivery); the caller then does nothing.
     */
    boolean record(long updateId, long chatId, String payload, Instant now);

    /**
     * Claims the oldest unhandled update whose chat has no earlier unhandled update and no live
     * claim, for {@code lease}. Two claimers never get updates of the same chat at once.
     */
    Optional<PendingUpdate> claim(String worker, Instant now, Duration lease);

    /** Marks a claimed update handled. */
    void done(long updateId, Instant now);

    /** Deletes handled updates recorded before {@code cutoff}. @return how many */
    int purge(Instant cutoff);
}
