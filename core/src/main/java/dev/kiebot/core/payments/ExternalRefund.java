package dev.kiebot.core.payments;

/**
 * Your own payment provider gave a payment back to its buyer (a refund you made, or a chargeback the buyer's bank
 * won), as you report it to {@code shop.externalTopUps().refunded(...)} once you have verified the provider's
 * notification. It names the payment as its {@link ExternalPayment} did; the shop finds what that payment credited.
 *
 * <p>Each wrong value is refused here, at construction, as {@link ExternalPayment}'s are, with the same messages.
 *
 * @param provider  the provider of the payment, as you named it when it was credited ({@code "stripe"}; read without
 *                  case)
 * @param paymentId the provider's id of the payment given back (not of the refund: Stripe's {@code charge.refunded}
 *                  and {@code charge.dispute.created} name the payment intent the payment was credited under)
 * @param userId    the Telegram user id of the buyer, as your records have it: the payment must have credited this
 *                  user's wallet, or nothing is taken from anyone
 */
public record ExternalRefund(String provider, String paymentId, long userId) {
    /**
     * Checks every value as {@link ExternalPayment} does, and keeps the provider in lower case.
     *
     * @param provider  1-32 of {@code a-z 0-9 . _ -}, read without case
     * @param paymentId 1-128 characters without spaces or control characters
     * @param userId    above 0
     * @throws NullPointerException     for a null provider or payment id, naming it
     * @throws IllegalArgumentException for any other wrong value, naming it and what to give
     */
    public ExternalRefund {
        provider = ExternalPayment.checkedProvider(provider);
        ExternalPayment.checkPaymentId(paymentId);
        ExternalPayment.checkUserId(userId);
    }

    /**
     * The ledger id of the payment's credit ({@link ExternalPayment#creditId()}): its refund's audit lines too.
     *
     * @return {@code external:<provider>:<paymentId>}
     */
    public String creditId() {
        return ExternalPayment.creditId(provider, paymentId);
    }

    /**
     * The ledger id of the money taken back, which makes it happen once: one per payment, however often and however
     * (refund, then chargeback) the provider reports it given back.
     *
     * @return {@code external-refund:<provider>:<paymentId>}
     */
    public String refundId() {
        return refundId(provider, paymentId);
    }

    /**
     * {@link #refundId()} of the payment with this provider (as kept: in lower case) and id, whether or not there is
     * one: to look its refund up in the ledger.
     *
     * @param provider  the provider, in lower case
     * @param paymentId the provider's id of the payment given back
     * @return {@code external-refund:<provider>:<paymentId>}
     */
    public static String refundId(String provider, String paymentId) {
        return "external-refund:" + provider + ":" + paymentId;
    }
}
