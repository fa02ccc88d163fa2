package dev.kiebot.core.payments;

import java.time.Instant;
import java.util.Optional;

/**
 * A Stars invoice the bot issued; pre-checkout is answered from it alone, and only a payment of exactly
 * this invoice, by its user, in Stars, credits anything.
 *
 * @param payload      the invoice payload (unique)
 * @param amount       minor units the payment will credit
 * @param paidChargeId the {@code telegram_payment_charge_id} that paid it, once paid
 */
public record Invoice(String payload, long userId, long stars, long amount, Instant createdAt,
                      Optional<String> paidChargeId) {

    /** A new, unpaid invoice. */
    public Invoice(String payload, long userId, long stars, long amount, Instant createdAt) {
        this(payload, userId, stars, amount, createdAt, Optional.empty());
    }

    public boolean paid() {
        return paidChargeId.isPresent();
    }
}
