package dev.kiebot.core.payments;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Persistence of manual top-up requests (port). Every change of state is a compare-and-set in the store, so
 * two admins deciding at once, a double tap and the expiry sweeper never both win. Writes join the caller's
 * transaction; {@code ManualTopUpsContract} checks a store of your own.
 *
 * <p>A request's number ({@link ManualTopUp#id()}) is opaque: unique and never reused, but not counted by one for
 * each stored request, so gaps are possible and nothing may read a count or an order into it. kiebot's PostgreSQL
 * store takes it from a sequence, which an insert refused for a reference taken meanwhile ({@code ON CONFLICT DO
 * NOTHING}) and a rolled-back transaction use up; core-testing's in-memory store happens to count 1, 2, 3.
 */
public interface ManualTopUps {
    /**
     * Stores a new request in REQUESTED, or returns the one already stored under {@code draft.key()}; no cap on a
     * user's open requests (imports and tests: the shop asks {@link #create(ManualTopUpDraft, int)}). A default
     * because it is sound: that call with no cap, which every store implements.
     *
     * @param draft the request
     * @return the stored request, with its new number; empty when the reference is taken by another request (pick
     *         another and try again)
     */
    default Optional<ManualTopUp> create(ManualTopUpDraft draft) {
        ManualTopUpCreation c = create(draft, Integer.MAX_VALUE);
        if (c instanceof ManualTopUpCreation.Created created) {
            return Optional.of(created.request());
        }
        if (c instanceof ManualTopUpCreation.ReferenceTaken) {
            return Optional.empty();
        }
        throw new IllegalStateException("no cap asked for, yet refused: " + c);
    }

    /**
     * Stores a new request in REQUESTED unless its user already has {@code openMax} open requests (REQUESTED or
     * CLAIMED_PAID, not yet past their expiry at {@code draft.createdAt()}), or returns the one already stored under
     * {@code draft.key()}. Counting and storing are one step for the user: two requests of his at once never both
     * pass the count (one user cannot flood the admins with requests, nor keep a stock of them for after a ban).
     *
     * @param draft   the request
     * @param openMax the most open requests a user may have, at least 1
     * @return created (or found under the key); the reference taken; or his open requests when there are enough
     */
    ManualTopUpCreation create(ManualTopUpDraft draft, int openMax);

    /**
     * The request with this number, in its latest state; empty for a number never given.
     *
     * @param id the request's number
     * @return the request
     */
    Optional<ManualTopUp> find(long id);

    /**
     * By reference code, ignoring case.
     *
     * @param reference the code, as an admin typed it
     * @return the request; empty when none has it
     */
    Optional<ManualTopUp> findByReference(String reference);

    /**
     * REQUESTED → CLAIMED_PAID.
     *
     * @param id the request's number
     * @return the request after the call and whether this call moved it; empty when there is no such request
     */
    Optional<ManualTransition> claimPaid(long id);

    /**
     * Keeps the receipt's file id while the request is open, with no id of its content. A default because it is
     * sound: the shop never calls it (it passes the content id), and it is the three-argument call every store
     * implements.
     *
     * @param id     the request's number
     * @param fileId the platform's file id of the receipt, replacing one sent before
     * @return the stored request if it was open
     */
    default Optional<ManualTopUp> attachReceipt(long id, String fileId) {
        return attachReceipt(id, fileId, Optional.empty());
    }

    /**
     * Keeps the receipt's file id while the request is open, and adds the id of its content to the request's (every
     * receipt's, not only the last one's: a receipt sent again for another request, then replaced by another picture,
     * is still found by {@link #sharingAReceipt}). No default: a store that kept no content ids would never warn the
     * admins of one transfer's receipt sent for two requests. {@code ManualTopUpsContract} checks it.
     *
     * @param id       the request's number
     * @param fileId   the platform's file id of the receipt, replacing one sent before
     * @param uniqueId the platform's id of the receipt's content (Telegram's {@code file_unique_id}: the same when the
     *                 file is sent again or forwarded); {@code Optional.empty()} when the platform did not say
     * @return the stored request if it was open; nothing is kept for a request that is not
     */
    Optional<ManualTopUp> attachReceipt(long id, String fileId, Optional<String> uniqueId);

    /**
     * The other requests, any user's and in any state, that got a receipt with the same content as one of request
     * {@code id}'s ({@link #attachReceipt(long, String, Optional)}'s {@code uniqueId}): one transfer's receipt sent for
     * two requests, which the admins are warned of before they credit it twice. Found by an index on the content's
     * id, not by reading every request.
     *
     * @param id    the request's number
     * @param limit the most to return
     * @return the other requests, oldest first; empty when none, or when request {@code id} has no receipt's id
     */
    List<ManualTopUp> sharingAReceipt(long id, int limit);

    /**
     * Decides an open request: APPROVED or DECLINED by {@code adminId}; a decided or expired request stays.
     *
     * @param id       the request's number
     * @param decision APPROVED or DECLINED
     * @param adminId  the deciding admin
     * @param at       when
     * @return the request after the call and whether this call decided it; empty when there is no such request
     */
    Optional<ManualTransition> decide(long id, ManualTopUpState decision, long adminId, Instant at);

    /**
     * Moves up to {@code limit} open requests whose expiry is at or before {@code now} to EXPIRED.
     *
     * @param now   the shop's clock's instant
     * @param limit the most to expire in this call
     * @return the requests this call expired
     */
    List<ManualTopUp> expire(Instant now, int limit);

    /**
     * Remembers that an admin was told about request {@code id} (once per admin).
     *
     * @param id     the request's number
     * @param notice the admin's chat
     */
    void addNotice(long id, AdminNotice notice);

    /**
     * The notices {@link #addNotice} kept for request {@code id}, in the order they were added.
     *
     * @param id the request's number
     * @return the notices, each admin once
     */
    List<AdminNotice> notices(long id);

    /**
     * Forgets up to {@code limit} notices of requests closed (decided or expired) before {@code closedBefore}; an open
     * request's notices are kept whatever its age, since deciding it edits every told admin's message. Without it the
     * notices, a row per request per admin, are kept for ever. The default forgets nothing. A default because it is
     * sound: a notice names an admin's chat, not the user, and a closed request's edit nothing again; kept, they
     * only grow.
     *
     * @param closedBefore requests closed at or after it keep theirs
     * @param limit        the most forgotten by this call
     * @return the notices this call forgot
     */
    default List<RequestNotice> forgetNotices(Instant closedBefore, int limit) {
        return List.of();
    }

    /**
     * A user's newest requests first.
     *
     * @param userId the user
     * @param limit  the most to return
     * @return the requests, newest first
     */
    List<ManualTopUp> recent(long userId, int limit);

    /**
     * A user's open requests (REQUESTED or CLAIMED_PAID) not yet past their expiry at {@code at}, newest first: those a
     * receipt he sends may belong to. All of them, however many closed ones came after: ask your store for the open
     * ones, not for his newest few. No default: the one there was read his newest 100 through {@link #recent}, so an
     * old request still open behind them was not found. {@code ManualTopUpsContract} checks it.
     *
     * @param userId the user
     * @param at     now, by the shop's clock: a request past its expiry and not yet swept counts no more
     * @return the requests, newest first
     */
    List<ManualTopUp> open(long userId, Instant at);

    /**
     * Requests still open (REQUESTED or CLAIMED_PAID).
     *
     * @return how many
     */
    long countOpen();
}
