package dev.kiebot.core.payments;

import java.util.Objects;

/**
 * What {@code ExternalTopUps.refunded} did with a refund your provider reported. Switch over it exhaustively: a
 * webhook answers the provider "received" for each of them (a repeat would change nothing); a {@link TakenBack} with a
 * {@link TakenBack#shortfall() shortfall}, or a {@link Refused} refund, is one the shop's admins were told of.
 */
public sealed interface ExternalReversal {
    /**
     * The refund as reported by this call.
     *
     * @return the refund given to {@code refunded}
     */
    ExternalRefund refund();

    /**
     * Taken back now from the wallet the payment credited, with its audit line and the user's notice committed
     * together: what the refund gave back (the whole payment, or the refund's amount), never more than what is left of
     * the payment after its other refunds, and never more than the wallet had (a balance never goes below zero).
     *
     * @param refund    the refund as reported
     * @param taken     what left the wallet, in minor units: the refund's amount (the payment's, for the whole of it)
     *                  as far as the payment had it left, or less when the user had spent part of it (0 when nothing
     *                  was left)
     * @param shortfall what this refund was due to take (its amount, at most what was left of the payment) minus
     *                  {@code taken}: money the user spent that the provider gave back, the shop's loss (the admins
     *                  were told, at each refund)
     * @param balance   the wallet's available balance after it, in minor units
     */
    record TakenBack(ExternalRefund refund, long taken, long shortfall, long balance) implements ExternalReversal {
        /**
         * Checks the values.
         *
         * @param refund    never null
         * @param taken     0 or more minor units
         * @param shortfall 0 or more minor units
         * @param balance   minor units
         * @throws IllegalArgumentException for a negative {@code taken} or {@code shortfall}
         */
        public TakenBack {
            Objects.requireNonNull(refund, "refund");
            if (taken < 0 || shortfall < 0) {
                throw new IllegalArgumentException("taken " + taken + " and shortfall " + shortfall
                        + " cannot be negative");
            }
        }
    }

    /**
     * The refund was taken back before (this report repeats it, or a chargeback of the whole payment follows a refund
     * of the whole of it), or there is nothing of the payment left for it (its refunds took all of it back, or the
     * whole payment was given back before this refund of part of it): nothing changed, nobody was told again.
     *
     * @param refund the refund as reported this time
     * @param taken  what that first report of this refund took from the wallet, in minor units (0 when nothing was
     *               left, or nothing of the payment was left for it)
     */
    record AlreadyTakenBack(ExternalRefund refund, long taken) implements ExternalReversal {
        /**
         * Checks the refund.
         *
         * @param refund never null
         * @param taken  minor units
         */
        public AlreadyTakenBack {
            Objects.requireNonNull(refund, "refund");
        }
    }

    /**
     * Nothing taken. The refusal is in the audit trail (correlation id: the payment's {@link ExternalRefund#creditId()}),
     * and the shop's admins get one message about it per payment and reason.
     *
     * @param refund the refund as reported
     * @param reason why, to decide what your webhook answers (see {@link Reason})
     * @param detail what was found and what to do, in English, for your log
     */
    record Refused(ExternalRefund refund, Reason reason, String detail) implements ExternalReversal {
        /**
         * Checks that nothing is null.
         *
         * @param refund never null
         * @param reason never null
         * @param detail never null
         */
        public Refused {
            Objects.requireNonNull(refund, "refund");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** Why a refund took nothing. */
    enum Reason {
        /**
         * The shop never credited this payment: it was never reported, was refused (a user the bot did not know), or
         * its refund came before it. Nothing is kept, so the same report takes the money back once the payment is
         * credited: answer your provider's notification with an error, and its retries bring it again after the
         * payment's (providers do not promise their notifications in order); a payment you know was given back, do
         * not credit.
         */
        UNKNOWN_PAYMENT,
        /**
         * The payment credited another user than the refund names: a notification or a record read wrongly. Nothing
         * is taken from either; check the payment with the provider.
         */
        ANOTHER_USERS_PAYMENT,
        /**
         * The refund was reported in another currency ({@link ExternalRefund#in}) than the shop's, in which every
         * payment is credited. Nothing is taken and nothing kept: report its amount again in the shop's minor units,
         * without the currency, converted as you converted the payment.
         */
        WRONG_CURRENCY
    }
}
