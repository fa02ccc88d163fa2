package dev.kiebot.core.shop;

import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.payments.StarsRefundResult;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Plural;
import dev.kiebot.core.text.Texts;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the bot records with a payment's, a refund's, a transfer request's and a delivered result's audit line, in the
 * admin's words. The writers record these notes in English for the log and the audit trail («1 result(s)»,
 * «gen_12 Created», «refunded 50 XTR, debited 5000 (Refunded[])»), and /find showed them so to a Russian admin. The
 * writers record them through {@link #with}, and the same forms are read back here by the event's action, so lines
 * recorded before read the same; a line of no known form is shown as it was recorded, labelled the bot's record.
 */
enum AuditNote {
    GEN_SUCCEEDED("gen.succeeded", "%d result(s)", Msg.FIND_EVENT_RESULTS, Kind.COUNT),
    // what the provider charged and the catalog's price, in dollars as written (ProviderCharges.usd)
    GEN_OVERCHARGED("gen.overcharged", "charged %s USD, the catalog says %s USD", Msg.FIND_EVENT_OVERCHARGED,
            Kind.DECIMAL, Kind.DECIMAL),
    GEN_DELIVERED("gen.delivered", "%d result(s) handed to the outbox", Msg.FIND_EVENT_RESULTS, Kind.COUNT),
    // the job's id: its own page
    REFUND_ADMIN_DONE("refund.admin", "%s Created", Msg.FIND_EVENT_REFUND_ADMIN_DONE, Kind.HIDDEN),
    REFUND_ADMIN_BEFORE("refund.admin", "%s Exists", Msg.FIND_EVENT_REFUND_ADMIN_BEFORE, Kind.HIDDEN),
    REFUND_ADMIN_REFUSED("refund.admin", "%s Rejected", Msg.FIND_EVENT_REFUND_ADMIN_REFUSED, Kind.HIDDEN),
    REFUND_ADMIN_STOPPED("refund.admin", "%s void true", Msg.FIND_EVENT_REFUND_ADMIN_STOPPED, Kind.HIDDEN),
    REFUND_ADMIN_NOT_STOPPED("refund.admin", "%s void false", Msg.FIND_EVENT_REFUND_ADMIN_NOT_STOPPED, Kind.HIDDEN),
    // a delivered result whose file the provider no longer has; the job's id: its own page
    RESULT_GONE_REFUNDED("gen.result_gone", "%s Created", Msg.FIND_EVENT_REFUND_ADMIN_DONE, Kind.HIDDEN),
    RESULT_GONE_BEFORE("gen.result_gone", "%s Exists", Msg.FIND_EVENT_REFUND_ADMIN_BEFORE, Kind.HIDDEN),
    RESULT_GONE_REFUSED("gen.result_gone", "%s Rejected", Msg.FIND_EVENT_REFUND_ADMIN_REFUSED, Kind.HIDDEN),
    RESULT_GONE_FREE("gen.result_gone", "%s free use given back", Msg.FIND_EVENT_FREE_GIVEN_BACK, Kind.HIDDEN),
    // a job delivered unpaid (Generations.deliveredUnpaid): nothing was taken, nothing to give back
    RESULT_GONE_UNPAID("gen.result_gone", "%s delivered unpaid: nothing to refund", Msg.FIND_EVENT_UNPAID_NOTHING_BACK,
            Kind.HIDDEN),
    // some of the job in his chat already, or maybe (UnsentResults.gone): not refunded
    RESULT_GONE_PART("gen.result_gone", "%s not refunded: some of it reached the user", Msg.FIND_EVENT_RESULT_GONE_PART,
            Kind.HIDDEN),
    // a job's file gone with others still to be sent after it: decided at the last of them
    RESULT_GONE_REST("gen.result_gone", "%s not refunded yet: other results to send", Msg.FIND_EVENT_RESULT_GONE_REST,
            Kind.HIDDEN),
    // a result that surely did not reach the chat (its upload and its link refused, or deferred past a day), or may
    // not have: the job given back, or why not (Generations.resultNotSent); the job's id: its own page
    RESULT_NOT_SENT_REFUNDED(Generations.RESULT_NOT_SENT, "%s Created", Msg.FIND_EVENT_REFUND_ADMIN_DONE, Kind.HIDDEN),
    RESULT_NOT_SENT_BEFORE(Generations.RESULT_NOT_SENT, "%s Exists", Msg.FIND_EVENT_REFUND_ADMIN_BEFORE, Kind.HIDDEN),
    RESULT_NOT_SENT_REFUSED(Generations.RESULT_NOT_SENT, "%s Rejected", Msg.FIND_EVENT_REFUND_ADMIN_REFUSED,
            Kind.HIDDEN),
    RESULT_NOT_SENT_FREE(Generations.RESULT_NOT_SENT, "%s free use given back", Msg.FIND_EVENT_FREE_GIVEN_BACK,
            Kind.HIDDEN),
    RESULT_NOT_SENT_UNPAID(Generations.RESULT_NOT_SENT, "%s delivered unpaid: nothing to refund",
            Msg.FIND_EVENT_UNPAID_NOTHING_BACK, Kind.HIDDEN),
    RESULT_NOT_SENT_PART(Generations.RESULT_NOT_SENT, "%s not refunded: some of it reached the user",
            Msg.FIND_EVENT_RESULT_GONE_PART, Kind.HIDDEN),
    RESULT_NOT_SENT_REST(Generations.RESULT_NOT_SENT, "%s not refunded yet: other results to send",
            Msg.FIND_EVENT_RESULT_GONE_REST, Kind.HIDDEN),
    TOPUP_STARS("topup.stars", "%d XTR -> %d", Msg.FIND_EVENT_TOPUP_STARS, Kind.COUNT, Kind.MONEY),
    // /reconcile_stars's credit of a payment whose invoice was lost (a restore): at its pack's amount; the admin masked
    TOPUP_STARS_BY_PACK(StarsReconciliation.CREDITED_BY_PACK, "by pack, invoice not on record: %d XTR -> %d; admin %s",
            Msg.FIND_EVENT_TOPUP_STARS_BY_PACK, Kind.COUNT, Kind.MONEY, Kind.TEXT),
    REFUND_STARS_REPORTED("refund.stars", "debited %d of %d", Msg.FIND_EVENT_REFUND_STARS_REPORTED, Kind.MONEY,
            Kind.MONEY),
    REFUND_STARS_ASKED("refund.stars", "refunded %d XTR, debited %d (%s)", Msg.FIND_EVENT_REFUND_STARS_ASKED,
            Kind.COUNT, Kind.MONEY, Kind.ANSWER),
    REPORTED_AFTER_ADMIN("refund.stars_reported", "taken by an admin's refund: %d",
            Msg.FIND_EVENT_REPORTED_AFTER_ADMIN, Kind.MONEY),
    REPORTED_HOLD_GIVEN_BACK("refund.stars_reported", "taken by the refund Telegram reported; the hold is given back",
            Msg.FIND_EVENT_REPORTED_HOLD_GIVEN_BACK),
    REPORTED_BEFORE_ASKED("refund.stars_reported", "Telegram reported the refund before it was asked",
            Msg.FIND_EVENT_REPORTED_BEFORE_ASKED),
    REPORTED_UNCREDITED("refund.stars_reported", "refunded by an admin's request; nothing was credited",
            Msg.FIND_EVENT_REPORTED_UNCREDITED),
    REFUSED_BALANCE("refund.stars_refused", "balance %d < %d", Msg.FIND_EVENT_REFUSED_BALANCE, Kind.MONEY,
            Kind.MONEY),
    NOT_ASKED_HOLD("refund.stars_not_asked", "the hold would not outlast Telegram's answer",
            Msg.FIND_EVENT_NOT_ASKED_HOLD),
    NOT_ASKED_WAITED("refund.stars_not_asked", "the request waited too long to go out; nothing was credited",
            Msg.FIND_EVENT_NOT_ASKED_WAITED),
    FAILED_UNCREDITED("refund.stars_failed", "%s; nothing was credited", Msg.FIND_EVENT_FAILED_UNCREDITED,
            Kind.TEXT),
    FAILED("refund.stars_failed", "%s", Msg.FIND_EVENT_FAILED, Kind.TEXT),
    // no answer said what became of the request (StarsRefundResult.Unknown): what failed
    UNANSWERED_UNCREDITED("refund.stars_unanswered", "%s; nothing was credited",
            Msg.FIND_EVENT_UNANSWERED_UNCREDITED, Kind.TEXT),
    UNANSWERED("refund.stars_unanswered", "%s; the hold is kept", Msg.FIND_EVENT_UNANSWERED, Kind.TEXT),
    // the sweeper's, before HOLD_LOST: that form reads any line
    HOLD_EXPIRED("refund.stars_hold_lost", "the bot stopped before Telegram's answer was recorded; the hold expired",
            Msg.FIND_EVENT_HOLD_EXPIRED),
    HOLD_LOST("refund.stars_hold_lost", "%s", Msg.FIND_EVENT_HOLD_LOST, Kind.ANSWER),
    // Telegram's report completed an admin's refund not answered yet (or never: the bot stopped): the admins told
    HOLD_POSTED_BY_REPORT(TopUps.REPORTED_TOLD, "Telegram's report completed an admin's refund; the admins were told",
            Msg.FIND_EVENT_HOLD_POSTED_BY_REPORT),
    // a Stars refund that took back less than the charge credited: the rest, of the charge's credit; the admins told
    STARS_REFUND_LOSS(TopUps.LOSS_TOLD, "%d of %d was spent before the refund: the shop's loss; the admins were told",
            Msg.FIND_EVENT_STARS_REFUND_LOSS, Kind.MONEY, Kind.MONEY),
    UNCREDITED_REPORTED("refund.stars_uncredited",
            "%d XTR given back by Telegram; nothing was credited, nothing debited",
            Msg.FIND_EVENT_UNCREDITED_REPORTED, Kind.COUNT),
    UNCREDITED_ASKED("refund.stars_uncredited", "refunded %d XTR; nothing was credited, nothing debited (%s)",
            Msg.FIND_EVENT_UNCREDITED_ASKED, Kind.COUNT, Kind.ANSWER),
    UNKNOWN_CHARGE("refund.stars_unknown", "%d XTR, no such charge of this user", Msg.FIND_EVENT_UNKNOWN_CHARGE,
            Kind.COUNT),
    // a transfer request's lines: its reference is the page's own, and the amount is said in the admin's format
    MANUAL_REQUESTED("manual.requested", "%s %s", Msg.FIND_EVENT_MANUAL_REQUESTED, Kind.EN_MONEY, Kind.HIDDEN),
    MANUAL_CLAIMED_PAID("manual.claimed_paid", "%s", null, Kind.HIDDEN),
    MANUAL_RECEIPT("manual.receipt", "%s", null, Kind.HIDDEN),
    MANUAL_DECLINED("manual.declined", "%s", null, Kind.HIDDEN),
    MANUAL_APPROVED("manual.approved", "%s +%d", Msg.FIND_EVENT_MANUAL_APPROVED, Kind.HIDDEN, Kind.MONEY),
    MANUAL_EXPIRED("manual.expired", "%s", null, Kind.HIDDEN),
    // a payment of a partner's own provider (ExternalTopUps): the provider and its payment id, then the amounts
    // the friend (masked), what he paid, the inviter's bonus
    REFERRAL_CREDITED(Referrals.CREDITED, "friend %s paid %d, bonus %d", Msg.FIND_EVENT_REFERRAL_CREDITED, Kind.TEXT,
            Kind.MONEY, Kind.MONEY),
    // the friend (masked), the bonus taken back: his payment refunded (and every line recorded before the next form)
    REFERRAL_REVERSED(Referrals.REVERSED, "friend %s was refunded, bonus taken back %d",
            Msg.FIND_EVENT_REFERRAL_REVERSED, Kind.TEXT, Kind.MONEY),
    // an admin's /debit_user of the friend: it was recorded as a refund, and the admins read that none was made
    REFERRAL_DEBITED(Referrals.REVERSED, "friend %s was debited by an admin, bonus taken back %d",
            Msg.FIND_EVENT_REFERRAL_DEBITED, Kind.TEXT, Kind.MONEY),
    EXTERNAL_CREDITED(ExternalTopUps.CREDITED, "%s %s -> %d", Msg.FIND_EVENT_EXTERNAL_CREDITED, Kind.TEXT,
            Kind.TEXT, Kind.MONEY),
    EXTERNAL_REFUNDED_SHORT(ExternalTopUps.REFUNDED,
            "%s %s: took back %d of %d; %d was spent before the refund: the shop's loss",
            Msg.FIND_EVENT_EXTERNAL_REFUNDED_SHORT, Kind.TEXT, Kind.TEXT, Kind.MONEY, Kind.MONEY, Kind.MONEY),
    EXTERNAL_REFUNDED(ExternalTopUps.REFUNDED, "%s %s: took back %d of %d", Msg.FIND_EVENT_EXTERNAL_REFUNDED,
            Kind.TEXT, Kind.TEXT, Kind.MONEY, Kind.MONEY),
    // a refund of part of the payment: the provider's refund id and amount, what the wallet gave of it
    EXTERNAL_REFUNDED_PART_SHORT(ExternalTopUps.REFUNDED,
            "%s %s: refund %s of %d, took back %d; %d was spent before the refund: the shop's loss",
            Msg.FIND_EVENT_EXTERNAL_REFUNDED_PART_SHORT, Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.MONEY, Kind.MONEY,
            Kind.MONEY),
    EXTERNAL_REFUNDED_PART(ExternalTopUps.REFUNDED, "%s %s: refund %s of %d, took back %d",
            Msg.FIND_EVENT_EXTERNAL_REFUNDED_PART, Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.MONEY, Kind.MONEY);

    /** What a value of a note is, to say it. */
    private enum Kind {
        /** Said as it was recorded: Telegram's own answer. */
        TEXT,
        /** A number (Stars, results). */
        COUNT,
        /** Minor units, in the admin's format. */
        MONEY,
        /** An amount written in English's format ({@code 1,499.00 ₽}), in the admin's. */
        EN_MONEY,
        /** A plain decimal ({@code 0.0205}), with the admin's decimal mark. */
        DECIMAL,
        /** Telegram's answer to a refund as {@link #answer} wrote it. */
        ANSWER,
        /** What the page says already (the job's id, the request's reference). */
        HIDDEN
    }

    private final String action;
    @SuppressWarnings("ImmutableEnumChecker") // RecordedForm has final fields only (a String, a Pattern)
    private final RecordedForm form;
    /** The admin's words; null for a note that says nothing the page does not. */
    private final Msg words;
    @SuppressWarnings("ImmutableEnumChecker") // private, filled by the constructor, never written after
    private final Kind[] kinds;

    AuditNote(String action, String form, Msg words, Kind... kinds) {
        this.action = action;
        this.form = new RecordedForm(form);
        this.words = words;
        this.kinds = kinds;
    }

    /** The note as the writer records it in the audit line. */
    String with(Object... values) {
        return form.with(values);
    }

    /** An admin's refund of a finished job, by what the ledger answered. */
    static AuditNote refundAdmin(LedgerResult r) {
        if (r instanceof LedgerResult.Created) {
            return REFUND_ADMIN_DONE;
        }
        return r instanceof LedgerResult.Exists ? REFUND_ADMIN_BEFORE : REFUND_ADMIN_REFUSED;
    }

    /** The refund of a result gone at the provider, by what the ledger answered. */
    static AuditNote resultGone(LedgerResult r) {
        if (r instanceof LedgerResult.Created) {
            return RESULT_GONE_REFUNDED;
        }
        return r instanceof LedgerResult.Exists ? RESULT_GONE_BEFORE : RESULT_GONE_REFUSED;
    }

    /** The refund of a job none of whose results reached the chat, the last not sent, by what the ledger answered. */
    static AuditNote resultNotSent(LedgerResult r) {
        if (r instanceof LedgerResult.Created) {
            return RESULT_NOT_SENT_REFUNDED;
        }
        return r instanceof LedgerResult.Exists ? RESULT_NOT_SENT_BEFORE : RESULT_NOT_SENT_REFUSED;
    }

    /**
     * The admin's words of a line that a job's file is missing and its money not given back (some of it came, or its
     * other files were still to go), when nothing was taken for the job: delivered unpaid
     * ({@link Generations#deliveredUnpaid}), or free (a free use, no money), each said as such; «деньги не
     * возвращены» read as if it had been charged. Read from the line as recorded, so lines written before read so
     * too; empty for any other line.
     *
     * @param free the job is a free generation (else: delivered unpaid)
     */
    static Optional<String> unpaidWords(Texts texts, String lang, String action, String recorded, boolean free) {
        for (AuditNote note : List.of(RESULT_GONE_PART, RESULT_NOT_SENT_PART, RESULT_GONE_REST, RESULT_NOT_SENT_REST)) {
            if (note.action.equals(action) && note.reads(recorded)) {
                boolean part = note.words == Msg.FIND_EVENT_RESULT_GONE_PART;
                return Optional.of(texts.get(lang, free
                        ? part ? Msg.FIND_EVENT_RESULT_GONE_PART_FREE : Msg.FIND_EVENT_RESULT_GONE_REST_FREE
                        : part ? Msg.FIND_EVENT_RESULT_GONE_PART_UNPAID : Msg.FIND_EVENT_RESULT_GONE_REST_UNPAID));
            }
        }
        return Optional.empty();
    }

    /** Telegram's answer to a refund, as recorded. */
    private enum Answer {
        REFUNDED("Refunded[]", Msg.FIND_ANSWER_REFUNDED),
        ALREADY_REFUNDED("AlreadyRefunded[]", Msg.FIND_ANSWER_ALREADY_REFUNDED),
        FAILED("Failed[reason=%s]", Msg.FIND_ANSWER_FAILED),
        UNKNOWN("Unknown[reason=%s]", Msg.FIND_ANSWER_UNKNOWN),
        REPORTED("reported by Telegram; its answer: %s", Msg.FIND_ANSWER_REPORTED);

        @SuppressWarnings("ImmutableEnumChecker") // RecordedForm has final fields only (a String, a Pattern)
        private final RecordedForm form;
        private final Msg words;

        Answer(String form, Msg words) {
            this.form = new RecordedForm(form);
            this.words = words;
        }
    }

    /** Telegram's answer to a refund as the audit line records it. */
    static String answer(StarsRefundResult answer) {
        if (answer instanceof StarsRefundResult.Failed f) {
            return Answer.FAILED.form.with(f.reason());
        }
        if (answer instanceof StarsRefundResult.Unknown u) {
            return Answer.UNKNOWN.form.with(u.reason());
        }
        return (answer instanceof StarsRefundResult.Refunded ? Answer.REFUNDED : Answer.ALREADY_REFUNDED).form.with();
    }

    /** Telegram refunded the Stars after a request whose own answer was an error. */
    static String reportedAnswer(String reason) {
        return Answer.REPORTED.form.with(reason);
    }

    private static String answerWords(Texts texts, String lang, String recorded) {
        for (Answer a : Answer.values()) {
            Optional<List<String>> values = a.form.read(recorded);
            if (values.isPresent()) {
                return texts.get(lang, a.words, values.get().toArray());
            }
        }
        return texts.get(lang, Msg.FIND_ANSWER_FAILED, recorded);
    }

    /** Whether the line records a job's refund made then (an admin's, a gone result's, a result not sent's). */
    static boolean refundMade(String action, String recorded) {
        return List.of(REFUND_ADMIN_DONE, RESULT_GONE_REFUNDED, RESULT_NOT_SENT_REFUNDED).stream()
                .anyMatch(n -> n.action.equals(action) && n.reads(recorded));
    }

    /** Whether {@code recorded} (a line's detail, of this note's action) is of this note's form. */
    boolean reads(String recorded) {
        return form.read(recorded).isPresent();
    }

    /** Whether some note is recorded with {@code action}: its lines are said by {@link #words}. */
    static boolean knows(String action) {
        return Arrays.stream(values()).anyMatch(n -> n.action.equals(action));
    }

    /**
     * An audit line's note in the admin's words, read by its action's forms; empty when it says nothing the page does
     * not. A note of no known form is shown as recorded, labelled the bot's record.
     */
    static Optional<String> words(Texts texts, Pricing pricing, String lang, String action, String recorded) {
        for (AuditNote note : values()) {
            if (!note.action.equals(action)) {
                continue;
            }
            Optional<List<String>> values = note.form.read(recorded);
            if (values.isPresent()) {
                if (note.words == null) {
                    return Optional.empty();
                }
                Object[] args = new Object[values.get().size()];
                for (int i = 0; i < args.length; i++) {
                    args[i] = note.say(texts, pricing, lang, i, values.get().get(i));
                }
                return Optional.of(texts.get(lang, note.words, args));
            }
        }
        return recorded.isBlank() ? Optional.empty() : Optional.of(texts.get(lang, Msg.FIND_NOTE_RECORDED, recorded));
    }

    private Object say(Texts texts, Pricing pricing, String lang, int i, String value) {
        return switch (kinds[i]) {
            case TEXT, COUNT, HIDDEN -> value;
            case MONEY -> money(pricing, lang, value);
            case DECIMAL -> value.matches("\\d{1,12}(\\.\\d{1,12})?") ? Plural.decimal(lang, value) : value;
            case EN_MONEY -> {
                String digits = value.replaceAll("[^0-9]", "");
                yield digits.isEmpty() ? value : money(pricing, lang, digits);
            }
            case ANSWER -> answerWords(texts, lang, value);
        };
    }

    private static String money(Pricing pricing, String lang, String minor) {
        try {
            return pricing.format(Long.parseLong(minor), lang);
        } catch (NumberFormatException e) {
            return minor;
        }
    }
}
