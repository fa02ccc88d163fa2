package dev.kiebot.core.payments;

/**
 * Where the refund of an uncredited Stars payment stands: {@code OPEN → REFUNDING → REFUNDED}, or back to
 * {@code OPEN} when Telegram refused. Each move is a compare-and-set in the store, so two admins or a double press
 * ask Telegram once; Telegram's own report of the refund moves it to {@code REFUNDED} from either of the others.
 */
public enum UncreditedRefund {
    /** Not refunded: an admin may ask Telegram. */
    OPEN,
    /** An admin's attempt is asking Telegram now. */
    REFUNDING,
    /** The payer has the Stars back. */
    REFUNDED
}
