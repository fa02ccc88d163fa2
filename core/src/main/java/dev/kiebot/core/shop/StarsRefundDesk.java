package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.StarsCharge;
import dev.kiebot.core.payments.StarsRefundResult;
import dev.kiebot.core.payments.StarsRefunds;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * An admin gives a Stars payment back: the credited amount is held on the wallet first (refused when the unspent
 * balance no longer covers it) and the admin's update commits; only then is Telegram asked to refund the Stars,
 * and its answer posts the hold — or voids it when Telegram refused — with the admin's and the user's notices in
 * one transaction. {@code CHARGE_ALREADY_REFUNDED} counts as done. Telegram is never asked from inside the
 * update's transaction: a rollback after its answer (a notice that could not be queued) would have kept the credit
 * of Stars already given back, with nobody told. The hold's deadline returns the money when the bot dies between
 * the hold and Telegram's answer; the refund Telegram then reports posts the hold instead (see
 * {@link TopUps#refunded}).
 */
public final class StarsRefundDesk {
    /** Long enough for Telegram's answer with every retry; the sweeper voids a hold left by a crash. */
    static final Duration HOLD_FOR = Duration.ofMinutes(10);
    /** Telegram is asked only while at least this much of the hold is left: its answer (with retries) comes sooner. */
    static final Duration ASK_MARGIN = Duration.ofMinutes(5);
    /** Charges of a user looked at for a button's reference, and listed per user. */
    static final int CHARGES_LISTED = 10;
    static final int CHARGES_SEARCHED = 50;

    private static final System.Logger LOG = System.getLogger(StarsRefundDesk.class.getName());

    private final Stores stores;
    private final StarsRefunds telegram;
    private final Pricing pricing;
    private final Texts texts;
    private final Clock clock;
    private final Outbox outbox;
    private final Executor afterCommit;

    /** @param afterCommit where Telegram is asked once the admin's update has committed */
    StarsRefundDesk(Stores stores, StarsRefunds telegram, Pricing pricing, Texts texts, Clock clock, Outbox outbox,
                    Executor afterCommit) {
        this.afterCommit = afterCommit;
        this.stores = stores;
        this.telegram = telegram;
        this.pricing = pricing;
        this.texts = texts;
        this.clock = clock;
        this.outbox = outbox;
    }

    /** {@code /refund_stars <charge id | user id>}: a charge is refunded, a user's charges are listed. */
    List<Reply> command(User admin, long chatId, String arg) {
        String lang = admin.language();
        if (arg.isEmpty()) {
            return say(chatId, lang, Msg.ADMIN_USAGE, texts.get(lang, Msg.USAGE_REFUND_STARS));
        }
        Optional<StarsCharge> charge = stores.payments().charge(arg);
        if (charge.isPresent()) {
            return refund(admin, chatId, charge.get());
        }
        if (arg.matches("\\d{1,18}") && stores.users().find(Long.parseLong(arg)).isPresent()) {
            return list(chatId, lang, Long.parseLong(arg));
        }
        return say(chatId, lang, Msg.REFUND_STARS_UNKNOWN, arg);
    }

    /** A user's Stars payments, each not refunded yet with its Refund button. */
    private List<Reply> list(long chatId, String lang, long userId) {
        List<StarsCharge> charges = stores.payments().charges(userId, CHARGES_LISTED);
        if (charges.isEmpty()) {
            return say(chatId, lang, Msg.REFUND_STARS_NONE, userId);
        }
        StringBuilder text = new StringBuilder(texts.get(lang, Msg.REFUND_STARS_LIST, userId));
        List<Button> buttons = new ArrayList<>();
        for (StarsCharge c : charges) {
            boolean refunded = StarsRefundAttempts.of(stores.ledger(), c.chargeId())
                    instanceof StarsRefundAttempts.Status.Refunded;
            text.append("\n").append(chargeLine(lang, c, refunded));
            if (!refunded) {
                buttons.add(refundButton(lang, c));
            }
        }
        return List.of(new Reply.SendText(chatId, text.toString(), Keyboard.grid(buttons, 1)));
    }

    String chargeLine(String lang, StarsCharge c, boolean refunded) {
        return texts.get(lang, Msg.REFUND_STARS_LINE, c.at().toString().substring(0, 16).replace('T', ' '), c.stars(),
                pricing.format(c.amount(), lang), c.chargeId(), refunded ? texts.get(lang, Msg.REFUND_STARS_REFUNDED) : "")
                .stripTrailing();
    }

    Button refundButton(String lang, StarsCharge c) {
        return Button.callback(texts.get(lang, Msg.BUTTON_REFUND_STARS, c.stars()),
                CallbackData.evergreen(CallbackAction.REFUND_STARS, c.userId() + ":" + c.reference()));
    }

    /** The Refund button: the charge of {@code userId} with that reference. */
    List<Reply> refundByReference(User admin, long chatId, long userId, String reference) {
        Optional<StarsCharge> charge = stores.payments().charges(userId, CHARGES_SEARCHED).stream()
                .filter(c -> c.reference().equals(reference)).findFirst();
        return charge.isPresent() ? refund(admin, chatId, charge.get())
                : say(chatId, admin.language(), Msg.REFUND_STARS_UNKNOWN, reference);
    }

    private List<Reply> refund(User admin, long chatId, StarsCharge c) {
        String lang = admin.language();
        StarsRefundAttempts.Status status = StarsRefundAttempts.of(stores.ledger(), c.chargeId());
        if (status instanceof StarsRefundAttempts.Status.Refunded) {
            return say(chatId, lang, Msg.REFUND_STARS_ALREADY, c.chargeId());
        }
        if (status instanceof StarsRefundAttempts.Status.InProgress) {
            return say(chatId, lang, Msg.REFUND_STARS_IN_PROGRESS, c.chargeId());
        }
        AccountId wallet = AccountId.wallet(c.userId());
        long available = stores.ledger().balance(wallet).available();
        if (available < c.amount()) {
            audit(admin, "refund.stars_refused", "balance " + available + " < " + c.amount(), c);
            return say(chatId, lang, Msg.REFUND_STARS_NOT_COVERED, c.chargeId(), pricing.format(available, lang),
                    pricing.format(c.amount(), lang));
        }
        LedgerResult held = hold(wallet, c, ((StarsRefundAttempts.Status.Open) status).attempt());
        if (!(held instanceof LedgerResult.Created created)) {
            return say(chatId, lang, refusal(held), c.chargeId(),
                    pricing.format(stores.ledger().balance(wallet).available(), lang), pricing.format(c.amount(), lang));
        }
        String hold = created.transfer().id();
        stores.transactions().afterCommit(() -> afterCommit.execute(() -> askTelegram(admin, chatId, c, hold)));
        return List.of(); // the admin hears Telegram's answer
    }

    /**
     * Outside any transaction, the hold committed: asks Telegram, then settles the hold with both notices. When the
     * settling cannot be written (the database lost right then), the hold stays: the refund Telegram reports posts
     * it, or its deadline returns the money when Telegram refused.
     */
    private void askTelegram(User admin, long chatId, StarsCharge c, String hold) {
        if (!heldLongEnough(hold)) {
            stores.transactions().inOne(() -> {
                outbox.sendAll(notAsked(admin, chatId, c, hold));
                return null;
            });
            return;
        }
        StarsRefundResult answer = telegram.refund(c.userId(), c.chargeId());
        try {
            stores.transactions().inOne(() -> {
                outbox.sendAll(settle(admin, chatId, c, hold, answer));
                return null;
            });
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Telegram answered the refund of {0} ({1}) but the answer could not be "
                    + "recorded ({2}); its hold {3} is settled by the refund Telegram reports or by its deadline",
                    c.chargeId(), answer.getClass().getSimpleName(), e.getClass().getName(), hold);
        }
    }

    /**
     * Whether the hold outlasts Telegram's answer. A call that waited in its queue (Telegram slow for the calls
     * before it) may find its hold about to expire; asked then, the Stars could go back after the sweeper returned
     * the money to the wallet, and only what the user has not spent by Telegram's report could be taken back.
     */
    private boolean heldLongEnough(String hold) {
        Optional<Instant> timeout = stores.ledger().find(hold).flatMap(Transfer::timeoutAt);
        return stores.ledger().holdState(hold).filter(st -> st == HoldState.PENDING).isPresent()
                && timeout.filter(t -> clock.instant().plus(ASK_MARGIN).isBefore(t)).isPresent();
    }

    /** Not asked: the hold is given back (if the sweeper has not), and the admin may ask again. */
    private List<Reply> notAsked(User admin, long chatId, StarsCharge c, String hold) {
        stores.ledger().voidHold(Ledger.voidId(hold), hold);
        audit(admin, "refund.stars_not_asked", "the hold would not outlast Telegram's answer", c);
        String lang = admin.language();
        return say(chatId, lang, Msg.REFUND_STARS_FAILED, c.chargeId(), texts.get(lang, Msg.REFUND_STARS_TOO_LATE));
    }

    private List<Reply> settle(User admin, long chatId, StarsCharge c, String hold, StarsRefundResult answer) {
        String lang = admin.language();
        if (answer instanceof StarsRefundResult.Failed failed && !voidedTooLate(hold)) {
            audit(admin, "refund.stars_failed", failed.reason(), c);
            return say(chatId, lang, Msg.REFUND_STARS_FAILED, c.chargeId(), failed.reason());
        }
        if (!StarsRefundAttempts.post(stores.ledger(), hold)) {
            // the hold expired while Telegram was asked: the refund Telegram reports takes the money instead
            audit(admin, "refund.stars_hold_lost", answer.toString(), c);
            return say(chatId, lang, Msg.REFUND_STARS_FAILED, c.chargeId(), texts.get(lang, Msg.REFUND_STARS_HOLD_LOST));
        }
        audit(admin, "refund.stars", "refunded " + c.stars() + " XTR, debited " + c.amount() + " (" + answer + ")", c);
        tellUser(c);
        return say(chatId, lang, Msg.REFUND_STARS_DONE, c.stars(), pricing.format(c.amount(), lang), c.userId());
    }

    /**
     * Holds the charge's amount under the first attempt number not used before (a number whose hold was refused
     * for want of money stays refused, so the next one is tried).
     *
     * @return the last request's result: Created when held
     */
    private LedgerResult hold(AccountId wallet, StarsCharge c, int first) {
        LedgerResult r = new LedgerResult.Rejected(LedgerResult.Reason.ID_ALREADY_FAILED, "attempts used up");
        for (int n = first; n <= StarsRefundAttempts.ATTEMPTS_MAX; n++) {
            r = stores.ledger().hold(StarsRefundAttempts.holdId(c.chargeId(), n), wallet, AccountId.STARS_CLEARING,
                    c.amount(), TransferKind.STARS_REFUND, clock.instant().plus(HOLD_FOR));
            if (!(r instanceof LedgerResult.Rejected rej) || rej.reason() != LedgerResult.Reason.ID_ALREADY_FAILED) {
                return r;
            }
        }
        return r;
    }

    /** Why a refund's hold was not placed; the texts take (charge id, balance, amount). */
    private static Msg refusal(LedgerResult held) {
        if (held instanceof LedgerResult.Exists) {
            return Msg.REFUND_STARS_IN_PROGRESS;
        }
        LedgerResult.Reason reason = ((LedgerResult.Rejected) held).reason();
        return reason == LedgerResult.Reason.INSUFFICIENT_FUNDS ? Msg.REFUND_STARS_NOT_COVERED
                : Msg.REFUND_STARS_EXHAUSTED;
    }

    /** Telegram refused: the hold is voided. @return true when it was posted first (Telegram reported the refund) */
    private boolean voidedTooLate(String holdId) {
        LedgerResult r = stores.ledger().voidHold(Ledger.voidId(holdId), holdId);
        return r instanceof LedgerResult.Rejected rej && rej.reason() == LedgerResult.Reason.ALREADY_POSTED;
    }

    private void tellUser(StarsCharge c) {
        String lang = stores.users().find(c.userId()).map(User::language).orElse("ru");
        long balance = stores.ledger().balance(AccountId.wallet(c.userId())).available();
        outbox.send(new Reply.SendText(c.userId(), texts.get(lang, Msg.TOPUP_REFUNDED_DEBITED, c.stars(),
                pricing.format(c.amount(), lang), pricing.format(balance, lang)), Keyboard.NONE));
    }

    private List<Reply> say(long chatId, String lang, Msg msg, Object... args) {
        return List.of(new Reply.SendText(chatId, texts.get(lang, msg, args), Keyboard.NONE));
    }

    private void audit(User admin, String action, String detail, StarsCharge c) {
        stores.audit().record(new AuditEvent(clock.instant(), "admin:" + Actor.mask(admin.id()), action, detail,
                Optional.of(c.chargeId())));
    }
}
