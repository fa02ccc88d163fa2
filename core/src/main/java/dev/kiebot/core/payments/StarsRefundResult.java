package dev.kiebot.core.payments;

/** What Telegram said to a Stars refund. */
public sealed interface StarsRefundResult {
    /** The Stars went back now. */
    record Refunded() implements StarsRefundResult {
    }

    /** {@code CHARGE_ALREADY_REFUNDED}: the Stars went back before; as good as done. */
    record AlreadyRefunded() implements StarsRefundResult {
    }

    /**
     * Surely not refunded: the platform refused, or the request never reached it.
     *
     * @param reason          for the log and the admin who asked: the platform's error, or what failed
     * @param botTokenRefused the platform refused the bot's own token (revoked in @BotFather while the bot runs): the
     *                        admin is told to put the token right and ask again, not the platform's error code
     */
    record Failed(String reason, boolean botTokenRefused) implements StarsRefundResult {
        /**
         * Not refunded, for a reason other than the bot's token.
         *
         * @param reason as the record's description says
         */
        public Failed(String reason) {
            this(reason, false);
        }
    }

    /**
     * No answer says what became of the request: it may have been carried out (the connection dropped or timed out
     * after it went, a 5xx on every try). The shop keeps what it held for the refund: Telegram's report of the refund
     * takes it, or its deadline gives it back and the admins are told; it is never given back as if refused, which
     * would leave the payer both the Stars and the balance.
     *
     * @param reason for the log and the admin who asked: what failed
     */
    record Unknown(String reason) implements StarsRefundResult {
    }

    /**
     * Whether the payer has the Stars back.
     *
     * @return true for {@link Refunded} and {@link AlreadyRefunded}
     */
    default boolean done() {
        return this instanceof Refunded || this instanceof AlreadyRefunded;
    }
}
