package dev.kiebot.core.reply;

import dev.kiebot.core.pacing.TokenBucket;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outbox (port): every reply waits here, in its chat's queue, until the sender delivers it. Appending
 * happens inside the handling transaction, so the replies exist exactly when the update's effects do. The
 * sender takes one chat at a time, when that chat's pacing allows, holding it for its own transaction.
 */
public interface PendingReplies {
    /** Appends to the chats' queues, in order. */
    void append(List<Outgoing> replies, Instant now);

    /**
     * Inside a transaction: the oldest reply of a chat whose turn has come (due at or before {@code now}) that no
     * other transaction holds, holding that chat until this transaction ends.
     */
    Optional<Queued> next(Instant now);

    /**
     * The head reply was dealt with: it leaves the queue; the chat keeps {@code pacing} and is due again at
     * {@code dueAt}.
     *
     * @return whether the chat has more replies queued (the next one then falls due at {@code dueAt})
     */
    boolean done(Queued reply, TokenBucket pacing, Instant dueAt);

    /** Everything queued for the chat leaves the queue (the user blocked the bot). @return how many */
    int dropChat(long chatId);

    /**
     * When the next waiting reply that is not due at {@code now} becomes due, if any. Replies due already are not
     * counted: a sender takes them now, or one is sending their chat's head (a claimed chat is always due), and it
     * looks again when it is done. Counting them made an idle sender sleep the whole safety poll whenever any chat
     * was in flight, instead of until a paced chat's turn. The sender asks with the {@code now} its {@code next}
     * found nothing at, so a chat falling due in between is in this answer.
     */
    Optional<Instant> nextDueAfter(Instant now);

    Optional<Integer> taggedMessage(long chatId, String tag);

    void tag(long chatId, String tag, int messageId);

    /**
     * One queued reply.
     *
     * @param pacing the chat's token bucket as stored (empty for a chat that had no message yet)
     */
    record Queued(long id, Outgoing outgoing, Optional<TokenBucket> pacing) {
        public long chatId() {
            return outgoing.chatId();
        }
    }
}
