package dev.kiebot.core.ledger;

/** The outcome of one ledger request. Callers switch over it exhaustively. */
public sealed interface LedgerResult {

    /**
     * The transfer was recorded now.
     *
     * @param transfer as recorded
     */
    record Created(Transfer transfer) implements LedgerResult {
    }

    /**
     * The same request was already recorded: treat exactly like {@link Created}.
     *
     * @param transfer as recorded the first time
     */
    record Exists(Transfer transfer) implements LedgerResult {
    }

    /**
     * Nothing was recorded.
     *
     * @param reason why
     * @param detail for the log: the accounts, amounts or ids involved
     */
    record Rejected(Reason reason, String detail) implements LedgerResult {
        private static final java.util.regex.Pattern LONG_NUMBER = java.util.regex.Pattern.compile("\\d{5,}");

        /**
         * With every number of five digits or more cut to its last four, as user ids are in the log: a refusal is
         * logged as it is, and its detail names a wallet ({@code wallet:5550001}) or a transfer id that holds a
         * user's id ({@code referral:5550001}).
         */
        @Override
        public String toString() {
            String shown = detail == null ? null : LONG_NUMBER.matcher(detail)
                    .replaceAll(m -> "***" + m.group().substring(m.group().length() - 4));
            return "Rejected[reason=" + reason + ", detail=" + shown + "]";
        }
    }

    /**
     * Why a request was {@link Rejected}. A store of your own answers these as {@code LedgerContract} checks; "sticky"
     * ones are answered again for the same id, so a retry cannot succeed where the first try failed.
     */
    enum Reason {
        /** Amount ≤ 0 or above {@link Ledger#MAX_AMOUNT}. */
        INVALID_AMOUNT,
        /** Debit and credit are the same account. */
        SAME_ACCOUNT,
        /** The wallet's available balance is below the amount. Sticky for this id. */
        INSUFFICIENT_FUNDS,
        /** The id exists with other fields (a programming error or a forged replay). */
        EXISTS_WITH_DIFFERENT_FIELDS,
        /** The id failed before; a deliberate new attempt needs a new id. */
        ID_ALREADY_FAILED,
        /** No pending transfer with that id. Sticky for this id. */
        HOLD_NOT_FOUND,
        /** The hold was already posted (charged): a second resolution changes nothing. */
        ALREADY_POSTED,
        /** The hold was already voided (released). */
        ALREADY_VOIDED,
        /** The hold already expired (released at its deadline). */
        ALREADY_EXPIRED,
        /** Posting more than the hold reserved. */
        EXCEEDS_HOLD_AMOUNT;

        /**
         * The rejection for a second resolution of a hold already in {@code state}.
         *
         * @param state the hold's state now
         * @return {@code ALREADY_POSTED}, {@code ALREADY_VOIDED} or {@code ALREADY_EXPIRED}
         */
        public static Reason alreadyResolved(HoldState state) {
            return switch (state) {
                case POSTED -> ALREADY_POSTED;
                case VOIDED -> ALREADY_VOIDED;
                case EXPIRED, PENDING -> ALREADY_EXPIRED;
            };
        }
    }

    /**
     * True for {@link Created} and {@link Exists}: the requested effect is in the ledger.
     *
     * @return false only for {@link Rejected}
     */
    default boolean succeeded() {
        return !(this instanceof Rejected);
    }
}
