package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.Reply;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.Invoice;
import dev.kiebot.core.payments.StarsCharge;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Money coming in: Stars invoices, pre-checkout answers from persisted state, crediting on
 * {@code successful_payment} (idempotent on the charge id), and the welcome bonus.
 */
public final class TopUps {
    public static final String STARS = "XTR";

    private final Stores stores;
    private final Pricing pricing;
    private final Texts texts;
    private final ShopSettings settings;
    private final Clock clock;

    public TopUps(Stores stores, Pricing pricing, Texts texts, ShopSettings settings, Clock clock) {
        this.stores = stores;
        this.pricing = pricing;
        this.texts = texts;
        this.settings = settings;
        this.clock = clock;
    }

    public Reply invoice(User user, long chatId, Effect.IssueInvoice e) {
        String payload = "topup:" + UUID.randomUUID();
        stores.payments().saveInvoice(new Invoice(payload, user.id(), e.stars(), e.amount(), clock.instant()));
        String lang = user.language();
        return new Reply.SendInvoice(chatId, texts.get(lang, Msg.TOPUP_INVOICE_TITLE),
                texts.get(lang, Msg.TOPUP_INVOICE_DESCRIPTION, pricing.format(e.amount())), payload, e.stars());
    }

    /** Answers from the stored invoice alone, so it is fast and survives restarts. */
    public Reply preCheckout(User user, long chatId, Effect.AnswerPreCheckout e) {
        Optional<Invoice> inv = stores.payments().invoice(e.payload());
        boolean ok = inv.isPresent() && inv.get().userId() == user.id() && STARS.equals(e.currency())
                && inv.get().stars() == e.totalAmount();
        return new Reply.AnswerPreCheckout(chatId, e.queryId(), ok,
                ok ? Optional.empty() : Optional.of(texts.get(user.language(), Msg.PRECHECKOUT_UNKNOWN)));
    }

    /** Credits a Stars payment once per charge id. */
    public Reply credit(User user, long chatId, Effect.CreditStars e) {
        long amount = stores.payments().invoice(e.payload()).filter(i -> i.userId() == user.id())
                .map(Invoice::amount).orElse(e.totalAmount() * settings.starPrice());
        stores.payments().recordCharge(new StarsCharge(e.chargeId(), user.id(), e.payload(), e.totalAmount(), amount,
                clock.instant()));
        AccountId wallet = AccountId.wallet(user.id());
        LedgerResult r = stores.ledger().transfer("stars:" + e.chargeId(), AccountId.STARS_CLEARING, wallet, amount,
                TransferKind.TOP_UP_STARS);
        stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(user.id()), "topup.stars",
                e.totalAmount() + " XTR -> " + amount + " " + r.getClass().getSimpleName(), Optional.of(e.chargeId())));
        long balance = stores.ledger().balance(wallet).available();
        return new Reply.SendText(chatId, texts.get(user.language(), Msg.TOPUP_CREDITED, pricing.format(amount),
                pricing.format(balance)), dev.kiebot.core.conversation.Keyboard.NONE);
    }

    /** Telegram refunded Stars: take the credited amount back if it is still there, and say so. */
    public void refunded(User user, Effect.RecordStarsRefund e) {
        Optional<StarsCharge> charge = stores.payments().charge(e.chargeId());
        long amount = charge.map(StarsCharge::amount).orElse(e.totalAmount() * settings.starPrice());
        LedgerResult r = stores.ledger().transfer("stars-refund:" + e.chargeId(), AccountId.wallet(user.id()),
                AccountId.STARS_CLEARING, amount, TransferKind.STARS_REFUND);
        stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(user.id()), "refund.stars",
                amount + " " + r, Optional.of(e.chargeId())));
    }

    /** The one-time welcome bonus, keyed by user so it is never paid twice. @return replies */
    public List<Reply> welcome(User user, long chatId) {
        if (settings.welcomeBonus() <= 0) {
            return List.of();
        }
        LedgerResult r = stores.ledger().transfer("welcome:" + user.id(), AccountId.PROMO_EXPENSE,
                AccountId.wallet(user.id()), settings.welcomeBonus(), TransferKind.WELCOME_BONUS);
        if (!(r instanceof LedgerResult.Created)) {
            return List.of();
        }
        return List.of(new Reply.SendText(chatId, texts.get(user.language(), Msg.WELCOME_BONUS,
                pricing.format(settings.welcomeBonus())), dev.kiebot.core.conversation.Keyboard.NONE));
    }
}
