package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.ExternalCredit;
import dev.kiebot.core.payments.ExternalPayment;
import dev.kiebot.core.payments.ExternalRefund;
import dev.kiebot.core.payments.ExternalRefundDue;
import dev.kiebot.core.payments.ExternalReversal;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Top-ups your own payment provider took (Stripe, YooKassa, your shop's site): {@code shop.externalTopUps()}. Report
 * each payment with {@link #credit}; the wallet gets it once, however often it is reported. Report a payment the
 * provider gave back (a refund, a chargeback), or part of it, with {@link #refunded}; the wallet gives back what the
 * refund gave back, as far as it is left on it, once per refund, and a payment's refunds never more than it credited.
 *
 * <p><b>Core believes what you report.</b> It cannot ask your provider whether the money arrived, or went back: call
 * {@link #credit} and {@link #refunded} only from your own code, after you have verified the provider's notification
 * as the provider says (its signature — Stripe's {@code Stripe-Signature}, say —, or by asking its API for the
 * payment), and {@link #credit} only for a payment that succeeded. Whoever can make your code call {@link #credit} with
 * a payment id of their choosing can give anyone money, and {@link #refunded}, take a buyer's. No door of the shop
 * leads here: no Telegram update, button or command of a user or an admin reaches this class.
 *
 * <p>One call is one transaction: the credit from {@link AccountId#EXTERNAL_CLEARING} to the user's wallet
 * ({@link TransferKind#TOP_UP_EXTERNAL}, under {@link ExternalPayment#creditId()}), its {@code topup.external} audit
 * line and the user's «payment received» message (in their language, with their balance) commit together, or none
 * does (the call then throws; report the payment again). The payment shows in the user's {@code /payments} as an
 * online payment with its payment id, and in the admins' {@code /admin} among the week's top-ups.
 *
 * <p>Idempotent by the payment's provider and id, as the ledger is by transfer id: the same payment reported again
 * is {@link ExternalCredit.AlreadyCredited} and changes nothing; the same id with another amount or user is
 * {@link ExternalCredit.Refused} ({@link ExternalCredit.Reason#CONFLICTING_PAYMENT}), for good. Two reports of one
 * payment at once (a webhook retried while the first is handled) credit it once: the ledger decides their race, also
 * that of one reported in its own currency with its converted credit ({@link Ledger#findAwaiting}).
 *
 * <p>A refund is the same in reverse ({@link #refunded} says what it takes): one transaction with its
 * {@code topup.external_refund} audit line and the user's notice, once per refund. It shows in {@code /payments} as an
 * online payment refunded, and in {@code /find} with the payment (found by its payment id alone); the week's top-ups on
 * {@code /admin} stay what came in, as Stars refunds leave theirs.
 */
public final class ExternalTopUps {
    static final String CREDITED = "topup.external";
    static final String UNKNOWN_USER = "topup.external_unknown_user";
    static final String CONFLICT = "topup.external_conflict";
    static final String REFUNDED = "topup.external_refund";
    static final String REFUND_UNKNOWN = "topup.external_refund_unknown";
    static final String REFUND_OTHER_USER = "topup.external_refund_other_user";
    static final String WRONG_CURRENCY = "topup.external_wrong_currency";
    static final String REFUND_WRONG_CURRENCY = "topup.external_refund_wrong_currency";

    private final Stores stores;
    private final Pricing pricing;
    private final Texts texts;
    private final CreditNotice creditNotice;
    private final Referrals referrals;
    private final ShopSettings settings;
    private final Clock clock;
    private final Outbox outbox;

    ExternalTopUps(Stores stores, Pricing pricing, Texts texts, ShopSettings settings, Clock clock, Outbox outbox,
                   Referrals referrals) {
        this.stores = stores;
        this.pricing = pricing;
        this.texts = texts;
        this.creditNotice = new CreditNotice(stores, texts, pricing);
        this.referrals = referrals;
        this.settings = settings;
        this.clock = clock;
        this.outbox = outbox;
    }

    /**
     * Credits a payment your provider took, once (see the class: call it only for a payment you verified). Inside a
     * transaction of yours ({@code stores.transactions().inOne}) it joins it: then it commits with your work, a
     * record of the payment in your own table, say.
     *
     * @param payment the verified payment: provider, payment id, user and amount in the shop's minor units
     * @return {@link ExternalCredit.Credited} now, {@link ExternalCredit.AlreadyCredited} before, or
     *         {@link ExternalCredit.Refused} with the reason (the admins are told once per payment and reason): a
     *         payment in another currency than the shop's ({@link ExternalCredit.Reason#WRONG_CURRENCY}) among them
     * @throws RuntimeException when the stores failed: nothing was credited, report it again
     */
    public ExternalCredit credit(ExternalPayment payment) {
        Objects.requireNonNull(payment, "externalTopUps().credit: payment, the verified payment as "
                + "new ExternalPayment(provider, paymentId, userId, amount), never null");
        return stores.transactions().inOne(() -> creditNow(payment));
    }

    private ExternalCredit creditNow(ExternalPayment p) {
        Optional<String> foreign = p.currency().filter(c -> !c.equals(pricing.currency()));
        if (foreign.isPresent() && stores.ledger().findAwaiting(p.creditId()).isEmpty()) {
            // 500 RUB credited as 500.00 of a dollar shop is $500 given away: the amount is only ever the shop's units.
            // Refused, not thrown: a webhook answering an exception with an error has the provider retry it for days,
            // then give up, and the buyer's money is taken with nobody told. Only a payment not credited yet: one
            // credited before (reported converted) and reported again in its own currency (a second event of the
            // provider's) is AlreadyCredited or a conflict below, or the admins read «not credited» of money the
            // wallet has, and one who credited it by hand credited it twice. Read by findAwaiting: with find, a
            // report racing the first converted credit read the ledger before that committed, and said the same
            String c = foreign.get();
            Function<String, String> who = named(p.userId());
            return refuse(p, ExternalCredit.Reason.WRONG_CURRENCY, WRONG_CURRENCY, "payment " + p.paymentId()
                    + " of " + p.provider() + " is in " + c + ", the shop's prices are in " + pricing.currency()
                    + ": nothing credited. Credit only payments in " + pricing.currency() + " (the amount is in its "
                    + "minor units): convert it yourself and report it again without the currency, or refund it "
                    + "through " + p.provider(),
                    lang -> texts.get(lang, Msg.ADMIN_EXTERNAL_WRONG_CURRENCY, p.provider(), p.paymentId(),
                            who.apply(lang), Pricing.formatIn(p.amount(), c, lang), pricing.currency()));
        }
        Optional<User> user = stores.users().find(p.userId());
        if (user.isEmpty()) {
            // a wallet nobody opens is money lost to the buyer, and a mistyped id would credit a stranger later
            return refuse(p, ExternalCredit.Reason.UNKNOWN_USER, UNKNOWN_USER, "user " + p.userId() + " has never "
                    + "opened the bot (or the id is not the buyer's): nothing credited; report the payment again once "
                    + "they have, or refund it through " + p.provider(),
                    lang -> texts.get(lang, Msg.ADMIN_EXTERNAL_UNKNOWN_USER, p.provider(),
                            pricing.format(p.amount(), lang), AdminSearch.named(texts, lang, user, p.userId()),
                            p.paymentId()));
        }
        AccountId wallet = AccountId.wallet(p.userId());
        LedgerResult r = stores.ledger().transfer(p.creditId(), AccountId.EXTERNAL_CLEARING, wallet, p.amount(),
                TransferKind.TOP_UP_EXTERNAL);
        if (r instanceof LedgerResult.Exists exists) {
            return new ExternalCredit.AlreadyCredited(p, exists.transfer().createdAt());
        }
        if (r instanceof LedgerResult.Rejected rejected
                && rejected.reason() == LedgerResult.Reason.EXISTS_WITH_DIFFERENT_FIELDS) {
            return conflict(p);
        }
        if (!(r instanceof LedgerResult.Created)) {
            // the payment's values are checked by ExternalPayment: no other refusal is possible from a system account
            throw new IllegalStateException("the ledger refused the credit of " + p.creditId() + ": " + r);
        }
        stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(p.userId()), CREDITED,
                AuditNote.EXTERNAL_CREDITED.with(p.provider(), p.paymentId(), p.amount()),
                Optional.of(p.creditId())));
        MoneyLog.moved(stores, pricing, p.provider() + " payment credited", p.userId(), p.amount(), p.creditId());
        long balance = stores.ledger().balance(wallet).available();
        // the user's private chat has the user's id
        outbox.send(creditNotice.to(p.userId(), user.get().language(), p.amount(), balance));
        referrals.paid(p.userId(), p.amount()).ifPresent(outbox::send);
        return new ExternalCredit.Credited(p, balance);
    }

    private ExternalCredit conflict(ExternalPayment p) {
        Transfer before = stores.ledger().find(p.creditId()).orElseThrow();
        String owner = before.credit().walletOwner().orElse(before.credit().value());
        Function<String, String> ownerNamed = named(owner);
        Function<String, String> who = named(p.userId());
        return refuse(p, ExternalCredit.Reason.CONFLICTING_PAYMENT, CONFLICT, "payment " + p.paymentId() + " of "
                + p.provider() + " was credited before with " + before.amount() + " to user " + owner + ", now "
                + "reported with " + p.amount() + p.currency().map(c -> " (" + c + " minor units)").orElse("")
                + " for user " + p.userId() + ": nothing credited; a payment id credits once, check this payment with "
                + p.provider(),
                lang -> texts.get(lang, Msg.ADMIN_EXTERNAL_CONFLICT, p.provider(), p.paymentId(),
                        pricing.format(before.amount(), lang), ownerNamed.apply(lang),
                        Pricing.formatIn(p.amount(), p.currency().orElse(pricing.currency()), lang),
                        who.apply(lang)));
    }

    private ExternalCredit refuse(ExternalPayment p, ExternalCredit.Reason reason, String action, String detail,
                                  Function<String, String> alert) {
        audit(p.userId(), p.creditId(), action, detail, Optional.of(alert), false);
        return new ExternalCredit.Refused(p, reason, detail);
    }

    /**
     * Takes back a payment your provider gave back, or the part of it a refund gave back (see the class: call it only
     * for a refund or chargeback you verified): from the wallet the payment credited to
     * {@link AccountId#EXTERNAL_CLEARING} ({@link TransferKind#EXTERNAL_REFUND}, under
     * {@link ExternalRefund#refundId()}), with its {@code topup.external_refund} audit line, what it was due
     * ({@link dev.kiebot.core.payments.ExternalRefundDues}, kept for good) and the user's «payment refunded» message, in
     * one transaction that joins yours, as {@link #credit}'s does.
     *
     * <p>It takes the refund's amount (the whole payment's for {@link ExternalRefund#whole()}), but never more than
     * what is left of the payment (what it credited less what its refunds before gave back, taken from the wallet or
     * not, however long ago), nor than the wallet has available, as a Stars refund Telegram reports does: what the user already spent
     * (or holds for a running generation) is not there to take, and a balance never goes below zero. That shortfall is the shop's loss: the
     * audit line says it and the admins are told.
     *
     * <p>Once per refund: the whole payment once, each refund of part of it once by the provider's refund id. A
     * repeated report, or a chargeback after a refund of the whole payment, is {@link ExternalReversal.AlreadyTakenBack} and
     * changes nothing, as is a refund once the payment's refunds took all of it back, or a refund of part of a payment
     * already given back whole; two reports at once take back once (the ledger decides their race). A payment given
     * back stays credited once: reported again to {@link #credit}, it is {@link ExternalCredit.AlreadyCredited}.
     *
     * <p>A refund of the user's first paid top-up takes back, with it, the part of his inviter's bonus that the
     * payment's refunds gave back of the payment in all (rounded up), less what they took of it before, as far as the
     * inviter's wallet holds it; the refund that gives back the whole payment, the rest of the bonus.
     *
     * @param refund the verified refund or chargeback: the provider, the id of the payment it gives back, the user, and
     *               for a refund of part of it the provider's refund id and amount
     * @return {@link ExternalReversal.TakenBack} now, {@link ExternalReversal.AlreadyTakenBack} before, or
     *         {@link ExternalReversal.Refused} (a payment the shop never credited, or credited to another user, or a
     *         refund in another currency than the shop's, which every credited payment is in; the admins are told once
     *         per payment and reason)
     * @throws RuntimeException when the stores failed, or the wallet changed while it was read (another refund of the
     *         payment taken back meanwhile, say): nothing was taken, report it again
     */
    public ExternalReversal refunded(ExternalRefund refund) {
        Objects.requireNonNull(refund, "externalTopUps().refunded: refund, the verified refund as "
                + "new ExternalRefund(provider, paymentId, userId) for the whole payment (or with the provider's "
                + "refund id and amount for part of it), never null");
        return stores.transactions().inOne(() -> refundNow(refund));
    }

    private ExternalReversal refundNow(ExternalRefund r) {
        Optional<String> foreign = r.currency().filter(c -> !c.equals(pricing.currency()));
        if (foreign.isPresent()) {
            // 5 EUR taken back as 5.00 of a rouble shop is not what went back to the card: amounts are the shop's
            // units; refused, not thrown, as credit's is
            String c = foreign.get();
            String detail = "refund " + r.providerRefundId().orElse("") + " of payment " + r.paymentId() + " of "
                    + r.provider() + " is in " + c + ", the payment was credited in " + pricing.currency()
                    + " (the shop's): nothing taken. Report the refund's amount in " + pricing.currency()
                    + " minor units without the currency, converted as you converted the payment";
            long amount = r.amount().orElseThrow(); // a refund naming a currency names its amount (ExternalRefund)
            Function<String, String> who = named(r.userId());
            return refuse(r, ExternalReversal.Reason.WRONG_CURRENCY, REFUND_WRONG_CURRENCY, detail,
                    lang -> texts.get(lang, Msg.ADMIN_EXTERNAL_REFUND_WRONG_CURRENCY, r.provider(), r.paymentId(),
                            who.apply(lang), Pricing.formatIn(amount, c, lang), pricing.currency()));
        }
        Optional<Transfer> credit = stores.ledger().find(r.creditId());
        if (credit.isEmpty()) {
            String detail = "payment " + r.paymentId() + " of " + r.provider() + " was never credited (never reported, "
                    + "refused, or its refund came first): nothing taken; if it is credited later, report its refund "
                    + "again";
            Function<String, String> who = named(r.userId());
            return refuse(r, ExternalReversal.Reason.UNKNOWN_PAYMENT, REFUND_UNKNOWN, detail,
                    lang -> texts.get(lang, Msg.ADMIN_EXTERNAL_REFUND_UNKNOWN, r.provider(), r.paymentId(),
                            who.apply(lang)));
        }
        Transfer paid = credit.get();
        AccountId wallet = AccountId.wallet(r.userId());
        if (!paid.credit().equals(wallet)) {
            String owner = paid.credit().walletOwner().orElse(paid.credit().value());
            String detail = "payment " + r.paymentId() + " of " + r.provider() + " credited user " + owner + ", not "
                    + "user " + r.userId() + ": nothing taken from either; check this payment with " + r.provider();
            Function<String, String> ownerNamed = named(owner);
            Function<String, String> who = named(r.userId());
            return refuse(r, ExternalReversal.Reason.ANOTHER_USERS_PAYMENT, REFUND_OTHER_USER, detail,
                    lang -> texts.get(lang, Msg.ADMIN_EXTERNAL_REFUND_OTHER_USER, r.provider(), r.paymentId(),
                            ownerNamed.apply(lang), who.apply(lang)));
        }
        Optional<Transfer> before = stores.ledger().find(r.refundId());
        if (before.isPresent()) {
            return new ExternalReversal.AlreadyTakenBack(r, before.get().amount());
        }
        long left = r.whole() || !givenBackWhole(r) ? paid.amount() - dueBefore(r, wallet) : 0;
        if (left <= 0) {
            // its refunds took all of it, or the whole of it was given back: another refund has nothing of it to take
            return new ExternalReversal.AlreadyTakenBack(r, 0);
        }
        long due = Math.min(r.amount().orElse(paid.amount()), left);
        long available = stores.ledger().balance(wallet).available();
        // With nothing left the whole due is asked all the same: the ledger refuses it for want of money and keeps that
        // refusal under the id for good, so a later report finds the id used, and takes nothing from money the user has
        // paid in since, as it would find a transfer made.
        long asked = available > 0 ? Math.min(due, available) : due;
        LedgerResult result = stores.ledger().transfer(r.refundId(), wallet, AccountId.EXTERNAL_CLEARING, asked,
                TransferKind.EXTERNAL_REFUND);
        long taken;
        if (result instanceof LedgerResult.Created) {
            taken = asked;
        } else if (result instanceof LedgerResult.Exists exists) {
            return new ExternalReversal.AlreadyTakenBack(r, exists.transfer().amount());
        } else if (takenBefore(result)) {
            // asked for another amount than the first report (the wallet held more or less then), or found nothing
            return new ExternalReversal.AlreadyTakenBack(r,
                    stores.ledger().find(r.refundId()).map(Transfer::amount).orElse(0L));
        } else if (available == 0 && refusedFor(result, LedgerResult.Reason.INSUFFICIENT_FUNDS)) {
            taken = 0;
        } else {
            // a hold or a refund of another thread took money between the balance read and the transfer: rolled back
            // with the transaction (the ledger's refusal too), the report is made again on the wallet as it is then
            // the partner logs this: a refusal's detail names the wallet, which its toString masks
            throw new IllegalStateException("the ledger refused to take back " + asked + " of " + r.refundId()
                    + " (the wallet changed meanwhile?): " + result);
        }
        long refundedInAll = dueBefore(r, wallet) + due;
        if (refundedInAll > paid.amount()) {
            // another refund of the payment was recorded while this one read what was left: the wallet's row (which
            // the ledger locks for a refusal too) kept them apart, so this one sees its due now; rolled back, its next
            // report takes what is left then
            throw new IllegalStateException("another refund of " + r.creditId() + " was taken back meanwhile: "
                    + "nothing taken by " + r.refundId() + ", report it again");
        }
        // kept for good, as the ledger is: what this refund took is there, what it gave back beyond that only here
        if (!stores.externalRefundDues().record(new ExternalRefundDue(r.creditId(), r.refundId(), due,
                clock.instant()))) {
            // the ledger found the refund id new, so a due under it was recorded by a report racing this one
            throw new IllegalStateException("refund " + r.refundId() + " was recorded meanwhile: nothing taken by "
                    + "this report, report it again");
        }
        long shortfall = due - taken;
        MoneyLog.moved(stores, pricing, r.provider() + " payment refunded, taken back", r.userId(), -taken,
                r.creditId());
        // the whole payment given back at once is named by its amount; any other refund (of part of it, or the rest of
        // it after such refunds) by what it gave back, of the payment's amount: «payment of 50 ₽» misread a 500 ₽ one
        Msg shortfallWords = due == paid.amount() ? Msg.ADMIN_EXTERNAL_REFUND_SHORTFALL
                : Msg.ADMIN_EXTERNAL_REFUND_PART_SHORTFALL;
        // once per refund, as the ledger took it once: each refund's shortfall is its own loss, told each time
        Function<String, String> who = named(r.userId());
        audit(r.userId(), r.creditId(), REFUNDED, note(r, paid.amount(), taken, shortfall), shortfall == 0
                ? Optional.empty()
                : Optional.of(lang -> texts.get(lang, shortfallWords, r.provider(), r.paymentId(), who.apply(lang),
                        pricing.format(due, lang), pricing.format(taken, lang), pricing.format(shortfall, lang),
                        pricing.format(paid.amount(), lang))), true);
        long balance = stores.ledger().balance(wallet).available();
        String lang = stores.users().languageOf(r.userId());
        // a refund of part says the payment it is part of: «the payment of 5 ₽ refunded» misread a 50 ₽ top-up's
        outbox.send(new Reply.SendText(r.userId(), texts.get(lang, r.whole() ? Msg.TOPUP_EXTERNAL_REFUNDED
                        : Msg.TOPUP_EXTERNAL_REFUNDED_PART, pricing.format(r.whole() ? paid.amount() : due, lang),
                pricing.format(taken, lang), pricing.format(balance, lang), pricing.format(paid.amount(), lang)),
                HomeButton.below(texts, lang))); // what was taken back stays in the chat under the menu
        // the payment's money went back to the friend's bank, so does what it earned: as much of it as its refunds gave
        // back of it in all (what each was due, not what the friend's wallet had), whatever the wallet still held
        referrals.refunded(r.userId(), r.creditId(), r.refundId(), new BonusShare(paid.amount(), refundedInAll))
                .ifPresent(outbox::send);
        return new ExternalReversal.TakenBack(r, taken, shortfall, balance);
    }

    /** The refund's audit note: a whole payment's in its first forms, so that lines recorded before read the same. */
    private static String note(ExternalRefund r, long paid, long taken, long shortfall) {
        if (r.whole()) {
            return shortfall > 0
                    ? AuditNote.EXTERNAL_REFUNDED_SHORT.with(r.provider(), r.paymentId(), taken, paid, shortfall)
                    : AuditNote.EXTERNAL_REFUNDED.with(r.provider(), r.paymentId(), taken, paid);
        }
        String refundId = r.providerRefundId().orElseThrow();
        long amount = r.amount().orElseThrow();
        return shortfall > 0
                ? AuditNote.EXTERNAL_REFUNDED_PART_SHORT.with(r.provider(), r.paymentId(), refundId, amount, taken,
                        shortfall)
                : AuditNote.EXTERNAL_REFUNDED_PART.with(r.provider(), r.paymentId(), refundId, amount, taken);
    }

    /**
     * What the payment's other refunds were due to take back, the whole payment's and each of its parts': what each
     * gave back as far as the payment had it left then, as {@code stores.externalRefundDues()} keeps it for good
     * (recorded in its transaction), not only what it took: a refund that found the wallet short still gave its money
     * back to the buyer, so what the user paid in since is not the payment's to take, however much later the next
     * refund comes (its audit line, which says it too, is purged after {@link Upkeep#EVENT_RETENTION}). What each
     * took, its transfer under the payment's refund id or its parts' ({@link ExternalRefund#PART}), counts too: a
     * refund taken back before the dues were kept may have none recorded.
     */
    private long dueBefore(ExternalRefund r, AccountId wallet) {
        String whole = ExternalRefund.refundId(r.provider(), r.paymentId());
        String part = whole + ExternalRefund.PART;
        // by the refund's ledger id
        Map<String, Long> dues = new HashMap<>();
        for (Transfer t : stores.ledger().transfers(wallet)) {
            if (t.kind() == TransferKind.EXTERNAL_REFUND && wallet.equals(t.debit())
                    && (t.id().equals(whole) || t.id().startsWith(part))) {
                dues.merge(t.id(), t.amount(), Math::max);
            }
        }
        for (ExternalRefundDue d : stores.externalRefundDues().of(r.creditId())) {
            dues.merge(d.refundId(), d.due(), Math::max);
        }
        dues.remove(r.refundId());
        return dues.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Whether the whole payment was reported given back: its transfer, or, when it found nothing on the wallet (no
     * transfer then, only the ledger's refusal), its due.
     */
    private boolean givenBackWhole(ExternalRefund r) {
        String whole = ExternalRefund.refundId(r.provider(), r.paymentId());
        return stores.ledger().find(whole).isPresent()
                || stores.externalRefundDues().of(r.creditId()).stream().anyMatch(d -> d.refundId().equals(whole));
    }

    /** The ledger's answer that the refund's id was used before: taken with another amount, or refused for good. */
    private static boolean takenBefore(LedgerResult result) {
        return refusedFor(result, LedgerResult.Reason.EXISTS_WITH_DIFFERENT_FIELDS)
                || refusedFor(result, LedgerResult.Reason.ID_ALREADY_FAILED);
    }

    private static boolean refusedFor(LedgerResult result, LedgerResult.Reason reason) {
        return result instanceof LedgerResult.Rejected rejected && rejected.reason() == reason;
    }

    private ExternalReversal refuse(ExternalRefund r, ExternalReversal.Reason reason, String action, String detail,
                                    Function<String, String> alert) {
        audit(r.userId(), r.creditId(), action, detail, Optional.of(alert), false);
        return new ExternalReversal.Refused(r, reason, detail);
    }

    /**
     * Audited each time, under the payment's credit id; the admins hear of a payment once per action (a reason of a
     * refusal), not at every retry of its webhook, or {@code each} time for what happens once anyway (a refund's
     * shortfall: one payment may have several refunds).
     */
    private void audit(long userId, String creditId, String action, String detail,
                       Optional<Function<String, String>> alert, boolean each) {
        boolean told = !each
                && stores.audit().byCorrelation(creditId).stream().anyMatch(e -> e.action().equals(action));
        stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(userId), action, detail,
                Optional.of(creditId)));
        if (told || alert.isEmpty()) {
            return;
        }
        AdminAlerts.send(stores, settings, outbox, alert.get());
    }

    /**
     * The user as the admins' alerts name him, «User42 (ID 42)» as /topup_user does, read once for every admin's
     * language: a bare «пользователь 42» asked the owner to look the number up before acting on the alert.
     */
    private Function<String, String> named(long userId) {
        Optional<User> user = stores.users().find(userId);
        return lang -> AdminSearch.named(texts, lang, user, userId);
    }

    /** A wallet's owner as {@link #named(long)} names him; an account that is no wallet by its own name. */
    private Function<String, String> named(String owner) {
        try {
            return named(Long.parseLong(owner));
        } catch (NumberFormatException notAUser) {
            return lang -> owner;
        }
    }
}
