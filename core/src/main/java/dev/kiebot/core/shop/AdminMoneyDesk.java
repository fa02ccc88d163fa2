package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.ChatSession;
import dev.kiebot.core.conversation.ChatSessions;
import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.MoneyConfirmation;
import dev.kiebot.core.conversation.TypedUserId;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An admin's {@code /topup_user} and {@code /debit_user}. The command moves nothing: it shows whom (id, name, balance),
 * how much and the balance after, under «Начислить» / «Списать» and «Отмена», and keeps that confirmation in the
 * admin's chat session ({@link MoneyConfirmation}: in the database every instance shares, kept across restarts). The
 * press moves the money once: under the ledger id the command's update and admin make ({@code manual:upd:…},
 * {@code debit:upd:…}), which the button's nonce names, so a second press, a re-delivered update or a press of a copy
 * in another chat finds it made and says so. A typo (50000 for 500, another user's id) was credited the moment it was
 * sent, with nothing to catch it.
 *
 * <p>A press moves money only when its nonce is the confirmation this chat keeps and it has not expired
 * ({@link MoneyConfirmation#VALID}); anything else (cancelled, replaced by a newer command, shown in another chat,
 * forged) is refused and moves nothing. The conversation lets only admins' presses through ({@code ShopSettings}'
 * admins now, not when the command was given). The user hears only of money that moved; the audit line and the money
 * log are written when it moves.
 */
final class AdminMoneyDesk {
    /**
     * The most one {@code /topup_user} or {@code /debit_user} moves: ten times the default largest card top-up
     * (1 000 000 in rubles). Only the ledger's bound (10 000 000 000) held before, and a fat finger's «9999999999»
     * was asked as «Начислить 9 999 999 999 ₽?»; a larger sum goes in several commands.
     */
    static final long LIMIT = 10 * dev.kiebot.core.payments.ManualPayments.DEFAULT_MAX;

    private final Stores stores;
    private final Pricing pricing;
    private final Texts texts;
    private final Clock clock;
    private final Outbox outbox;
    private final Referrals referrals;
    private final CreditNotice creditNotice;

    AdminMoneyDesk(Stores stores, Pricing pricing, Texts texts, Clock clock, Outbox outbox, Referrals referrals) {
        this.stores = stores;
        this.pricing = pricing;
        this.texts = texts;
        this.clock = clock;
        this.outbox = outbox;
        this.referrals = referrals;
        this.creditNotice = new CreditNotice(stores, texts, pricing);
    }

    /** What {@code /topup_user} and {@code /debit_user} are given: a known user and an amount, or why not. */
    private sealed interface UserAmount {
        record Read(User user, long amount) implements UserAmount {
        }

        record Refused(String answer) implements UserAmount {
        }
    }

    /**
     * {@code /topup_user} ({@code credit}) or {@code /debit_user}: the confirmation to press, kept in the chat's session
     * in place of any earlier one; or why there is nothing to confirm (the usage, an unknown user, an amount the ledger
     * would refuse or more than a debit can take), or that this very command was carried out already.
     */
    List<Reply> ask(User admin, long chatId, long updateId, boolean credit, String args) {
        String lang = admin.language();
        UserAmount given = userAmount(lang, args, credit ? Msg.USAGE_TOPUP_USER : Msg.USAGE_DEBIT_USER);
        if (given instanceof UserAmount.Refused refused) {
            return List.of(text(chatId, refused.answer()));
        }
        UserAmount.Read read = (UserAmount.Read) given;
        User user = read.user();
        long userId = user.id();
        long amount = read.amount();
        if (amount > Ledger.MAX_AMOUNT) {
            return List.of(text(chatId, texts.get(lang, Msg.ADMIN_FAILED, texts.get(lang, Msg.ADMIN_AMOUNT_INVALID))));
        }
        if (amount > LIMIT) {
            return List.of(text(chatId, texts.get(lang, Msg.ADMIN_FAILED, texts.get(lang, Msg.ADMIN_AMOUNT_OVER_LIMIT,
                    pricing.format(amount, lang), pricing.format(LIMIT, lang)))));
        }
        Optional<Transfer> made = stores.ledger().find(transferId(credit, updateId, admin.id()));
        if (made.isPresent()) {
            // the same command handled again (or, rarer still, this admin's update id given out again) after its
            // confirmation was pressed: a second confirmation would only be refused at its press
            return List.of(text(chatId, already(lang, credit, made.get())));
        }
        long available = available(userId);
        if (!credit && amount > available) {
            return List.of(text(chatId, texts.get(lang, Msg.ADMIN_FAILED,
                    texts.get(lang, Msg.ADMIN_DEBIT_SHORT, named(lang, user), pricing.format(available, lang)))));
        }
        MoneyConfirmation shown = new MoneyConfirmation(credit, userId, amount, updateId, admin.id(),
                clock.instant().plus(MoneyConfirmation.VALID));
        // written here, not with the conversation's session: the confirmation exists only once the checks above
        // (a known user, the ledger) passed, which the conversation does not make. The conversation's write of this
        // update came first in the same transaction: read back here, none of it is lost
        ChatSessions sessions = new ChatSessions(stores.chatStates());
        ChatSession session = sessions.load(chatId).orElseGet(ChatSession::initial);
        sessions.save(chatId, session.withMoney(Optional.of(shown)));
        String who = named(lang, user);
        String sum = pricing.format(amount, lang);
        String text = texts.get(lang, credit ? Msg.ADMIN_MONEY_CONFIRM_CREDIT : Msg.ADMIN_MONEY_CONFIRM_DEBIT, sum, who,
                pricing.format(available, lang), pricing.format(credit ? available + amount : available - amount, lang),
                MoneyConfirmation.VALID.toMinutes());
        if (credit) {
            // his first paid top-up pays his inviter: a typo's bonus is seen before it is paid, not found in /find
            text += referrals.wouldPay(userId, amount).map(d -> "\n" + texts.get(lang, Msg.ADMIN_REFERRAL_WOULD_PAY,
                    named(lang, d.inviter()), pricing.format(d.amount(), lang))).orElse("");
        }
        return List.of(new Reply.SendText(chatId, text, Keyboard.of(List.of(
                Button.callback(texts.get(lang, credit ? Msg.BUTTON_MONEY_CREDIT : Msg.BUTTON_MONEY_DEBIT, sum),
                        CallbackData.evergreen(CallbackAction.MOVE_MONEY, shown.nonce())),
                Button.callback(texts.get(lang, Msg.BUTTON_CANCEL),
                        CallbackData.evergreen(CallbackAction.DROP_MONEY, shown.nonce()))))));
    }

    /**
     * A press under a confirmation: the money moves when the nonce is the one this chat kept and it has not expired.
     * The conversation took it off the chat's session in the press's own write ({@link Effect.SettleMoney#kept()}):
     * gone either way, so the next press of it is told what became of it; nothing here reads or writes the session.
     */
    List<Reply> settle(User admin, long chatId, Effect.SettleMoney e) {
        String lang = admin.language();
        Optional<MoneyConfirmation> shown = e.kept()
                .filter(m -> m.nonce().equals(e.nonce()) && m.adminId() == admin.id());
        if (shown.isEmpty()) {
            return notHere(lang, chatId, e);
        }
        MoneyConfirmation m = shown.get();
        if (!e.move()) {
            return show(chatId, e.messageId(), texts.get(lang, Msg.ADMIN_MONEY_CANCELLED, named(lang, m.userId())));
        }
        if (!clock.instant().isBefore(m.expiresAt())) {
            return show(chatId, e.messageId(), texts.get(lang, Msg.ADMIN_MONEY_EXPIRED,
                    MoneyConfirmation.VALID.toMinutes()));
        }
        return show(chatId, e.messageId(), m.credit() ? topUp(admin, lang, m) : debit(admin, lang, m));
    }

    /**
     * A nonce this chat does not keep: pressed before (a double tap, the update handled again, a restart between),
     * pressed in another admin's chat, cancelled, replaced by a newer command, or forged. When its transfer was made
     * the admin is told it was done, in a message of its own below the one that said «Готово»; otherwise the
     * confirmation is refused where it was pressed.
     */
    private List<Reply> notHere(String lang, long chatId, Effect.SettleMoney e) {
        Optional<MoneyConfirmation.Nonce> n = MoneyConfirmation.Nonce.read(e.nonce());
        Optional<Transfer> made = n.flatMap(c -> stores.ledger().find(transferId(c.credit(), c.updateId(),
                c.adminId())));
        if (made.isPresent()) {
            return List.of(text(chatId, already(lang, n.get().credit(), made.get())));
        }
        return show(chatId, e.messageId(), texts.get(lang, Msg.ADMIN_MONEY_GONE));
    }

    /**
     * The ledger id of the command's money: keyed by the admin's command update and the admin, so it moves once
     * however often its confirmation is pressed, and another admin's command under an update id Telegram gave out
     * again ({@link UpdateKey}) is not taken for it.
     */
    private static String transferId(boolean credit, long updateId, long adminId) {
        return (credit ? "manual:" : "debit:") + UpdateKey.of(updateId, adminId);
    }

    /** «This command was carried out before», with what it moved then and the balance now. */
    private String already(String lang, boolean credit, Transfer t) {
        AccountId wallet = credit ? t.credit() : t.debit();
        long userId = wallet.walletOwner().map(Long::parseLong).orElse(0L);
        return texts.get(lang, credit ? Msg.ADMIN_TOPUP_ALREADY : Msg.ADMIN_DEBIT_ALREADY, named(lang, userId),
                pricing.format(t.amount(), lang), pricing.format(stores.ledger().balance(wallet).available(), lang));
    }

    private long available(long userId) {
        return stores.ledger().balance(AccountId.wallet(userId)).available();
    }

    private UserAmount userAmount(String lang, String args, Msg usage) {
        // the user's id, then the amount as typed: the rest of the line, as «1 234,50» has spaces of its own
        String[] parts = args.strip().split("\\s+", 2);
        if (parts.length != 2 || !TypedUserId.hasItsForm(parts[0])) {
            return new UserAmount.Refused(texts.get(lang, Msg.ADMIN_USAGE, texts.get(lang, usage)));
        }
        Optional<Long> id = TypedUserId.read(parts[0]);
        if (id.isEmpty()) { // past the largest id a user can have
            return new UserAmount.Refused(texts.get(lang, Msg.ADMIN_FAILED,
                    texts.get(lang, Msg.ADMIN_UNKNOWN_USER, parts[0])));
        }
        long userId = id.get();
        // the same reading as an amount a user types for a card top-up, the currency after it too («500р», «500 ₽»)
        OptionalLong typed = pricing.parseInCurrency(parts[1]);
        if (typed.isEmpty() || typed.getAsLong() <= 0) {
            return new UserAmount.Refused(texts.get(lang, Msg.ADMIN_FAILED,
                    texts.get(lang, Msg.ADMIN_AMOUNT_UNREADABLE, parts[1].strip())));
        }
        Optional<User> user = stores.users().find(userId);
        if (user.isEmpty()) {
            return new UserAmount.Refused(texts.get(lang, Msg.ADMIN_FAILED,
                    texts.get(lang, Msg.ADMIN_UNKNOWN_USER, Texts.id(userId))));
        }
        return new UserAmount.Read(user.get(), typed.getAsLong());
    }

    private String topUp(User admin, String lang, MoneyConfirmation m) {
        long userId = m.userId();
        long amount = m.amount();
        String id = transferId(true, m.updateId(), admin.id());
        LedgerResult r = stores.ledger().transfer(id, AccountId.MANUAL_CLEARING, AccountId.wallet(userId), amount,
                TransferKind.TOP_UP_MANUAL);
        audit(admin, "topup.manual", userId + " +" + amount + " " + r.getClass().getSimpleName(), id);
        if (r instanceof LedgerResult.Rejected rejected) {
            return texts.get(lang, Msg.ADMIN_FAILED, LedgerRefusals.toAdmin(texts, lang, rejected));
        }
        User user = stores.users().find(userId).orElseThrow();
        long balance = available(userId);
        if (r instanceof LedgerResult.Exists) {
            // made meanwhile under the same command (it was shown again and pressed there): this press credited
            // nothing, and "Done" would say it had; the user was told the first time
            return texts.get(lang, Msg.ADMIN_TOPUP_ALREADY, named(lang, user), pricing.format(amount, lang),
                    pricing.format(balance, lang));
        }
        MoneyLog.moved(stores, pricing, "admin " + Actor.mask(admin.id()) + " credited", userId, amount,
                MoneyLog.masked(id, admin.id()));
        outbox.send(creditNotice.to(user.id(), user.language(), amount, balance));
        Optional<Reply> bonus = referrals.paid(userId, amount);
        bonus.ifPresent(outbox::send);
        // a top-up of an invited user's pays his inviter: the admin learns it from his own reply, not from /find later
        String paid = bonus.flatMap(b -> stores.ledger().find(Referrals.transferId(userId)))
                .map(t -> "\n" + texts.get(lang, Msg.ADMIN_REFERRAL_PAID, named(lang, bonus.get().chatId()),
                        pricing.format(t.amount(), lang))).orElse("");
        return texts.get(lang, Msg.ADMIN_DONE, texts.get(lang, Msg.ADMIN_CREDITED, named(lang, user), pricing.format(amount, lang),
                pricing.format(balance, lang))) + paid;
    }

    /**
     * Money off a wallet (a top-up credited by mistake, a card payment the bank took back), at most what is available:
     * money a running generation holds is the generation's, and one started since the confirmation was shown may
     * leave less than it said. The user is told, and where to turn if it is a mistake.
     */
    private String debit(User admin, String lang, MoneyConfirmation m) {
        long userId = m.userId();
        String id = transferId(false, m.updateId(), admin.id());
        LedgerResult r = stores.ledger().transfer(id, AccountId.wallet(userId), AccountId.MANUAL_CLEARING,
                m.amount(), TransferKind.DEBIT_MANUAL);
        audit(admin, "debit.manual", userId + " -" + m.amount() + " " + r.getClass().getSimpleName(), id);
        long balance = available(userId);
        if (r instanceof LedgerResult.Rejected rejected) {
            return texts.get(lang, Msg.ADMIN_FAILED, rejected.reason() == LedgerResult.Reason.INSUFFICIENT_FUNDS
                    ? texts.get(lang, Msg.ADMIN_DEBIT_SHORT, named(lang, userId), pricing.format(balance, lang))
                    : LedgerRefusals.toAdmin(texts, lang, rejected));
        }
        String amount = pricing.format(m.amount(), lang);
        if (r instanceof LedgerResult.Exists) {
            return texts.get(lang, Msg.ADMIN_DEBIT_ALREADY, named(lang, userId), amount, pricing.format(balance, lang));
        }
        MoneyLog.moved(stores, pricing, "admin " + Actor.mask(admin.id()) + " debited", userId, -m.amount(),
                MoneyLog.masked(id, admin.id()));
        User user = stores.users().find(userId).orElseThrow();
        outbox.send(new Reply.SendText(user.id(), texts.get(user.language(), Msg.TOPUP_DEBITED,
                pricing.format(m.amount(), user.language()), pricing.format(balance, user.language())), Keyboard.NONE));
        // only the bonus the debited part of his first top-up earned: a typo top-up corrected keeps the real one's
        referrals.debitedBy(userId, id).ifPresent(outbox::send);
        return texts.get(lang, Msg.ADMIN_DONE, texts.get(lang, Msg.ADMIN_DEBITED, named(lang, user), amount,
                pricing.format(balance, lang)));
    }

    /**
     * The user as /ban and /unban name him, his name before his id («User42 · @fox (ID 42)»): «пользователю 42
     * зачислено» asked the admin to remember whose id he typed, and a digit off credits a stranger unnoticed.
     */
    private String named(String lang, User user) {
        return texts.get(lang, Msg.ADMIN_MONEY_WHO, Texts.id(user.id()), user.firstName(), AdminSearch.handle(user));
    }

    /** {@link #named(String, User)} of the user with this id; the id alone for one the shop does not know. */
    private String named(String lang, long userId) {
        return stores.users().find(userId).map(u -> named(lang, u)).orElse(String.valueOf(userId));
    }

    private static Reply text(long chatId, String text) {
        return new Reply.SendText(chatId, text, Keyboard.NONE);
    }

    /** The confirmation's message says what came of it, its buttons gone; a new message when it is not known. */
    private static List<Reply> show(long chatId, Optional<Long> messageId, String text) {
        return List.of(messageId.<Reply>map(id -> new Reply.EditText(chatId, id, text, Keyboard.NONE))
                .orElseGet(() -> text(chatId, text)));
    }

    private void audit(User admin, String action, String detail, String correlation) {
        stores.audit().record(new AuditEvent(clock.instant(), "admin:" + Actor.mask(admin.id()), action, detail,
                Optional.of(correlation)));
    }
}
