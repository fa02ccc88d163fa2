package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.intake.Inbox;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.Phase;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.ChargeRecord;
import dev.kiebot.core.payments.Invoice;
import dev.kiebot.core.payments.Payments;
import dev.kiebot.core.payments.StarsCharge;
import dev.kiebot.core.payments.UncreditedCharge;
import dev.kiebot.core.payments.UncreditedRefund;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Money coming in: Stars invoices, pre-checkout answers from persisted state, crediting on
 * {@code successful_payment}, refunds Telegram reports, and the welcome bonus.
 *
 * <p>A payment credits only what the bot itself issued: an invoice of this bot, to this user, in Stars,
 * for exactly its amount; each charge once. An invoice paid from two devices at once credits both charges: both
 * pre-checkouts are answered before either payment arrives, Telegram took both, and the second's Stars must not wait
 * for an admin. Anything else credits nothing, is audited as an anomaly with the
 * update id, alerts the admins once per charge, and is kept as an uncredited payment that an admin can have
 * Telegram refund (see {@link StarsRefundDesk}). The amount credited always comes from the invoice, never from the
 * update.
 */
final class TopUps {
    public static final String STARS = "XTR";
    static final String ANOMALY = "payment.anomaly";
    /** The admins told that Telegram's report completed an admin's refund of a charge ({@link #refunded}). */
    static final String REPORTED_TOLD = "alert.stars_refund_reported";
    /** The audit action of the admins told of a Stars refund a shop keeping no Stars payments cannot match. */
    static final String UNKNOWN_UNKEPT_TOLD = "alert.stars_refund_unknown_unkept";
    /** The audit action of the admins told that a Stars refund took back less than the charge credited. */
    static final String LOSS_TOLD = "alert.stars_refund_loss";
    /** An {@link #ANOMALY}'s audit line: why the payment was not credited, then the update that brought it. */
    static final RecordedForm ANOMALY_NOTE = new RecordedForm("%s; update %d");

    private final Stores stores;
    private final Pricing pricing;
    private final Texts texts;
    private final CreditNotice creditNotice;
    private final Referrals referrals;
    private final ShopSettings settings;
    private final Clock clock;
    /** WELCOME_DAILY_TOTAL: welcome bonuses a day, every new user together; empty for no cap. */
    private final OptionalInt welcomeDailyTotal;
    private final Outbox outbox;
    private final HeldStarsRefunds held;
    /** The day this instance knows the admins were told its welcome bonuses ran out (the audit trail says it for all). */
    private final AtomicReference<LocalDate> welcomesToldOn = new AtomicReference<>();

    TopUps(Stores stores, Pricing pricing, Texts texts, ShopSettings settings, Clock clock, Referrals referrals,
           OptionalInt welcomeDailyTotal, Outbox outbox) {
        this.stores = stores;
        this.pricing = pricing;
        this.texts = texts;
        this.creditNotice = new CreditNotice(stores, texts, pricing);
        this.referrals = referrals;
        this.settings = settings;
        this.clock = clock;
        this.welcomeDailyTotal = welcomeDailyTotal;
        this.outbox = outbox;
        this.held = new HeldStarsRefunds(stores, clock);
    }

    public Reply invoice(User user, long chatId, Effect.IssueInvoice e) {
        String payload = "topup:" + UUID.randomUUID();
        stores.payments().saveInvoice(new Invoice(payload, user.id(), e.stars(), e.amount(), clock.instant()));
        String lang = user.language();
        return new Reply.SendInvoice(chatId, texts.get(lang, Msg.TOPUP_INVOICE_TITLE),
                texts.get(lang, Msg.TOPUP_INVOICE_DESCRIPTION, pricing.format(e.amount(), lang)), payload, e.stars());
    }

    /**
     * Answers from the stored invoice alone, so it is fast and survives restarts: yes only to an invoice of this bot,
     * to this user, in Stars, for its amount, still payable ({@link Invoice#payableAt}: not paid, not too old).
     */
    public Reply preCheckout(User user, long chatId, Effect.AnswerPreCheckout e) {
        Instant now = clock.instant();
        boolean ok = mismatch(user, e.payload(), e.currency(), e.totalAmount()).isEmpty()
                && stores.payments().invoice(e.payload()).filter(i -> i.payableAt(now)).isPresent();
        return new Reply.AnswerPreCheckout(chatId, e.queryId(), ok,
                ok ? Optional.empty() : Optional.of(texts.get(user.language(), Msg.PRECHECKOUT_UNKNOWN)));
    }

    /**
     * The chat message for a pre-checkout whose yes came too late for Telegram: the payment did not go through,
     * nothing was charged, try again, with the package's button while the shop still sells it (a new invoice at
     * today's price), otherwise the way home.
     */
    Reply answeredTooLate(User user, long chatId, Event.PreCheckout asked) {
        String lang = user.language();
        // told only of a yes, which came after the invoice was read and matched: its Stars are the invoice's, and
        // made for every pre-checkout, a second read of the invoice here was spent inside Telegram's 10 s
        long stars = asked.totalAmount();
        Keyboard keyboard = settings.starsPackages().contains(stars)
                ? Keyboard.of(List.of(Button.callback(texts.get(lang, Msg.BUTTON_TOPUP_PACK, texts.get(lang,
                        Msg.TOPUP_PACKAGE, stars, pricing.format(stars * settings.starPrice(), lang))),
                        CallbackData.evergreen(CallbackAction.STARS_PACK, Long.toString(stars)))))
                : HomeButton.keyboard(texts, lang);
        return new Reply.SendText(chatId, texts.get(lang, Msg.PRECHECKOUT_TOO_LATE), keyboard);
    }

    /** Why a payment does not match an invoice this bot issued to this user; empty when it does. */
    private Optional<UncreditedReason.Said> mismatch(User user, String payload, String currency, long totalAmount) {
        Optional<Invoice> invoice = stores.payments().invoice(payload);
        if (invoice.isEmpty()) {
            return Optional.of(UncreditedReason.NO_INVOICE.with());
        }
        if (invoice.get().userId() != user.id()) {
            return Optional.of(UncreditedReason.OTHER_USERS_INVOICE.with());
        }
        if (!STARS.equals(currency)) {
            return Optional.of(UncreditedReason.WRONG_CURRENCY.with(currency));
        }
        if (totalAmount == 0) {
            // no Stars payment is of 0: the platform gave no amount, and said as «paid 0» the admin took it for nothing
            return Optional.of(UncreditedReason.NO_AMOUNT.with(invoice.get().stars()));
        }
        if (totalAmount != invoice.get().stars()) {
            return Optional.of(UncreditedReason.WRONG_AMOUNT.with(totalAmount, invoice.get().stars()));
        }
        return Optional.empty();
    }

    /**
     * Credits a Stars payment of one of our invoices, once. A re-delivered payment credits and says
     * nothing; anything that is not exactly our invoice is an anomaly.
     */
    public List<Reply> credit(User user, long chatId, long updateId, Effect.CreditStars e) {
        Optional<UncreditedReason.Said> wrong = mismatch(user, e.payload(), e.currency(), e.totalAmount());
        if (wrong.isPresent()) {
            return anomaly(user, chatId, updateId, e, wrong.get());
        }
        if (stores.payments().uncredited(e.chargeId()).isPresent()) {
            // kept as not credited before (its handling failed): its Stars may be on their way back already
            return anomaly(user, chatId, updateId, e, UncreditedReason.KEPT_BEFORE.with());
        }
        Invoice invoice = stores.payments().invoice(e.payload()).orElseThrow();
        ChargeRecord record = stores.payments().recordCharge(new StarsCharge(e.chargeId(), user.id(), e.payload(),
                e.totalAmount(), invoice.amount(), clock.instant()));
        if (record == ChargeRecord.CONFLICT) {
            return anomaly(user, chatId, updateId, e, UncreditedReason.ALREADY_PAID.with());
        }
        // NEW, or REPLAYED after a crash between recording and crediting: the ledger id makes it once
        AccountId wallet = AccountId.wallet(user.id());
        LedgerResult r = stores.ledger().transfer(creditId(e.chargeId()), AccountId.STARS_CLEARING, wallet,
                invoice.amount(), TransferKind.TOP_UP_STARS);
        if (r instanceof LedgerResult.Rejected rejected) {
            return anomaly(user, chatId, updateId, e, UncreditedReason.LEDGER_REFUSED.with(rejected));
        }
        if (!(r instanceof LedgerResult.Created)) {
            return List.of(); // credited before: a re-delivered payment says nothing
        }
        stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(user.id()), "topup.stars",
                AuditNote.TOPUP_STARS.with(e.totalAmount(), invoice.amount()), Optional.of(e.chargeId())));
        MoneyLog.moved(stores, pricing, "Stars payment of " + e.totalAmount() + " XTR credited", user.id(),
                invoice.amount(), e.chargeId());
        long balance = stores.ledger().balance(wallet).available();
        List<Reply> out = new ArrayList<>(List.of(creditNotice.to(chatId, user.language(), invoice.amount(), balance,
                false)));
        referrals.paid(user.id(), invoice.amount()).ifPresent(out::add);
        return out;
    }

    static String creditId(String chargeId) {
        return "stars:" + chargeId;
    }

    /** Nothing credited: audit it, keep it refundable, tell the user where to turn, alert the admins once. */
    private List<Reply> anomaly(User user, long chatId, long updateId, Effect.CreditStars e,
                                UncreditedReason.Said reason) {
        boolean kept = keepUncredited(user.id(), e.chargeId(), e.payload(), e.totalAmount(), reason);
        return notCredited(user.id(), user.language(), chatId, updateId, e.chargeId(), reason, toUser(reason.reason()),
                kept);
    }

    /**
     * What the user is told of a payment not credited. «Not for any invoice the bot issued» only when it was not; an
     * invoice paid before, or a payment the bot failed to credit, is said as that (it is kept refundable and the
     * admins are alerted either way). Exhaustive, so that a new reason cannot tell the user what did not happen.
     */
    static Msg toUser(UncreditedReason reason) {
        return switch (reason) {
            case NO_INVOICE, OTHER_USERS_INVOICE, WRONG_CURRENCY, WRONG_AMOUNT -> Msg.PAYMENT_NOT_MATCHED;
            case ALREADY_PAID -> Msg.PAYMENT_ALREADY_PAID;
            // NO_AMOUNT: a payment of the user's own invoice that came without its amount may have taken his Stars
            case NO_AMOUNT, KEPT_BEFORE, LEDGER_REFUSED, HANDLING_FAILED, GIVEN_UP -> Msg.PAYMENT_NOT_CREDITED;
        };
    }

    /**
     * A payment whose handling failed and was rolled back: nothing was credited, and no later pass will (the update
     * is done). Like an anomaly: audited, kept refundable, the user pointed to /paysupport, the admins alerted once
     * per charge. Run it in the transaction that marks the update done, so the payment is kept with its audit.
     */
    public List<Reply> handlingFailed(long userId, String language, long chatId, long updateId,
                                      Event.SuccessfulPayment paid) {
        UncreditedReason.Said reason = UncreditedReason.HANDLING_FAILED.with();
        boolean kept = keepUncredited(userId, paid.chargeId(), paid.payload(), paid.totalAmount(), reason);
        return notCredited(userId, language, chatId, updateId, paid.chargeId(), reason, toUser(reason.reason()), kept);
    }

    /**
     * A payment given up with no answer (its handling failed, then its apology, which would have kept it): kept
     * refundable all the same, audited and the admins alerted once per charge, by the same rule as every payment not
     * credited ({@link #notCredited}), and no word to the user (what tells them failed). Before, the admins heard
     * nothing of it: its Stars waited, taken and credited nowhere, for someone to look. Run it in the transaction
     * that marks the update done.
     *
     * @param alertAdmins false to keep the charge alone: no alert and no {@link #ANOMALY} line (which says the admins
     *                    were told of it, so that the same charge come again would not tell them), for a give-up
     *                    whose alerts could not be queued; on a shop that keeps no Stars payments the charge is
     *                    then audited as {@link Inbox#GIVEN_UP_KEPT_NOWHERE} under {@code pay:<charge id>}, all that
     *                    is kept of it
     * @return the admins' alerts, to queue in that transaction; none when the charge was told before or not alerted
     */
    List<Reply> givenUp(long userId, long updateId, Event.SuccessfulPayment paid, boolean alertAdmins) {
        UncreditedReason.Said reason = UncreditedReason.GIVEN_UP.with();
        boolean kept = keepUncredited(userId, paid.chargeId(), paid.payload(), paid.totalAmount(), reason);
        if (alertAdmins) {
            return toAdminsOnce(userId, updateId, paid.chargeId(), reason, kept);
        }
        if (!kept) {
            // no store and no alert: without this line /find <charge id> knew nothing of it, only /find upd_<id>
            stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(userId), Inbox.GIVEN_UP_KEPT_NOWHERE,
                    userId + " " + paid.totalAmount() + " " + paid.currency() + "; update " + updateId,
                    Optional.of("pay:" + paid.chargeId())));
        }
        return List.of();
    }

    /**
     * Keeps a payment that credited nothing, so that an admin can have Telegram give the Stars back. Not one the
     * ledger credited (an update reusing its charge id): that one is refunded from the wallet. Nor one without a
     * charge id, which Telegram could not refund.
     *
     * <p>A shop on {@link Payments#none()} keeps no Stars store, yet a Stars payment can still reach it (its
     * pre-checkout approved by an earlier deployment that sold Stars, or a second process on the same bot token).
     * Writing it there would throw and leave the update done with the Stars taken and nothing said; instead nothing
     * is written, and the audit line and the admins' alert ({@link Msg#ADMIN_ALERT_PAYMENT_UNKEPT}: the charge id and
     * the user's id, to give the Stars back by hand) are all that is kept of it.
     *
     * @return false when the shop keeps no Stars store, so /refund_stars cannot find this payment
     */
    private boolean keepUncredited(long userId, String chargeId, String payload, long stars,
                                   UncreditedReason.Said reason) {
        if (chargeId.isBlank() || stores.ledger().find(creditId(chargeId)).isPresent()) {
            return true;
        }
        if (!stores.payments().keepsStars()) {
            return false;
        }
        stores.payments().recordUncredited(new UncreditedCharge(chargeId, userId, payload, stars, reason.recorded(),
                clock.instant()));
        return true;
    }

    /** A payment not credited: the user told where to turn, then {@link #toAdminsOnce}. */
    private List<Reply> notCredited(long userId, String language, long chatId, long updateId, String chargeId,
                                    UncreditedReason.Said reason, Msg toUser, boolean kept) {
        List<Reply> out = new ArrayList<>();
        out.add(new Reply.SendText(chatId, texts.get(language, toUser, reference(chargeId, updateId)),
                Keyboard.NONE));
        out.addAll(toAdminsOnce(userId, updateId, chargeId, reason, kept));
        return out;
    }

    /**
     * The charge id is what the user's Stars history shows and what /find and /refund_stars take; the audit trail's
     * "pay:" before it means nothing to a user, and /find does not take it. The update's code for a payment without.
     */
    private static String reference(String chargeId, long updateId) {
        return chargeId.isBlank() ? "upd_" + updateId : chargeId;
    }

    /**
     * Audits a payment not credited ({@link #ANOMALY} under {@code pay:<reference>}) and alerts the admins, unless
     * an earlier line under that correlation says they were alerted of this charge before (whatever path kept it).
     *
     * @param kept false when the shop keeps no Stars store ({@link #keepUncredited}): the alert then says that
     *             /refund_stars cannot give these Stars back, and the admin does it by hand from its ids
     * @return the admins' alerts; none when the charge was seen before
     */
    private List<Reply> toAdminsOnce(long userId, long updateId, String chargeId, UncreditedReason.Said reason,
                                     boolean kept) {
        String reference = reference(chargeId, updateId);
        String correlation = "pay:" + reference;
        boolean seenBefore = stores.audit().byCorrelation(correlation).stream()
                .anyMatch(ev -> ev.action().equals(ANOMALY));
        stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(userId), ANOMALY,
                ANOMALY_NOTE.with(reason.recorded(), updateId), Optional.of(correlation)));
        MoneyLog.notCredited(stores, "a Stars payment was not credited (" + reason.recorded() + ")", userId,
                correlation);
        List<Reply> out = new ArrayList<>();
        if (!seenBefore) {
            Optional<User> payer = stores.users().find(userId);
            for (long admin : settings.adminIds()) {
                String lang = stores.users().languageOf(admin);
                // his name with his full id, as /topup_user names him (masking is for logs): the admin acts on the
                // id, /find <id> or /refund_stars <id>; the unkept alert's text gives the bare id to type by hand
                String who = kept ? AdminSearch.named(texts, lang, payer, userId) : String.valueOf(userId);
                out.add(new Reply.SendText(admin, texts.get(lang, kept ? Msg.ADMIN_ALERT_PAYMENT
                        : Msg.ADMIN_ALERT_PAYMENT_UNKEPT, who, reason.words(texts, lang), reference, Texts.id(updateId)),
                        Keyboard.NONE));
            }
        }
        return out;
    }

    /**
     * Telegram refunded Stars. A known charge of this user: take back what is still there of what it
     * credited, once, and say so (unless an admin's refund took it and said so before). A payment of this user
     * that credited nothing takes nothing. An unknown charge changes nothing and is audited.
     */
    public List<Reply> refunded(User user, long chatId, Effect.RecordStarsRefund e) {
        Optional<UncreditedCharge> uncredited = stores.payments().uncredited(e.chargeId())
                .filter(c -> c.userId() == user.id());
        if (uncredited.isPresent()) {
            return refundedUncredited(user, chatId, uncredited.get());
        }
        // locked: an admin's refund of this charge reads and acts on its refund state after this, not meanwhile
        Optional<StarsCharge> charge = stores.payments().lockCharge(e.chargeId()).filter(c -> c.userId() == user.id());
        // then the user's turn (HeldStarsRefunds.takeUsersTurn): a job's refund against a loss at the same moment reads
        // the loss this books, or has paid the wallet that this takes back; not the wallet paid and the loss booked
        charge.ifPresent(c -> held.takeUsersTurn(c.userId()));
        String lang = user.language();
        if (charge.isEmpty()) {
            stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(user.id()), "refund.stars_unknown",
                    AuditNote.UNKNOWN_CHARGE.with(e.totalAmount()), Optional.of("pay:" + e.chargeId())));
            if (!stores.payments().keepsStars()) {
                // stores that keep no Stars payments (a shop that once sold Stars on others) cannot say whether the
                // charge credited him: the admins decide, or he keeps a credit whose Stars went back
                AuditEvent telling = new AuditEvent(clock.instant(), "system", UNKNOWN_UNKEPT_TOLD,
                        AuditNote.UNKNOWN_CHARGE.with(e.totalAmount()), Optional.of("pay:" + e.chargeId()));
                AdminAlerts.sendFirst(stores, settings, outbox, telling, Instant.EPOCH, l -> texts.get(l,
                        Msg.ADMIN_ALERT_STARS_REFUND_UNKNOWN_UNKEPT, e.chargeId(), e.totalAmount(),
                        String.valueOf(user.id())));
            }
            return List.of(new Reply.SendText(chatId, texts.get(lang, Msg.TOPUP_REFUNDED, e.totalAmount()),
                    Keyboard.NONE));
        }
        // Telegram's report of this refund again (the same refund under a new update): taken, booked, audited and
        // told by the first, whose lines the log and the trail have. Handled again, the trail said it twice and the
        // user heard again that the Stars went back
        if (StarsRefundAttempts.reportedBefore(stores, e.chargeId())) {
            return List.of();
        }
        StarsRefundAttempts.Status attempts = StarsRefundAttempts.of(stores, e.chargeId());
        if (attempts instanceof StarsRefundAttempts.Status.Refunded r) {
            stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(user.id()), "refund.stars_reported",
                    AuditNote.REPORTED_AFTER_ADMIN.with(r.amount()), Optional.of(e.chargeId())));
            return List.of();
        }
        boolean adminsAttempt = attempts instanceof StarsRefundAttempts.Status.InProgress;
        awaitHoldsResolving(user.id());
        long taken = takeBack(charge.get());
        // what running holds kept is owed from them, settled when each is resolved; only the rest was spent
        long owed = taken < charge.get().amount() ? held.owe(charge.get(), charge.get().amount() - taken) : 0;
        stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(user.id()), "refund.stars",
                AuditNote.REFUND_STARS_REPORTED.with(taken, charge.get().amount()), Optional.of(e.chargeId())));
        if (adminsAttempt) {
            tellAdminsReported(charge.get(), taken);
        }
        if (taken > 0) {
            MoneyLog.moved(stores, pricing, "Stars payment refunded by Telegram, taken back", user.id(), -taken,
                    e.chargeId());
        }
        if (owed > 0) {
            MoneyLog.lost(stores, pricing, "Stars payment refunded by Telegram, held by running jobs: owed from them",
                    user.id(), owed, e.chargeId());
        }
        bookLoss(charge.get(), taken, owed);
        long balance = stores.ledger().balance(AccountId.wallet(user.id())).available();
        List<Reply> out = new ArrayList<>(List.of(new Reply.SendText(chatId, texts.get(lang,
                Msg.TOPUP_REFUNDED_DEBITED, e.totalAmount(), pricing.format(taken, lang), pricing.format(balance, lang)),
                Keyboard.NONE)));
        // whatever the wallet still held: the payment went back to the friend's bank, so did what it earned
        referrals.refunded(user.id(), creditId(e.chargeId())).ifPresent(out::add);
        return out;
    }

    /**
     * What the refund of a charge could not take back and no running hold owes ({@link HeldStarsRefunds}: spent) is
     * booked as the shop's loss, stars refund loss → stars clearing, under one id per charge: the Stars went back
     * whole, so the clearing account is given back the whole charge (what holds owe, when they are resolved), and the
     * charge reads refunded for good
     * ({@link StarsRefundAttempts#lossId}) however little the wallet held. Without it a report that found the wallet
     * empty left no trace in the ledger: the charge still offered its Refund button, and a second report or an admin's
     * refund took the user's next top-up for it. The log and the admins hear of the loss once, when it is booked.
     */
    private void bookLoss(StarsCharge c, long taken, long owed) {
        long loss = c.amount() - taken - owed;
        if (loss <= 0) {
            return;
        }
        LedgerResult booked = stores.ledger().transfer(StarsRefundAttempts.lossId(c.chargeId()),
                AccountId.STARS_REFUND_LOSS, AccountId.STARS_CLEARING, loss, TransferKind.STARS_REFUND_LOSS);
        if (!booked.succeeded()) {
            // a system account to a system account, limited by nothing: only a broken store refuses it
            throw new IllegalStateException("the ledger refused the loss of Stars refund " + c.chargeId() + ": "
                    + booked);
        }
        if (!(booked instanceof LedgerResult.Created)) {
            return; // booked by an earlier report of the same refund (Telegram sends one again): logged and told then
        }
        MoneyLog.lost(stores, pricing, "Stars payment refunded by Telegram, spent before: the shop's loss", c.userId(),
                loss, c.chargeId());
        AuditEvent telling = new AuditEvent(clock.instant(), "system", LOSS_TOLD,
                AuditNote.STARS_REFUND_LOSS.with(loss, c.amount()), Optional.of(c.chargeId()));
        // what a running job holds is owed, not taken: said as taken, the admins looked for money on the balance
        AdminAlerts.sendFirst(stores, settings, outbox, telling, Instant.EPOCH, lang -> owed > 0
                ? texts.get(lang, Msg.ADMIN_ALERT_STARS_REFUND_LOSS_HELD, c.chargeId(), c.stars(),
                        AdminSearch.named(texts, stores, lang, c.userId()), pricing.format(taken, lang),
                        pricing.format(owed, lang),
                        pricing.format(loss, lang))
                : texts.get(lang, Msg.ADMIN_ALERT_STARS_REFUND_LOSS, c.chargeId(), c.stars(),
                        AdminSearch.named(texts, stores, lang, c.userId()), pricing.format(taken, lang),
                        pricing.format(loss, lang)));
    }

    /**
     * Telegram's report completed an admin's refund whose answer is not recorded: the hold is posted (or the uncredited
     * payment marked refunded) and the user told here. When the bot stopped while Telegram was asked, the admin who
     * asked, whose answer went with the settling that never ran, heard nothing. The admins are told, once per charge
     * ({@link #REPORTED_TOLD} in the audit trail, in this transaction); a settling still alive (the report came while
     * Telegram was asked) finds the telling and says nothing more ({@code StarsRefundDesk}), as the report and the
     * settling take turns on the charge's lock: the admin who asked hears it once either way, the other admins too.
     */
    private void tellAdminsReported(StarsCharge c, long taken) {
        tellAdminsReported(c.chargeId(), lang -> texts.get(lang, Msg.ADMIN_ALERT_STARS_REFUND_REPORTED, c.chargeId(),
                c.stars(), pricing.format(taken, lang), AdminSearch.named(texts, stores, lang, c.userId())));
    }

    private void tellAdminsReported(String chargeId, Function<String, String> textIn) {
        AuditEvent telling = new AuditEvent(clock.instant(), "system", REPORTED_TOLD, AuditNote.HOLD_POSTED_BY_REPORT
                .with(), Optional.of(chargeId));
        AdminAlerts.sendFirst(stores, settings, outbox, telling, Instant.EPOCH, textIn);
    }

    /** Whether the admins were told that Telegram's report completed an admin's refund of the charge. */
    static boolean reportTold(Stores stores, String chargeId) {
        return stores.audit().byCorrelation(chargeId).stream().anyMatch(ev -> ev.action().equals(REPORTED_TOLD));
    }

    /**
     * Telegram gave back a payment that credited nothing: the wallet is not touched, and the user is told — unless it
     * was refunded already after an admin asked, when the admin's refund (or the report that came while it was
     * asked) told them, as for a credited payment.
     */
    private List<Reply> refundedUncredited(User user, long chatId, UncreditedCharge c) {
        boolean now = stores.payments().uncreditedRefunded(c.chargeId());
        // marked before: by whom is read again now, as an admin's attempt may have been claimed and settled (telling
        // the user) between the read above and the mark; a refunded payment changes no more, so this read is final
        UncreditedCharge marked = now ? c : stores.payments().uncredited(c.chargeId()).orElse(c);
        if (!now && marked.attempt() > 0) {
            stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(user.id()), "refund.stars_reported",
                    AuditNote.REPORTED_UNCREDITED.with(), Optional.of(c.chargeId())));
            return List.of();
        }
        if (now) {
            stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(user.id()), "refund.stars_uncredited",
                    AuditNote.UNCREDITED_REPORTED.with(c.stars()),
                    Optional.of(c.chargeId())));
            if (c.refund() == UncreditedRefund.REFUNDING) {
                // an admin's attempt is asking Telegram, or asked and stopped before its answer was recorded
                tellAdminsReported(c.chargeId(), lang -> texts.get(lang,
                        Msg.ADMIN_ALERT_STARS_REFUND_REPORTED_UNCREDITED, c.chargeId(), c.stars(),
                        AdminSearch.named(texts, stores, lang, c.userId())));
            }
        }
        return List.of(new Reply.SendText(chatId, texts.get(user.language(), Msg.TOPUP_REFUNDED_UNCREDITED, c.stars()),
                Keyboard.NONE));
    }

    /**
     * Takes the turn of every resolution of the user's running holds (their post, void and expiry ids: the locks the
     * ledger's requests under them take, held till this transaction ends), oldest hold first as {@code
     * HeldStarsRefunds.owe} reads them, before the wallet is read. Without it a job's void (its worker's, an admin's
     * stop) committed between this report's read of the wallet and its owing from the hold: the hold was no longer
     * running, so owed nothing, and the wallet it paid back was read before, so taken nothing: all of it booked as
     * spent, a loss, while the wallet kept it; or committed just after the owing, its settling read no debt, and the
     * money stayed on the wallet till a sweep (PgMoneyRacesTest, seed 68508). Now a resolution in flight is waited
     * for (its money on the wallet, taken back), and one after this waits for this commit (and settles the debt).
     * A hold made after this read is not seen: none from the user's chat (his updates take turns), an admin's
     * {@code /refund_stars} of his other charge waits for the user's turn this report holds, and a job charged again
     * is held and posted in one transaction, never running for a report. Such a hold owed nothing here anyway: it
     * holds its own charge's money by the wallet's walk (StarsRefundReportBesideAnOutsideHoldTest).
     */
    private void awaitHoldsResolving(long userId) {
        AccountId wallet = AccountId.wallet(userId);
        for (Transfer t : stores.ledger().transfers(wallet)) {
            if (t.phase() == Phase.PENDING && wallet.equals(t.debit())
                    && stores.ledger().holdState(t.id()).filter(s -> s == HoldState.PENDING)
                    .isPresent()) {
                for (String resolution : List.of(Ledger.postId(t.id()),
                        Ledger.voidId(t.id()), Ledger.expireId(t.id()))) {
                    stores.ledger().findAwaiting(resolution);
                }
            }
        }
    }

    /**
     * What this charge's refund took from the wallet: an admin's attempt that holds the money is posted now
     * (Telegram confirmed it), one posted before counts as it is, and otherwise what is left of the credit is
     * taken once ({@link StarsRefundAttempts#reported(String)}: a debit racing the read, the next try's id).
     */
    private long takeBack(StarsCharge charge) {
        StarsRefundAttempts.Status status = StarsRefundAttempts.of(stores, charge.chargeId());
        if (status instanceof StarsRefundAttempts.Status.InProgress p
                && StarsRefundAttempts.post(stores.ledger(), p.holdId())) {
            held.settle(p.holdId()); // another charge's refund reported while this attempt held its money: lost now
            return charge.amount();
        }
        if (status instanceof StarsRefundAttempts.Status.Refunded r) {
            return r.amount();
        }
        return StarsRefundAttempts.reported(charge.chargeId()).take(stores.ledger(), AccountId.wallet(charge.userId()),
                        AccountId.STARS_CLEARING, charge.amount(), TransferKind.STARS_REFUND)
                .filter(t -> t.result().succeeded()).map(TakeBack.Try::amount).orElse(0L);
    }

    /**
     * The one-time welcome bonus, keyed by user so it is never paid twice. With a cap on the day's bonuses
     * (WELCOME_DAILY_TOTAL) a new user past it gets none, not later either: his welcome says nothing of a bonus. The
     * day's place is counted in the new user's transaction, so a rolled-back update gives it back.
     *
     * @return the amount credited by this call (the conversation mentions it in its first answer)
     */
    public Optional<Long> welcome(User user) {
        if (settings.welcomeBonus() <= 0) {
            return Optional.empty();
        }
        String id = "welcome:" + user.id();
        if (welcomeDailyTotal.isPresent()) {
            if (stores.ledger().find(id).isPresent()) {
                return Optional.empty(); // paid before (a user forgotten and seen again): takes no place of the day
            }
            LocalDate day = clock.instant().atZone(settings.zone()).toLocalDate();
            int max = welcomeDailyTotal.getAsInt();
            boolean counted = stores.freeUsage().tryWelcome(day, max);
            tellWhenTheDaysWelcomesAreGivenOut(day, max);
            if (!counted) {
                return Optional.empty();
            }
        }
        LedgerResult r = stores.ledger().transfer(id, AccountId.PROMO_EXPENSE,
                AccountId.wallet(user.id()), settings.welcomeBonus(), TransferKind.WELCOME_BONUS);
        return r instanceof LedgerResult.Created ? Optional.of(settings.welcomeBonus()) : Optional.empty();
    }

    /**
     * The admins hear once a day (by every instance together: the telling is in the audit trail, in this update's
     * transaction) that the day's welcome bonuses are given out: from the last one given, or from the first refused
     * (a cap lowered since). The day is marked told here once the transaction commits, as for the free total.
     */
    private void tellWhenTheDaysWelcomesAreGivenOut(LocalDate day, int max) {
        if (day.equals(welcomesToldOn.get()) || stores.freeUsage().welcomed(day) < max) {
            return;
        }
        AuditEvent telling = new AuditEvent(clock.instant(), "system", AdminAlerts.WELCOME_TOTAL, "total " + max,
                Optional.of("alert:welcome-total:" + day));
        AdminAlerts.sendFirst(stores, settings, outbox, telling, day.atStartOfDay(settings.zone()).toInstant(),
                lang -> texts.get(lang, Msg.ADMIN_ALERT_WELCOME_TOTAL, max,
                        pricing.format(max * settings.welcomeBonus(), lang)));
        stores.transactions().afterCommit(() -> welcomesToldOn.set(day));
    }
}
