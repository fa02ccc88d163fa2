package dev.kiebot.core.payments;

/**
 * Gives a Stars payment back to its payer (port; Telegram's {@code refundStarPayment}). Implementations
 * retry what is safe to retry and never throw.
 */
public interface StarsRefunds {
    StarsRefundResult refund(long userId, String chargeId);
}
