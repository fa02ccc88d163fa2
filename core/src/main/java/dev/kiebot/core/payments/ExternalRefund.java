package dev.kiebot.core.payments;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Your own payment provider gave a payment back to its buyer (a refund you made, or a chargeback the buyer's bank
 * won), as you report it to {@code shop.externalTopUps().refunded(...)} once you have verified the provider's
 * notification. It names the payment as its {@link ExternalPayment} did; the shop finds what that payment credited.
 *
 * <p>A refund of part of a payment (Stripe sends {@code charge.refunded} for those too) says how much and under which
 * id of the provider's own ({@link #ExternalRefund(String, String, String, long, long)}): each such refund is taken
 * back once, however often it is reported, and a payment's refunds together never take back more than it credited. A
 * refund made without them ({@link #ExternalRefund(String, String, long)}) gives back the whole payment.
 *
 * <p>Each wrong value is refused here, at construction, as {@link ExternalPayment}'s are, with the same messages.
 *
 * @param provider         the provider of the payment, as you named it when it was credited ({@code "stripe"}; read
 *                         without case)
 * @param paymentId        the provider's id of the payment given back (not of the refund: Stripe's
 *                         {@code charge.refunded} and {@code charge.dispute.created} name the payment intent the
 *                         payment was credited under)
 * @param userId           the buyer's user id on your platform (on Telegram his user id), as your records have it:
 *                         the payment must have credited this user's wallet, or nothing is taken from anyone
 * @param providerRefundId the provider's id of this refund of part of the payment ({@code "re_3Nx..."}, a dispute's
 *                         {@code "dp_..."}), the same in every notification of it; empty for the whole payment
 * @param amount           what this refund gave back, in minor units of the shop's currency; empty for the whole
 *                         payment (present exactly when {@code providerRefundId} is)
 * @param currency         the ISO 4217 code the provider reported the refund in ({@code "USD"}; kept in upper case), or
 *                         empty when you know it is the shop's: {@code refunded} refuses a refund in another currency
 *                         ({@link #in(String)}); empty for the whole payment
 */
public record ExternalRefund(String provider, String paymentId, long userId, Optional<String> providerRefundId,
                             OptionalLong amount, Optional<String> currency) {
    /**
     * Between a payment's {@link #refundId(String, String)} and the provider's id of a refund of part of it, in that
     * refund's ledger id: no payment id has a space, so one payment's refunds never meet another's.
     */
    public static final String PART = " ";

    /**
     * Checks every value as {@link ExternalPayment} does (the refund's id as a payment id, its amount as a payment's),
     * and keeps the provider in lower case and the currency in upper case.
     *
     * @param provider         1-32 of {@code a-z 0-9 . _ -}, read without case
     * @param paymentId        1-128 characters without spaces or control characters
     * @param userId           above 0
     * @param providerRefundId 1-128 characters without spaces or control characters; empty for the whole payment
     * @param amount           1 to {@link ExternalPayment#MAX_AMOUNT} minor units; empty for the whole payment
     * @param currency         the provider's ISO code, 3 latin letters read without case; empty for the shop's, and
     *                         for the whole payment
     * @throws NullPointerException     for a null value, naming it
     * @throws IllegalArgumentException for any other wrong value, naming it and what to give
     */
    public ExternalRefund {
        provider = ExternalPayment.checkedProvider(provider);
        ExternalPayment.checkPaymentId(paymentId);
        ExternalPayment.checkUserId(userId);
        Objects.requireNonNull(providerRefundId, "providerRefundId: Optional.empty() for the whole payment, or the "
                + "provider's id of this refund");
        Objects.requireNonNull(amount, "amount: OptionalLong.empty() for the whole payment, or what this refund gave "
                + "back");
        Objects.requireNonNull(currency, "currency: Optional.empty() for the shop's own, or the provider's ISO code");
        if (providerRefundId.isPresent() != amount.isPresent()) {
            throw new IllegalArgumentException("a refund of part of payment " + paymentId + " needs both its amount "
                    + "and the provider's id of the refund (so that each is taken back once); give neither for the "
                    + "whole payment");
        }
        providerRefundId.ifPresent(ExternalPayment::checkPaymentId);
        amount.ifPresent(a -> {
            if (a <= 0 || a > ExternalPayment.MAX_AMOUNT) {
                throw new IllegalArgumentException("amount " + a + " of refund " + providerRefundId.orElseThrow()
                        + " must be 1 to ExternalPayment.MAX_AMOUNT (" + ExternalPayment.MAX_AMOUNT + ") minor units "
                        + "of the shop's currency (cents or kopecks: 500.00 is 50000), what this refund gave back");
            }
        });
        if (currency.isPresent() && amount.isEmpty()) {
            throw new IllegalArgumentException("a refund of the whole payment " + paymentId + " has no currency of its "
                    + "own: give one only with the amount of a refund of part of it");
        }
        currency = currency.map(ExternalPayment::checkedCurrency);
    }

    /**
     * The whole payment given back (a refund of all of it, a chargeback of all of it): whatever of it is still to take
     * back, once. After refunds of part of it, report the rest with its own amount and id instead.
     *
     * @param provider  1-32 of {@code a-z 0-9 . _ -}, read without case
     * @param paymentId 1-128 characters without spaces or control characters
     * @param userId    above 0
     */
    public ExternalRefund(String provider, String paymentId, long userId) {
        this(provider, paymentId, userId, Optional.empty(), OptionalLong.empty(), Optional.empty());
    }

    /**
     * A refund of part (or all) of a payment, as the provider reported it: Stripe's refund object's {@code id} and
     * {@code amount} (or a dispute's). Reported again it takes nothing more; each of a payment's refunds is taken back
     * once, together never more than the payment credited.
     *
     * @param provider         1-32 of {@code a-z 0-9 . _ -}, read without case
     * @param paymentId        the provider's id of the payment, 1-128 characters without spaces or control characters
     * @param providerRefundId the provider's id of this refund, 1-128 characters without spaces or control characters
     * @param userId           above 0
     * @param amount           what this refund gave back, 1 to {@link ExternalPayment#MAX_AMOUNT} minor units of the
     *                         shop's currency
     */
    public ExternalRefund(String provider, String paymentId, String providerRefundId, long userId, long amount) {
        this(provider, paymentId, userId, Optional.of(Objects.requireNonNull(providerRefundId,
                "providerRefundId: the provider's id of this refund")), OptionalLong.of(amount), Optional.empty());
    }

    /**
     * This refund, as the provider reported its currency: {@code shop.externalTopUps().refunded} refuses it unless it
     * is the shop's ({@code Pricing.currency()}), the payment's.
     *
     * @param isoCode the provider's currency code, 3 latin letters, read without case ({@code "usd"} is USD)
     * @return the same refund with its currency
     * @throws IllegalArgumentException when it is not 3 latin letters, or this refund is of the whole payment
     */
    public ExternalRefund in(String isoCode) {
        return new ExternalRefund(provider, paymentId, userId, providerRefundId, amount, Optional.of(isoCode));
    }

    /**
     * Whether this gives back the whole payment (made without an amount).
     *
     * @return true for {@link #ExternalRefund(String, String, long)}
     */
    public boolean whole() {
        return amount.isEmpty();
    }

    /**
     * The ledger id of the payment's credit ({@link ExternalPayment#creditId()}): its refunds' audit lines too.
     *
     * @return {@code external:<provider>:<paymentId>}
     */
    public String creditId() {
        return ExternalPayment.creditId(provider, paymentId);
    }

    /**
     * The ledger id of the money taken back, which makes it happen once: for the whole payment, one per payment,
     * however often and however (refund, then chargeback) the provider reports it given back; for a refund of part of
     * it, one per refund of the provider's. A payment id has no space, so one payment's refunds never meet another's.
     *
     * @return {@code external-refund:<provider>:<paymentId>}, or {@code external-refund:<provider>:<paymentId>
     *         <providerRefundId>} (a space between) for a refund of part of it
     */
    public String refundId() {
        return providerRefundId.map(id -> refundId(provider, paymentId) + PART + id)
                .orElseGet(() -> refundId(provider, paymentId));
    }

    /**
     * {@link #refundId()} of the whole payment with this provider (as kept: in lower case) and id, whether or not there
     * is one: to look its refund up in the ledger. A refund of part of it is under this id, a space and the
     * provider's id of the refund.
     *
     * @param provider  the provider, in lower case
     * @param paymentId the provider's id of the payment given back
     * @return {@code external-refund:<provider>:<paymentId>}
     */
    public static String refundId(String provider, String paymentId) {
        return "external-refund:" + provider + ":" + paymentId;
    }
}
