package dev.kiebot.core.intake;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The durable update inbox (port): records each {@code update_id} once, hands updates to handlers one chat
 * at a time in arrival order (also across instances), and forgets them after a retention period.
 *
 * <p>Handling is all-or-nothing: the handler claims an update, handles it and marks it done inside ONE
 * transaction ({@code Stores.transactions()}). The claim is that transaction's hold on the chat, so it ends
 * with the transaction — when it commits, when it rolls back, and when its holder dies — never after a
 * fixed lease.
 */
public interface ProcessedUpdates {
    /**
     * Records an update. @return false when this {@code update_id} was recorded before
     * (a re-delivery); the caller then does nothing.
     */
    boolean record(long updateId, long chatId, String payload, Instant now);

    /**
     * Records a batch (a getUpdates answer), in order; an implementation may do it in one round trip. When it
     * throws, some of the batch may be recorded already: delivered again, they are re-deliveries.
     *
     * @return per update, in order: whether it was new (false for a re-delivery, also within the batch)
     */
    default List<Boolean> recordAll(List<ArrivedUpdate> updates, Instant now) {
        List<Boolean> added = new ArrayList<>(updates.size());
        for (ArrivedUpdate u : updates) {
            added.add(record(u.updateId(), u.chatId(), u.payload(), now));
        }
        return added;
    }

    /**
     * Inside a transaction: the oldest unhandled update of a chat that no other transaction holds, holding
     * that chat until this transaction ends. Cheap at any backlog. @return empty when every chat with work is
     * held or there is none
     */
    Optional<PendingUpdate> claimNext();

    /** Inside the claiming transaction: the update is handled; the chat's next one is claimable at commit. */
    void done(long updateId, Instant now);

    /** Deletes handled updates recorded before {@code cutoff}. @return how many */
    int purge(Instant cutoff);
}
