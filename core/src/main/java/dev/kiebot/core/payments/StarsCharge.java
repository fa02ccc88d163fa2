package dev.kiebot.core.payments;

import java.time.Instant;

/**
 * A Telegram Stars payment as recorded at {@code successful_payment}.
 *
 * @param chargeId {@code telegram_payment_charge_id}, unique
 * @param amount   minor units credited to the wallet
 */
public record StarsCharge(String chargeId, long userId, String payload, long stars, long amount,
                          Instant at) {

    /** The same payment (a re-delivery), whatever the time it was seen. */
    public boolean sameAs(StarsCharge other) {
        return chargeId.equals(other.chargeId) && userId == other.userId && payload.equals(other.payload)
                && stars == other.stars && amount == other.amount;
    }
}
