package dev.kiebot.core.payments;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A Stars payment the bot received but did not credit: it matched no invoice of this bot, its invoice was paid
 * already, the ledger refused the credit, or its handling failed and was rolled back. Nothing is on a wallet for it,
 * so giving the Stars back is Telegram's refund alone and takes nothing from the balance.
 *
 * @param chargeId {@code telegram_payment_charge_id}: what Telegram refunds
 * @param userId   the payer, to whom Telegram gives the Stars back
 * @param payload  the invoice payload the payment named
 * @param stars    the Stars the payment said it paid
 * @param reason   why nothing was credited (the anomaly's reason)
 * @param at       when the payment was received
 * @param refund   where its refund stands
 * @param attempt  refund attempts claimed so far: the answer to one settles only that attempt
 * @param askedAt  when the latest attempt was claimed (present once one was)
 */
public record UncreditedCharge(String chargeId, long userId, String payload, long stars, String reason, Instant at,
                               UncreditedRefund refund, int attempt, Optional<Instant> askedAt) {
    /**
     * Checks the values.
     *
     * @param chargeId not blank
     * @param userId   the payer
     * @param payload  never null
     * @param stars    Stars paid
     * @param reason   never null
     * @param at       never null
     * @param refund   never null; REFUNDING only with an attempt
     * @param attempt  0 or more
     * @param askedAt  present exactly when {@code attempt} is above 0
     * @throws NullPointerException     for a null part
     * @throws IllegalArgumentException for values that do not go together
     */
    public UncreditedCharge {
        Objects.requireNonNull(chargeId, "chargeId");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(refund, "refund");
        Objects.requireNonNull(askedAt, "askedAt");
        if (chargeId.isBlank() || attempt < 0 || askedAt.isPresent() != attempt > 0
                || (refund == UncreditedRefund.REFUNDING && attempt == 0)) {
            throw new IllegalArgumentException("a charge id, and a claim time exactly when an attempt was claimed");
        }
    }

    /**
     * A payment just received, never refunded.
     *
     * @param chargeId what Telegram refunds
     * @param userId   the payer
     * @param payload  the invoice payload the payment named
     * @param stars    the Stars paid
     * @param reason   why nothing was credited
     * @param at       when it was received
     */
    public UncreditedCharge(String chargeId, long userId, String payload, long stars, String reason, Instant at) {
        this(chargeId, userId, payload, stars, reason, at, UncreditedRefund.OPEN, 0, Optional.empty());
    }

    /**
     * The short name of the charge for buttons, as for a credited one ({@link StarsCharge#reference(String)}).
     *
     * @return {@value StarsCharge#REFERENCE_LENGTH} URL-safe characters
     */
    public String reference() {
        return StarsCharge.reference(chargeId);
    }
}
