package dev.kiebot.core.payments;

/**
 * Where a manual top-up request stands: {@code REQUESTED → CLAIMED_PAID → APPROVED | DECLINED | EXPIRED}
 * (a request may also be decided or expire before the user says it is paid). A decided request never moves
 * again.
 */
public enum ManualTopUpState {
    REQUESTED, CLAIMED_PAID, APPROVED, DECLINED, EXPIRED;

    /** Still waiting for an admin (or for the user's payment). */
    public boolean open() {
        return this == REQUESTED || this == CLAIMED_PAID;
    }
}
