package dev.kiebot.core.broadcast;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Persistence of broadcasts and their recipients (port). Each recipient is handed to a sender at most
 * once, also across restarts and instances: {@link #claim} marks it taken before anything is sent.
 */
public interface Broadcasts {
    /** Saves a draft awaiting the admin's confirmation. */
    Broadcast draft(long adminId, long chatId, String text, Instant now);

    /** The broadcast with this number, in its latest state; empty for a number never given. */
    Optional<Broadcast> find(long id);

    /**
     * DRAFT → QUEUED, fixing its recipients (every active user now), in one atomic step. Users known to have
     * blocked the bot are not recipients; they are kept as the broadcast's skipped ({@link Tally#skipped()}).
     *
     * @return the queued broadcast; empty when it is not a draft (already queued, cancelled, unknown)
     */
    Optional<Broadcast> queue(long id, Optional<Integer> progressMessageId, Instant now);

    /**
     * DRAFT → CANCELLED.
     *
     * @return false when it was not a draft
     */
    boolean cancel(long id);

    /** Takes up to {@code limit} pending recipients of queued broadcasts, oldest broadcast first. */
    List<Recipient> claim(int limit, Instant now);

    /** Keeps what came of messaging a claimed recipient; the recipient is then never claimed again. */
    void record(Recipient recipient, RecipientOutcome outcome);

    /** Gives claimed recipients without an outcome back (a graceful stop before they were messaged). */
    void release(List<Recipient> recipients);

    /**
     * Recipients taken more than {@code after} ago without an outcome become ABANDONED.
     *
     * @return how many
     */
    int abandon(Instant now, Duration after);

    /** Every broadcast in QUEUED (being sent), oldest first. */
    List<Broadcast> queued();

    /** How the broadcast's recipients stand now: sent, failed, blocked, skipped, still to go. */
    Tally tally(long id);

    /**
     * QUEUED → DONE.
     *
     * @return true for the one caller that made the change
     */
    boolean finish(long id);
}
