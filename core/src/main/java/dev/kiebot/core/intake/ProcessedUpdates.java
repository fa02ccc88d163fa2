package dev.kiebot.core.intake;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The durable update inbox (port): records each {@code update_id} once, hands updates to handlers one chat
 * at a time in arrival order (also across instances), and forgets them after a retention period. An update id is
 * unique across the bot, whatever its chat (Telegram's are): the record is keyed by the id alone, so an id recorded
 * for one chat is a re-delivery for every other ({@code Incoming.updateId} says how a platform whose ids count per
 * chat maps them). core-testing's {@code QueuesContract} ({@code anUpdateIdIsRecordedOnceWhateverItsChat}) checks it.
 *
 * <p>Handling is all-or-nothing: the handler claims an update, handles it and marks it done inside ONE
 * transaction ({@code Stores.transactions()}). The claim is that transaction's hold on the chat, so it ends
 * with the transaction — when it commits, when it rolls back, and when its holder dies — never after a
 * fixed lease.
 */
public interface ProcessedUpdates {
    /**
     * Records an update.
     *
     * @param updateId the platform's id of the update, unique across the bot (not per chat): the record's key
     * @param chatId   its chat
     * @param payload  the raw update, kept as given and handed back by {@link #claimNext}
     * @param now      the shop's clock's instant: its {@link PendingUpdate#recordedAt()}
     * @return false when this {@code update_id} was recorded before, for any chat
     * (a re-delivery); the caller then does nothing.
     */
    boolean record(long updateId, long chatId, String payload, Instant now);

    /**
     * Records a batch (a getUpdates answer), in order; an implementation may do it in one round trip. When it
     * throws, some of the batch may be recorded already: delivered again, they are re-deliveries. A default because
     * it is sound: each update {@link #record recorded} in turn, in more round trips.
     *
     * @param updates the batch, in order
     * @param now     the shop's clock's instant
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
     * that chat until this transaction ends. Cheap at any backlog.
     *
     * <p>One claim per transaction; a chat this transaction holds is returned again: a second call before
     * {@link #done} answers the same update (kiebot's PostgreSQL store locks the chat's row, and a transaction's own
     * lock does not make it pass the row by), so a loop that claims until empty inside one transaction never ends,
     * or handles an update twice. Claim, handle and mark done, then commit and claim in the next transaction, as
     * core's {@code Inbox} does. Called outside a transaction, the claim has nothing to end it: core-testing's
     * in-memory store throws {@link IllegalStateException}; core-testing's {@code QueuesContract}
     * ({@code aSecondClaimInTheSameTransactionReturnsTheChatItHolds}) checks the rest.
     *
     * @return empty when every chat with work is
     * held or there is none
     */
    Optional<PendingUpdate> claimNext();

    /**
     * Inside a transaction: takes {@code updateId}'s chat again, WAITING for a transaction that holds it (unlike
     * {@link #claimNext}, which passes a held chat by), and holds it until this transaction ends.
     *
     * <p>It exists for the update whose handling was rolled back: the handler answers it (an apology) and marks it
     * done in a second transaction, and between the two its chat is free, so another handler may have claimed the
     * same update meanwhile, and may still be handling it. Reclaiming waits for that handler and sees what it
     * committed, so the update is answered once: by whoever handled it, or by one apology.
     *
     * @param updateId the update whose handling was rolled back
     * @return the update if it is still not done; empty when it was handled meanwhile, or is unknown
     */
    Optional<PendingUpdate> reclaim(long updateId);

    /**
     * Inside the claiming transaction: the update is handled; the chat's next one is claimable at commit. From here
     * on only its id is needed (a re-delivery is known by it): an implementation may drop the payload. Callers call it
     * there only, in the transaction that claimed (or reclaimed) the update, as core's {@code Inbox} does: what a
     * store does called outside a transaction is its own, and no contract asks.
     *
     * @param updateId the update
     * @param now      the shop's clock's instant
     */
    void done(long updateId, Instant now);

    /**
     * Deletes handled updates recorded before {@code cutoff}.
     *
     * @param cutoff the oldest record kept
     * @return how many
     */
    int purge(Instant cutoff);

    /**
     * Deletes handled updates recorded before {@code cutoff}, at most {@code limit} of them (the oldest): one bounded
     * statement, which the caller repeats while it comes back full ({@code Upkeep.cleanup} does), not one that deletes
     * a week of a busy bot's updates at once. The default deletes them all at once ({@link #purge(Instant)}). A
     * default because it is sound: the same updates go, in one longer statement.
     *
     * @param cutoff the oldest record kept
     * @param limit  the most deleted by this call
     * @return how many
     */
    default int purge(Instant cutoff, int limit) {
        return purge(cutoff);
    }

    /**
     * When the oldest update not handled yet was recorded, if any: the measure of a stuck inbox (an update that keeps
     * failing first in line holds every chat behind it). Never read by the handling, but by core's upkeep: the
     * {@code backlogs} task ({@code ShopWork}, {@code Shop.upkeep()}) tells the admins when updates wait too long
     * ({@code Msg.ADMIN_ALERT_UPDATES_STUCK}) and when they flow again; and by a metrics scrape (kiebot's gauge
     * {@code kiebot_inbox_oldest_pending_seconds}). An answer of none while updates wait would keep the admins from
     * ever being told of a stuck inbox. core-testing's {@code QueuesContract}
     * ({@code theOldestPendingUpdateIsTheFirstNotYetHandled}) checks it.
     *
     * @return when the oldest unhandled update was recorded; empty with none
     */
    Optional<Instant> oldestPending();
}
