package dev.kiebot.core.payments;

/**
 * Where a manual top-up request stands: {@code REQUESTED → CLAIMED_PAID → APPROVED | DECLINED | EXPIRED}
 * (a request may also be decided or expire before the user says it is paid). A decided request never moves
 * again.
 */
public enum ManualTopUpState {
    /** Asked for: the user is shown where to transfer. */
    REQUESTED,
    /** The user says he paid. */
    CLAIMED_PAID,
    /** An admin confirmed it: credited. */
    APPROVED,
    /** An admin declined it. */
    DECLINED,
    /** Nobody decided it in time. */
    EXPIRED;

    /**
     * Still waiting for an admin (or for the user's payment).
     *
     * @return true for REQUESTED and CLAIMED_PAID
     */
    public boolean open() {
        return this == REQUESTED || this == CLAIMED_PAID;
    }
}
