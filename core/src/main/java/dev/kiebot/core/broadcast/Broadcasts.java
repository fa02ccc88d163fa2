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
    /**
     * Saves a draft awaiting the admin's confirmation.
     *
     * @param adminId the admin
     * @param chatId  his chat
     * @param text    the message
     * @param now     the shop's clock's instant
     * @return the draft, with its new number
     */
    Broadcast draft(long adminId, long chatId, String text, Instant now);

    /**
     * The broadcast with this number, in its latest state; empty for a number never given.
     *
     * @param id the broadcast's number
     * @return the broadcast
     */
    Optional<Broadcast> find(long id);

    /**
     * DRAFT → QUEUED, fixing its recipients (every active user now), in one atomic step. Users known to have
     * blocked the bot are not recipients; they are kept as the broadcast's skipped ({@link Tally#skipped()}).
     *
     * @param id                the draft's number
     * @param progressMessageId the admin's message to edit with the progress, when known
     * @param now               the shop's clock's instant
     * @return the queued broadcast; empty when it is not a draft (already queued, cancelled, unknown)
     */
    Optional<Broadcast> queue(long id, Optional<Long> progressMessageId, Instant now);

    /**
     * DRAFT → CANCELLED.
     *
     * @param id the draft's number
     * @return false when it was not a draft
     */
    boolean cancel(long id);

    /**
     * QUEUED → CANCELLED: an admin stopped it while it was being sent. Its recipients not yet handed to a sender are
     * let go (nobody claims them again), and its figures are kept as they stand, as {@link #finish(long, Instant)}
     * keeps them: its {@link #tally} then reads those. A recipient being messaged at that moment still gets his one
     * message. kiebot's stores do so; this default stops nothing (a partner's store: the broadcast runs to its end,
     * and the admin is told it could not be stopped). A default, unlike the keeping calls of the stores, because it is
     * sound: nothing is lost and nobody is misled — every recipient gets the one message the admin sent, as with no
     * stop asked, and the admin reads that it could not be stopped ({@code /broadcast}'s «⏹» answers so), not that it
     * stopped. {@code StoresContract} checks a store that stops.
     *
     * @param id  the broadcast's number
     * @param now the shop's clock's instant, from which its recipients' retention counts
     * @return true for the one caller that stopped it; false when it was not being sent
     */
    default boolean stop(long id, Instant now) {
        return false;
    }

    /**
     * Takes up to {@code limit} pending recipients of queued broadcasts, oldest broadcast first.
     *
     * @param limit the most to take
     * @param now   the shop's clock's instant, kept as when they were taken ({@link #abandon})
     * @return the recipients now this caller's; no other claim gets them
     */
    List<Recipient> claim(int limit, Instant now);

    /**
     * Keeps what came of messaging a claimed recipient; the recipient is then never claimed again.
     *
     * @param recipient as claimed
     * @param outcome   what came of it
     */
    void record(Recipient recipient, RecipientOutcome outcome);

    /**
     * Gives claimed recipients without an outcome back (a graceful stop before they were messaged).
     *
     * @param recipients as claimed, not messaged
     */
    void release(List<Recipient> recipients);

    /**
     * Recipients taken more than {@code after} ago without an outcome become ABANDONED.
     *
     * @param now   the shop's clock's instant
     * @param after how long a claim may stay without an outcome
     * @return how many
     */
    int abandon(Instant now, Duration after);

    /**
     * Every broadcast in QUEUED (being sent), oldest first.
     *
     * @return the queued broadcasts
     */
    List<Broadcast> queued();

    /**
     * How the broadcast's recipients stand now: sent, failed, blocked, skipped, still to go.
     *
     * @param id the broadcast's number
     * @return the counts
     */
    Tally tally(long id);

    /**
     * QUEUED → DONE.
     *
     * @param id the broadcast's number
     * @return true for the one caller that made the change
     */
    boolean finish(long id);

    /**
     * QUEUED → DONE at {@code now}, its sent, blocked and failed counts kept with it, so that its {@link #tally} reads
     * the same once its recipients are forgotten ({@link #forgetRecipients}). kiebot's stores do so; this default
     * only {@link #finish(long) finishes} it, and such a store forgets no recipient. A default because it is sound
     * beside the default {@link #forgetRecipients}: the recipients kept, the tally reads them; a store that forgets
     * them implements both ({@code StoresContract} checks the report reads the same).
     *
     * @param id  the broadcast's number
     * @param now the shop's clock's instant, from which its recipients' retention counts
     * @return true for the one caller that made the change
     */
    default boolean finish(long id, Instant now) {
        return finish(id);
    }

    /**
     * Forgets up to {@code limit} recipients of broadcasts finished ({@link #finish(long, Instant)}) or stopped
     * ({@link #stop}) before
     * {@code finishedBefore}: one row per user per broadcast, read by nothing once the broadcast is done but its tally,
     * which its kept counts answer. A broadcast not finished keeps every recipient. The upkeep calls it hourly, in
     * bounded passes. The default forgets nothing (a store that keeps them all: right, but it grows with every
     * broadcast). A default because it is sound: nothing is lost, the report reads the same, and a row holds no text
     * of the user's, only his id and what came of his message.
     *
     * @param finishedBefore broadcasts finished before this lose their recipients
     * @param limit          the most to forget in this call
     * @return how many were forgotten
     */
    default int forgetRecipients(Instant finishedBefore, int limit) {
        return 0;
    }
}
