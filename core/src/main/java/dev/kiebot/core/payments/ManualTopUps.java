package dev.kiebot.core.payments;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Persistence of manual top-up requests (port). Every change of state is a compare-and-set in the store, so
 * two admins deciding at once, a double tap and the expiry sweeper never both win.
 */
public interface ManualTopUps {
    /**
     * Stores a new request in REQUESTED, or returns the one already stored under {@code draft.key()}.
     *
     * @return empty when the reference is taken by another request (pick another and try again)
     */
    Optional<ManualTopUp> create(ManualTopUpDraft draft);

    /** The request with this number, in its latest state; empty for a number never given. */
    Optional<ManualTopUp> find(long id);

    /** By reference code, ignoring case. */
    Optional<ManualTopUp> findByReference(String reference);

    /**
     * REQUESTED → CLAIMED_PAID.
     *
     * @return empty when there is no such request
     */
    Optional<ManualTransition> claimPaid(long id);

    /**
     * Keeps the receipt's file id while the request is open.
     *
     * @return the stored request if it was open
     */
    Optional<ManualTopUp> attachReceipt(long id, String fileId);

    /**
     * Decides an open request: APPROVED or DECLINED by {@code adminId}; a decided or expired request stays.
     *
     * @return empty when there is no such request
     */
    Optional<ManualTransition> decide(long id, ManualTopUpState decision, long adminId, Instant at);

    /** Moves up to {@code limit} open requests whose expiry is at or before {@code now} to EXPIRED. */
    List<ManualTopUp> expire(Instant now, int limit);

    /** Remembers that an admin was told about request {@code id} (once per admin). */
    void addNotice(long id, AdminNotice notice);

    /** The notices {@link #addNotice} kept for request {@code id}, in the order they were added. */
    List<AdminNotice> notices(long id);

    /** A user's newest requests first. */
    List<ManualTopUp> recent(long userId, int limit);

    /** Requests still open (REQUESTED or CLAIMED_PAID). */
    long countOpen();
}
