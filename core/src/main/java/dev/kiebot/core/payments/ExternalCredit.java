package dev.kiebot.core.payments;

import java.time.Instant;
import java.util.Objects;

/**
 * What {@code ExternalTopUps.credit} did with a payment your provider reported. Switch over it exhaustively: a
 * webhook answers the provider "received" for {@link Credited} and {@link AlreadyCredited} alike (the provider then
 * stops repeating it), and a {@link Refused} payment needs a person: the money was taken and the wallet did not get it.
 */
public sealed interface ExternalCredit {
    /**
     * The payment as reported by this call.
     *
     * @return the payment given to {@code credit}
     */
    ExternalPayment payment();

    /**
     * Credited now, with its audit line and the user's notice committed together.
     *
     * @param payment the payment as reported
     * @param balance the wallet's available balance after it, in minor units
     */
    record Credited(ExternalPayment payment, long balance) implements ExternalCredit {
        /**
         * Checks the payment.
         *
         * @param payment never null
         * @param balance minor units
         */
        public Credited {
            Objects.requireNonNull(payment, "payment");
        }
    }

    /**
     * The same payment (provider, payment id, user and amount) was credited before: nothing changed, nobody was told
     * again. A provider's repeated notification ends here.
     *
     * @param payment    the payment as reported this time
     * @param creditedAt when the first report credited it
     */
    record AlreadyCredited(ExternalPayment payment, Instant creditedAt) implements ExternalCredit {
        /**
         * Checks that nothing is null.
         *
         * @param payment    never null
         * @param creditedAt never null
         */
        public AlreadyCredited {
            Objects.requireNonNull(payment, "payment");
            Objects.requireNonNull(creditedAt, "creditedAt");
        }
    }

    /**
     * Nothing credited. The refusal is in the audit trail (correlation id: the payment's
     * {@link ExternalPayment#creditId()}), and the shop's admins get one message about it per payment and reason,
     * not one at every retry of your webhook.
     *
     * @param payment the payment as reported
     * @param reason  why, to decide what your webhook answers (see {@link Reason})
     * @param detail  what was found and what to do, in English, for your log
     */
    record Refused(ExternalPayment payment, Reason reason, String detail) implements ExternalCredit {
        /**
         * Checks that nothing is null.
         *
         * @param payment never null
         * @param reason  never null
         * @param detail  never null
         */
        public Refused {
            Objects.requireNonNull(payment, "payment");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** Why a payment was not credited. */
    enum Reason {
        /**
         * The bot does not know the user: they never opened it, or the id is not theirs. Nothing is kept of the
         * payment, so reporting it again once the user has opened the bot credits it.
         */
        UNKNOWN_USER,
        /**
         * This provider's payment id was credited before with another amount or to another user: a reused id, or a
         * notification read wrongly. It stays refused however often it is reported; check it with the provider.
         */
        CONFLICTING_PAYMENT,
        /**
         * The payment was reported in another currency ({@link ExternalPayment#in}) than the shop's
         * ({@code Pricing.currency()}): the amount is only ever in the shop's minor units, and 500 RUB credited in a
         * dollar shop would be $500. Nothing is kept: the same report is refused again (answer your provider
         * "received", its retries would change nothing); report it converted to the shop's minor units, without the
         * currency, under the same payment id, or refund it through your provider. Only a payment not credited yet:
         * one credited before and reported again in its own currency is {@link ExternalCredit.AlreadyCredited},
         * or {@link #CONFLICTING_PAYMENT} for another amount.
         */
        WRONG_CURRENCY
    }
}
