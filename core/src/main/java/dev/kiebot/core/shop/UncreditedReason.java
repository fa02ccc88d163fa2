package dev.kiebot.core.shop;

import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.util.List;
import java.util.Optional;

/**
 * Why a Stars payment was not credited. The payment's record ({@code uncredited_charges.reason}) and its
 * {@code payment.anomaly} audit line keep the reason in the English form {@link TopUps} has always written, which a
 * developer finds in the log and the code; an admin reads it in the admin's language, said from the reason itself
 * ({@link #words}). Reading the recorded form back ({@link Said#read}) needs no change to the stored rows: those
 * written before this enum have the same forms.
 */
enum UncreditedReason {
    NO_INVOICE("no invoice with this payload"),
    OTHER_USERS_INVOICE("invoice of another user"),
    /** The currency the payment named. */
    WRONG_CURRENCY("currency %s instead of " + TopUps.STARS),
    /** The Stars paid, then the Stars invoiced. */
    WRONG_AMOUNT("amount %s instead of %s"),
    /**
     * The payment named no amount (Telegram always sends one: malformed, or forged); the Stars invoiced. Not
     * {@link #WRONG_AMOUNT}'s «paid 0»: the Stars may have been taken all the same.
     */
    NO_AMOUNT("no amount given; the invoice is for %s"),
    /** Kept as not credited when its handling failed before: its Stars may be on their way back already. */
    KEPT_BEFORE("kept as not credited before"),
    ALREADY_PAID("invoice already paid or charge id reused"),
    /** The ledger's refusal as it recorded it ({@code Rejected[reason=…, detail=…]}). */
    LEDGER_REFUSED("the ledger refused the credit: %s"),
    HANDLING_FAILED("handling failed and was rolled back"),
    /** Given up with no answer: its handling failed, then its apology (which keeps it as {@link #HANDLING_FAILED}). */
    GIVEN_UP("given up with no answer: its handling and its apology failed");

    @SuppressWarnings("ImmutableEnumChecker") // RecordedForm has final fields only (a String, a Pattern)
    private final RecordedForm form;

    UncreditedReason(String recorded) {
        this.form = new RecordedForm(recorded);
    }

    /** This reason with the values it names, in its recorded form's order. */
    Said with(Object... values) {
        return new Said(this, List.of(values).stream().map(String::valueOf).toList());
    }

    /** The admin's words for it; exhaustive, so that a new reason cannot reach an admin in English. */
    Msg words() {
        return switch (this) {
            case NO_INVOICE -> Msg.UNCREDITED_NO_INVOICE;
            case OTHER_USERS_INVOICE -> Msg.UNCREDITED_OTHER_USERS_INVOICE;
            case WRONG_CURRENCY -> Msg.UNCREDITED_WRONG_CURRENCY;
            case WRONG_AMOUNT -> Msg.UNCREDITED_WRONG_AMOUNT;
            case NO_AMOUNT -> Msg.UNCREDITED_NO_AMOUNT;
            case KEPT_BEFORE -> Msg.UNCREDITED_KEPT_BEFORE;
            case ALREADY_PAID -> Msg.UNCREDITED_ALREADY_PAID;
            case LEDGER_REFUSED -> Msg.UNCREDITED_LEDGER_REFUSED;
            case HANDLING_FAILED -> Msg.UNCREDITED_HANDLING_FAILED;
            case GIVEN_UP -> Msg.UNCREDITED_GIVEN_UP;
        };
    }

    /**
     * A reason with its values.
     *
     * @param values what the recorded form names ({@code %s}), in its order
     */
    record Said(UncreditedReason reason, List<String> values) {
        Said {
            values = List.copyOf(values);
        }

        /** The English form kept in the payment's record and its audit line. */
        String recorded() {
            return reason.form.with(values.toArray());
        }

        /** A recorded reason read back; empty for a text no version of {@link TopUps} wrote. */
        static Optional<Said> read(String recorded) {
            for (UncreditedReason r : UncreditedReason.values()) {
                Optional<List<String>> values = r.form.read(recorded);
                if (values.isPresent()) {
                    return Optional.of(new Said(r, values.get()));
                }
            }
            return Optional.empty();
        }

        /** In the admin's language: the ledger's refusal in words too, not its code. */
        String words(Texts texts, String lang) {
            Object[] args = reason == LEDGER_REFUSED
                    ? new Object[] {LedgerRefusals.words(texts, lang, values.get(0))} : values.toArray();
            return texts.get(lang, reason.words(), args);
        }

        /**
         * A recorded reason in the admin's language. A text no version of {@link TopUps} wrote is shown as it was
         * recorded, said to be that, rather than left out: it is all there is of why.
         */
        static String words(Texts texts, String lang, String recorded) {
            return read(recorded).map(s -> s.words(texts, lang))
                    .orElseGet(() -> texts.get(lang, Msg.UNCREDITED_RECORDED, recorded));
        }
    }
}
