package dev.kiebot.core.payments;

import java.time.Instant;

/**
 * A Stars invoice the bot issued; pre-checkout is answered from it alone.
 *
 * @param payload the invoice payload (unique)
 * @param amount  minor units the payment will credit
 */
public record Invoice(String payload, long userId, long stars, long amount, Instant createdAt) {
}
