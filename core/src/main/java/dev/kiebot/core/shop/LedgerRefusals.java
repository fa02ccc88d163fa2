package dev.kiebot.core.shop;

import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why the ledger said no, in the admin's words: an admin read «учёт не принял перевод (код SAME_ACCOUNT)». The
 * ledger's own code stays in the log and the audit trail, where a developer looks for it.
 */
final class LedgerRefusals {
    /** A refusal as the audit trail recorded it: {@code Rejected[reason=SAME_ACCOUNT, detail=…]}. */
    private static final Pattern RECORDED = Pattern.compile("reason=([A-Z_]+)");

    private LedgerRefusals() {
    }

    /** Exhaustive, so that a new reason cannot reach an admin as its name. */
    static Msg words(LedgerResult.Reason reason) {
        return switch (reason) {
            case INVALID_AMOUNT -> Msg.LEDGER_INVALID_AMOUNT;
            case SAME_ACCOUNT -> Msg.LEDGER_SAME_ACCOUNT;
            case INSUFFICIENT_FUNDS -> Msg.LEDGER_INSUFFICIENT_FUNDS;
            case EXISTS_WITH_DIFFERENT_FIELDS -> Msg.LEDGER_EXISTS_WITH_DIFFERENT_FIELDS;
            case ID_ALREADY_FAILED -> Msg.LEDGER_ID_ALREADY_FAILED;
            case HOLD_NOT_FOUND -> Msg.LEDGER_HOLD_NOT_FOUND;
            case ALREADY_POSTED -> Msg.LEDGER_ALREADY_POSTED;
            case ALREADY_VOIDED -> Msg.LEDGER_ALREADY_VOIDED;
            case ALREADY_EXPIRED -> Msg.LEDGER_ALREADY_EXPIRED;
            case EXCEEDS_HOLD_AMOUNT -> Msg.LEDGER_EXCEEDS_HOLD_AMOUNT;
        };
    }

    static String words(Texts texts, String lang, LedgerResult.Reason reason) {
        return texts.get(lang, words(reason));
    }

    /** A refusal an admin's command met, in words: an amount out of bounds is his to correct, not the ledger's code. */
    static String toAdmin(Texts texts, String lang, LedgerResult.Rejected r) {
        return r.reason() == LedgerResult.Reason.INVALID_AMOUNT ? texts.get(lang, Msg.ADMIN_AMOUNT_INVALID)
                : texts.get(lang, Msg.ADMIN_LEDGER_REFUSED, words(texts, lang, r.reason()));
    }

    /** A refusal the audit trail recorded, in words; one whose reason cannot be read is said to be a refusal. */
    static String words(Texts texts, String lang, String recorded) {
        return read(recorded).map(r -> words(texts, lang, r))
                .orElseGet(() -> texts.get(lang, Msg.LEDGER_REFUSED_UNREAD));
    }

    static Optional<LedgerResult.Reason> read(String recorded) {
        Matcher m = RECORDED.matcher(recorded);
        String name = m.find() ? m.group(1) : recorded.strip();
        return Arrays.stream(LedgerResult.Reason.values()).filter(r -> r.name().equals(name)).findFirst();
    }
}
