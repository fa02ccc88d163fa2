package dev.kiebot.core.payments;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One movement of the bot's Telegram Stars as Telegram lists it ({@code StarTransaction} of
 * {@code getStarTransactions}): a user's payment coming in, or Stars going out (a refund to a user, a withdrawal).
 *
 * @param id             Telegram's id of the transaction: a user's payment has its {@code telegram_payment_charge_id},
 *                       and the refund of a payment has the id of the payment it gave back
 * @param stars          whole Stars moved, more than 0
 * @param at             when it happened
 * @param incoming       true for Stars that came to the bot ({@code source} set), false for Stars that left it
 *                       ({@code receiver} set)
 * @param userId         the user who paid, or was paid back; empty for any other partner (Fragment, ads, a chat)
 * @param invoicePayload the payload of the invoice a user paid (or was refunded for); empty for anything else (paid
 *                       media, a subscription's renewal without one, a gift, a withdrawal)
 */
public record StarTransaction(String id, long stars, Instant at, boolean incoming, Optional<Long> userId,
                              Optional<String> invoicePayload) {
    /**
     * Checks the values.
     *
     * @param id             not blank
     * @param stars          more than 0
     * @param at             never null
     * @param incoming       the direction
     * @param userId         never null
     * @param invoicePayload never null
     * @throws NullPointerException     for a null part
     * @throws IllegalArgumentException for a blank id or no Stars
     */
    public StarTransaction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(invoicePayload, "invoicePayload");
        if (id.isBlank() || stars <= 0) {
            throw new IllegalArgumentException("a Stars transaction has an id and moves at least one Star: " + id
                    + ", " + stars);
        }
    }

    /**
     * A user's payment of an invoice, coming in.
     *
     * @param chargeId its {@code telegram_payment_charge_id}
     * @param userId   the payer
     * @param payload  the invoice's payload
     * @param stars    Stars paid
     * @param at       when
     * @return the transaction
     */
    public static StarTransaction payment(String chargeId, long userId, String payload, long stars, Instant at) {
        return new StarTransaction(chargeId, stars, at, true, Optional.of(userId), Optional.of(payload));
    }

    /**
     * The refund of a user's payment, going out under the payment's id.
     *
     * @param chargeId the refunded payment's {@code telegram_payment_charge_id}
     * @param userId   the user paid back
     * @param payload  the invoice's payload
     * @param stars    Stars given back
     * @param at       when
     * @return the transaction
     */
    public static StarTransaction refund(String chargeId, long userId, String payload, long stars, Instant at) {
        return new StarTransaction(chargeId, stars, at, false, Optional.of(userId), Optional.of(payload));
    }
}
