package dev.kiebot.core.payments;

/**
 * Gives a Stars payment back to its payer (port; Telegram's {@code refundStarPayment}). Implementations
 * retry what is safe to retry and never throw.
 */
public interface StarsRefunds {
    /**
     * Asks the platform to give the payer the Stars of {@code chargeId} ({@code telegram_payment_charge_id}) back.
     * Called once the admin's refund has committed, outside any transaction, on the {@code Shop.Builder.refundCalls}
     * executor (default: {@code answers}, default: the committing thread); it may take as long as the platform's
     * retries do.
     *
     * @param userId   the payer's user id
     * @param chargeId the platform's id of the charge to give back
     * @return {@link StarsRefundResult.Refunded} or {@link StarsRefundResult.AlreadyRefunded} when the payer has the
     *         Stars back (the shop then takes the amount off the balance); {@link StarsRefundResult.Failed} when the
     *         platform refused or surely never got the request (the balance is left as it was and the admin told);
     *         {@link StarsRefundResult.Unknown} when the request may have been carried out (the amount stays held until
     *         the platform's report of the refund or the hold's deadline): never an exception, never {@code null}
     */
    StarsRefundResult refund(long userId, String chargeId);

    /**
     * Refunds for a shop that takes no Stars (a platform without them, settings {@code withoutStars()}): every refund
     * {@link StarsRefundResult.Failed}, saying so to the admin who asked. {@code Shop.builder()} uses it when the
     * settings offer no Stars packages and no refunds were given.
     *
     * @return refunds that never reach a platform
     */
    static StarsRefunds none() {
        return (userId, chargeId) -> new StarsRefundResult.Failed("this shop takes no Stars, so it has no refund call "
                + "to make (Shop.builder() was given no starsRefunds)");
    }
}
