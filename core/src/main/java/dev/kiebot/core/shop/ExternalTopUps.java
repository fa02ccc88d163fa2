package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.ExternalCredit;
import dev.kiebot.core.payments.ExternalPayment;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Top-ups your own payment provider took (Stripe, YooKassa, your shop's site): {@code shop.externalTopUps()}. Report
 * each payment with {@link #credit}; the wallet gets it once, however often it is reported.
 *
 * <p><b>Core believes what you report.</b> It cannot ask your provider whether the money arrived: call {@link #credit}
 * only from your own code, after you have verified the provider's notification as the provider says (its signature —
 * Stripe's {@code Stripe-Signature}, say —, or by asking its API for the payment), and only for a payment that
 * succeeded. Whoever can make your code call it with a payment id of their choosing can give anyone money. No door of
 * the shop leads here: no Telegram update, button or command of a user or an admin reaches this class.
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
 * payment at once (a webhook retried while the first is handled) credit it once: the ledger decides their race.
 */
public final class ExternalTopUps {
    static final String CREDITED = "topup.external";
    static final String UNKNOWN_USER = "topup.external_unknown_user";
    static final String CONFLICT = "topup.external_conflict";

    private final Stores stores;
    private final Pricing pricing;
    private final Texts texts;
    private final ShopSettings settings;
    private final Clock clock;
    private final Outbox outbox;

    ExternalTopUps(Stores stores, Pricing pricing, Texts texts, ShopSettings settings, Clock clock, Outbox outbox) {
        this.stores = stores;
        this.pricing = pricing;
        this.texts = texts;
        this.settings = settings;
        this.clock = clock;
        this.outbox = outbox;
    }

    /**
     * Credits a payment your provider took, once (see the class: call it only for a payment you verified). Inside a
     * transaction of yours ({@code stores.transactions().inOne}) it joins it: then it commits with your work, a
     * record of the payment in your own table, say.
     *
     * @return {@link ExternalCredit.Credited} now, {@link ExternalCredit.AlreadyCredited} before, or
     *         {@link ExternalCredit.Refused} with the reason (the admins are told once per payment and reason)
     * @throws RuntimeException when the stores failed: nothing was credited, report it again
     */
    public ExternalCredit credit(ExternalPayment payment) {
        Objects.requireNonNull(payment, "payment");
        return stores.transactions().inOne(() -> creditNow(payment));
    }

    private ExternalCredit creditNow(ExternalPayment p) {
        Optional<User> user = stores.users().find(p.userId());
        if (user.isEmpty()) {
            // a wallet nobody opens is money lost to the buyer, and a mistyped id would credit a stranger later
            return refuse(p, ExternalCredit.Reason.UNKNOWN_USER, UNKNOWN_USER, "user " + p.userId() + " has never "
                    + "opened the bot (or the id is not the buyer's): nothing credited; report the payment again once "
                    + "they have, or refund it through " + p.provider(),
                    lang -> texts.get(lang, Msg.ADMIN_EXTERNAL_UNKNOWN_USER, p.provider(),
                            pricing.format(p.amount(), lang), p.userId(), p.paymentId()));
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
                p.provider() + " " + p.paymentId() + " -> " + p.amount(), Optional.of(p.creditId())));
        long balance = stores.ledger().balance(wallet).available();
        String lang = user.get().language();
        // the user's private chat has the user's id
        outbox.send(new Reply.SendText(p.userId(), texts.get(lang, Msg.TOPUP_CREDITED, pricing.format(p.amount(), lang),
                pricing.format(balance, lang)), HomeButton.keyboard(texts, lang)));
        return new ExternalCredit.Credited(p, balance);
    }

    private ExternalCredit conflict(ExternalPayment p) {
        Transfer before = stores.ledger().find(p.creditId()).orElseThrow();
        String owner = before.credit().walletOwner().orElse(before.credit().value());
        return refuse(p, ExternalCredit.Reason.CONFLICTING_PAYMENT, CONFLICT, "payment " + p.paymentId() + " of "
                + p.provider() + " was credited before with " + before.amount() + " to user " + owner + ", now "
                + "reported with " + p.amount() + " for user " + p.userId() + ": nothing credited; a payment id "
                + "credits once, check this payment with " + p.provider(),
                lang -> texts.get(lang, Msg.ADMIN_EXTERNAL_CONFLICT, p.provider(), p.paymentId(),
                        pricing.format(before.amount(), lang), owner, pricing.format(p.amount(), lang), p.userId()));
    }

    /** Audited each time; the admins hear of a payment once per reason, not at every retry of its webhook. */
    private ExternalCredit refuse(ExternalPayment p, ExternalCredit.Reason reason, String action, String detail,
                                  Function<String, String> alert) {
        boolean told = stores.audit().byCorrelation(p.creditId()).stream().anyMatch(e -> e.action().equals(action));
        stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(p.userId()), action, detail,
                Optional.of(p.creditId())));
        if (!told) {
            for (long admin : settings.adminIds()) {
                String lang = stores.users().find(admin).map(User::language).orElse("ru");
                outbox.send(new Reply.SendText(admin, alert.apply(lang), Keyboard.NONE));
            }
        }
        return new ExternalCredit.Refused(p, reason, detail);
    }
}
