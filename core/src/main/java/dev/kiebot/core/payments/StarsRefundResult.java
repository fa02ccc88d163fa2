package dev.kiebot.core.payments;

/** What Telegram said to a Stars refund. */
public sealed interface StarsRefundResult {
    /** The Stars went back now. */
    record Refunded() implements StarsRefundResult {
    }

    /** {@code CHARGE_ALREADY_REFUNDED}: the Stars went back before; as good as done. */
    record AlreadyRefunded() implements StarsRefundResult {
    }

    /**
     * Not refunded (an API error, or no answer after the retries).
     *
     * @param reason for the log and the admin who asked: the platform's error, or what failed
     */
    record Failed(String reason) implements StarsRefundResult {
    }

    /**
     * Whether the payer has the Stars back.
     *
     * @return true for {@link Refunded} and {@link AlreadyRefunded}
     */
    default boolean done() {
        return !(this instanceof Failed);
    }
}
