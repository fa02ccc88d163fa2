package dev.kiebot.core.payments;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A Stars invoice the bot issued; pre-checkout is answered from it alone, and only a payment of exactly
 * this invoice, by its user, in Stars, credits anything.
 *
 * @param payload      the invoice payload (unique)
 * @param userId       the user it was issued to: only his payment credits
 * @param stars        its price in Stars
 * @param amount       minor units the payment will credit
 * @param createdAt    when it was issued
 * @param paidChargeId the {@code telegram_payment_charge_id} that paid it, once paid
 */
public record Invoice(String payload, long userId, long stars, long amount, Instant createdAt,
                      Optional<String> paidChargeId) {
    /**
     * How long after it was issued an invoice may still be paid. Its amount was fixed at the Star price of that
     * moment, and Telegram keeps the invoice message payable for ever: without a limit, invoices collected while the
     * price was generous (or before an operator corrected a mistyped {@code STAR_PRICE_RUB}) could all be paid later
     * at that price. An hour is ample to pay one; an older one is refused at pre-checkout, before any Star moves, and
     * the user is asked to open a new one.
     */
    public static final Duration PAYABLE_FOR = Duration.ofHours(1);

    /**
     * A new, unpaid invoice.
     *
     * @param payload   unique
     * @param userId    the user it is issued to
     * @param stars     its price in Stars
     * @param amount    minor units the payment will credit
     * @param createdAt when it is issued
     */
    public Invoice(String payload, long userId, long stars, long amount, Instant createdAt) {
        this(payload, userId, stars, amount, createdAt, Optional.empty());
    }

    /**
     * Whether a charge paid it.
     *
     * @return true once {@link #paidChargeId()} is present
     */
    public boolean paid() {
        return paidChargeId.isPresent();
    }

    /**
     * Whether a pre-checkout at {@code now} may be answered yes: not paid, and issued less than {@link #PAYABLE_FOR}
     * ago. Only pre-checkout asks: a payment Telegram completed after a yes is credited whenever it arrives.
     *
     * @param now the shop's clock's instant
     * @return true while unpaid and young enough
     */
    public boolean payableAt(Instant now) {
        return !paid() && now.isBefore(createdAt.plus(PAYABLE_FOR));
    }
}
