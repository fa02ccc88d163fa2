package dev.kiebot.core.payments;

import java.time.Instant;

/**
 * What a Stars refund Telegram reported could not take from the wallet because a hold (a running generation, an
 * admin's refund of another charge) kept that money at the moment, owed from that hold: when the hold gives money back
 * to the wallet (voided, expired, posted for less), up to this much goes to the Stars clearing account; whatever the
 * hold keeps (posted) is the shop's loss then. Kept by {@link Payments#recordHeldRefund}, once per charge and hold.
 *
 * @param chargeId the refunded charge ({@link StarsCharge#chargeId()})
 * @param holdId   the ledger hold that kept the money
 * @param userId   whose wallet the hold debits
 * @param amount   minor units owed from the hold, from 1 to the hold's amount
 * @param at       when the report was handled
 */
public record HeldStarsRefund(String chargeId, String holdId, long userId, long amount, Instant at) {
    /**
     * Checks the fields.
     *
     * @param chargeId the refunded charge
     * @param holdId   the hold that kept the money
     * @param userId   whose wallet the hold debits
     * @param amount   minor units owed, positive
     * @param at       when the report was handled
     * @throws IllegalArgumentException when an id is blank or the amount is not positive
     */
    public HeldStarsRefund {
        if (chargeId == null || chargeId.isBlank() || holdId == null || holdId.isBlank() || at == null) {
            throw new IllegalArgumentException("HeldStarsRefund: chargeId, holdId and at are required");
        }
        if (amount <= 0) {
            throw new IllegalArgumentException("HeldStarsRefund: amount must be positive, was " + amount);
        }
    }
}
