package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.ChatSession;
import dev.kiebot.core.conversation.ChatSessions;
import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.MoneyConfirmation;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.conversation.TypedUserId;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.StarsCharge;
import dev.kiebot.core.payments.StarsRefundResult;
import dev.kiebot.core.payments.StarsRefunds;
import dev.kiebot.core.payments.UncreditedCharge;
import dev.kiebot.core.payments.UncreditedRefund;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.ShownTime;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An admin gives a Stars payment back. {@code /refund_stars <charge>} and a payment list's «💸 Вернуть» move nothing:
 * they show whose payment it is, its Stars and date, what leaves the balance and what of the inviter's bonus could not
 * be taken back, under «💸 Вернуть» and «Отмена», kept as {@code /refund}'s is ({@link MoneyConfirmation}, keyed by
 * the command's or the list press's update, expiring after {@link MoneyConfirmation#VALID}). Telegram gives Stars back
 * at once and for good: a charge id pasted wrong, or a tap on the wrong one of a list's alike buttons, could not be
 * taken back. The confirmation's press goes on as below, reading the payment anew.
 *
 * <p>The press: the credited amount is held on the wallet first (refused when the unspent
 * balance no longer covers it) and the admin's update commits; only then is Telegram asked to refund the Stars,
 * and its answer posts the hold — or voids it when Telegram refused — with the admin's and the user's notices in
 * one transaction. {@code CHARGE_ALREADY_REFUNDED} counts as done. Telegram is never asked from inside the
 * update's transaction: a rollback after its answer (a notice that could not be queued) would have kept the credit
 * of Stars already given back, with nobody told. The hold's deadline returns the money when the bot dies between
 * the hold and Telegram's answer; the refund Telegram then reports posts the hold instead (see
 * {@link TopUps#refunded}). No answer at all ({@link StarsRefundResult.Unknown}: the Stars may be back) is met the same
 * way: the hold stays for Telegram's report or its deadline, and the admin is told so.
 *
 * <p>A payment that credited nothing ({@link UncreditedCharge}: the same invoice paid twice, a payment matching no
 * invoice, one whose handling failed) has no money on the wallet: nothing is held or taken, and only Telegram is
 * asked, on the same after-commit path. The admin's update claims the refund with a compare-and-set in the store, so
 * a second admin or a double press finds it claimed; Telegram's answer marks it refunded, or open again when Telegram
 * refused. A claim whose asker died is claimed again after {@link #HOLD_FOR}.
 */
final class StarsRefundDesk {
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
    private final ZoneId zone;
    private final Outbox outbox;
    private final Executor afterCommit;
    private final Referrals referrals;
    private final ShopSettings settings;
    private final HeldStarsRefunds held;

    /** @param afterCommit where Telegram is asked once the admin's update has committed */
    StarsRefundDesk(Stores stores, StarsRefunds telegram, Pricing pricing, Texts texts, Clock clock, ShopSettings settings,
                    Outbox outbox, Executor afterCommit, Referrals referrals) {
        this.settings = settings;
        this.afterCommit = afterCommit;
        this.referrals = referrals;
        this.zone = settings.zone();
        this.stores = stores;
        this.telegram = telegram;
        this.pricing = pricing;
        this.texts = texts;
        this.clock = clock;
        this.outbox = outbox;
        this.held = new HeldStarsRefunds(stores, clock);
    }

    /**
     * {@code /refund_stars <charge id | user id>}: a charge is shown for confirmation (keyed by this command's update),
     * a user's charges are listed.
     */
    List<Reply> command(User admin, long chatId, long updateId, String arg) {
        String lang = admin.language();
        if (arg.isEmpty()) {
            return say(chatId, lang, Msg.ADMIN_USAGE, texts.get(lang, Msg.USAGE_REFUND_STARS));
        }
        // first: a payment the ledger refused to credit is a recorded charge too, but there is nothing to take back
        Optional<UncreditedCharge> uncredited = stores.payments().uncredited(arg);
        if (uncredited.isPresent()) {
            return confirm(admin, chatId, updateId, uncredited.get());
        }
        Optional<StarsCharge> charge = stores.payments().charge(arg);
        if (charge.isPresent()) {
            return confirm(admin, chatId, updateId, charge.get());
        }
        Optional<Long> userId = TypedUserId.read(arg).filter(id -> stores.users().find(id).isPresent());
        if (userId.isPresent()) {
            return list(chatId, lang, userId.get());
        }
        return say(chatId, lang, Msg.REFUND_STARS_UNKNOWN, arg);
    }

    /** A user's Stars payments, each not refunded yet with its Refund button. */
    private List<Reply> list(long chatId, String lang, long userId) {
        List<Listed> payments = payments(lang, userId, CHARGES_LISTED);
        if (payments.isEmpty()) {
            return say(chatId, lang, Msg.REFUND_STARS_NONE, who(lang, userId));
        }
        StringBuilder text = new StringBuilder(texts.get(lang, Msg.REFUND_STARS_LIST, who(lang, userId)));
        for (Listed p : payments) {
            text.append("\n").append(p.line());
        }
        return List.of(new Reply.SendText(chatId, text.toString(), Keyboard.grid(buttons(payments), 1)));
    }

    /** A Stars payment as the admins see it in a list: its line, and its Refund button until it is refunded. */
    record Listed(Instant at, String line, Optional<Button> refund) {
    }

    /**
     * A user's newest Stars payments, credited or not, newest first: up to {@code limit} of each kind, so a payment
     * that credited nothing (what a ticket is most likely about) is not pushed out by newer credited ones.
     */
    List<Listed> payments(String lang, long userId, int limit) {
        List<UncreditedCharge> uncredited = stores.payments().uncreditedCharges(userId, limit);
        Set<String> notCredited = uncredited.stream().map(UncreditedCharge::chargeId).collect(Collectors.toSet());
        Optional<Referrals.Shortfall> bonusAtStake = referrals.refundShortfall(lang, userId);
        Stream<Listed> credited = stores.payments().charges(userId, limit).stream()
                .filter(c -> !notCredited.contains(c.chargeId()))
                .map(c -> {
                    boolean refunded = StarsRefundAttempts.of(stores, c.chargeId())
                            instanceof StarsRefundAttempts.Status.Refunded;
                    String shortfall = refunded ? "" : bonusAtStake.filter(b -> b.creditId()
                            .equals(TopUps.creditId(c.chargeId()))).map(b -> "\n  " + b.words()).orElse("");
                    return new Listed(c.at(), chargeLine(lang, c, refunded) + shortfall,
                            refunded ? Optional.empty() : Optional.of(refundButton(lang, c)));
                });
        Stream<Listed> kept = uncredited.stream().map(c -> {
            boolean refunded = c.refund() == UncreditedRefund.REFUNDED;
            return new Listed(c.at(), uncreditedLine(lang, c), refunded ? Optional.empty()
                    : Optional.of(Button.callback(texts.get(lang, Msg.BUTTON_REFUND_STARS, c.stars(), minute(c.at())),
                    CallbackData.evergreen(CallbackAction.REFUND_STARS, c.userId() + ":" + c.reference()))));
        });
        return Stream.concat(credited, kept).sorted(Comparator.comparing(Listed::at).reversed()).toList();
    }

    static List<Button> buttons(List<Listed> payments) {
        return payments.stream().flatMap(p -> p.refund().stream()).toList();
    }

    String uncreditedLine(String lang, UncreditedCharge c) {
        return texts.get(lang, Msg.REFUND_STARS_LINE_UNCREDITED, minute(c.at()), c.stars(), c.chargeId(),
                c.refund() == UncreditedRefund.REFUNDED ? texts.get(lang, Msg.REFUND_STARS_REFUNDED) : "")
                .stripTrailing();
    }

    /** The shop's local time, as {@code /find} and the statements show it. */
    private String minute(Instant at) {
        return ShownTime.minute(at, zone);
    }

    String chargeLine(String lang, StarsCharge c, boolean refunded) {
        return texts.get(lang, Msg.REFUND_STARS_LINE, minute(c.at()), c.stars(),
                pricing.format(c.amount(), lang), c.chargeId(), refunded ? texts.get(lang, Msg.REFUND_STARS_REFUNDED) : "")
                .stripTrailing();
    }

    /**
     * A list's button: the payment's Stars and its minute, as the list's line shows it. «💸 Вернуть 50 ⭐» alone, one
     * under another, told the admin's thumb nothing of which payment it gave back. A payment that credited nothing has
     * the same label (its line says so, and so does the confirmation): «(не зачислен)» beside the date no longer fits
     * a phone's row.
     */
    private Button refundButton(String lang, StarsCharge c) {
        return Button.callback(texts.get(lang, Msg.BUTTON_REFUND_STARS, c.stars(), minute(c.at())),
                CallbackData.evergreen(CallbackAction.REFUND_STARS, c.userId() + ":" + c.reference()));
    }

    /**
     * A list's Refund button: the payment of {@code userId} with that reference, credited or not, shown for
     * confirmation keyed by the press's update.
     */
    List<Reply> confirmByReference(User admin, long chatId, long updateId, long userId, String reference) {
        Optional<UncreditedCharge> uncredited = stores.payments().uncreditedCharges(userId, CHARGES_SEARCHED).stream()
                .filter(c -> c.reference().equals(reference)).findFirst();
        if (uncredited.isPresent()) {
            return confirm(admin, chatId, updateId, uncredited.get());
        }
        Optional<StarsCharge> charge = stores.payments().charges(userId, CHARGES_SEARCHED).stream()
                .filter(c -> c.reference().equals(reference)).findFirst();
        return charge.isPresent() ? confirm(admin, chatId, updateId, charge.get())
                : say(chatId, admin.language(), Msg.REFUND_STARS_UNKNOWN, reference);
    }

    /**
     * A credited payment before Telegram is asked: whose, how many Stars, of when, what leaves the balance, and what
     * of the inviter's bonus could not be taken back. What the press would refuse (refunded already, under way, more
     * than the balance holds) is said at once, with nothing to press.
     */
    private List<Reply> confirm(User admin, long chatId, long updateId, StarsCharge c) {
        String lang = admin.language();
        StarsRefundAttempts.Status status = StarsRefundAttempts.of(stores, c.chargeId());
        if (status instanceof StarsRefundAttempts.Status.Refunded) {
            return say(chatId, lang, Msg.REFUND_STARS_ALREADY, c.chargeId());
        }
        if (status instanceof StarsRefundAttempts.Status.InProgress) {
            return say(chatId, lang, Msg.REFUND_STARS_IN_PROGRESS, c.chargeId());
        }
        long available = stores.ledger().balance(AccountId.wallet(c.userId())).available();
        if (available < c.amount()) {
            // refused as the press would refuse it, with its audit line: /find shows the admin tried
            audit(admin, "refund.stars_refused", AuditNote.REFUSED_BALANCE.with(available, c.amount()), c);
            return say(chatId, lang, Msg.REFUND_STARS_NOT_COVERED, c.chargeId(), pricing.format(available, lang),
                    pricing.format(c.amount(), lang));
        }
        String loss = referrals.refundShortfall(lang, c.userId())
                .filter(b -> b.creditId().equals(TopUps.creditId(c.chargeId()))).map(b -> "\n" + b.words()).orElse("");
        MoneyConfirmation shown = keep(admin, chatId, updateId, c.userId(), c.amount(), c.chargeId());
        String text = texts.get(lang, Msg.REFUND_STARS_CONFIRM, c.stars(), minute(c.at()), who(lang, c.userId()),
                pricing.format(c.amount(), lang), pricing.format(available, lang), loss, c.chargeId(),
                MoneyConfirmation.VALID.toMinutes());
        return List.of(new Reply.SendText(chatId, text, confirmButtons(lang, c.stars(), shown)));
    }

    /** A payment that credited nothing, before Telegram is asked: nothing leaves the balance. */
    private List<Reply> confirm(User admin, long chatId, long updateId, UncreditedCharge c) {
        String lang = admin.language();
        if (c.refund() == UncreditedRefund.REFUNDED) {
            return say(chatId, lang, Msg.REFUND_STARS_ALREADY, c.chargeId());
        }
        MoneyConfirmation shown = keep(admin, chatId, updateId, c.userId(), 0, c.chargeId());
        String text = texts.get(lang, Msg.REFUND_STARS_CONFIRM_UNCREDITED, c.stars(), minute(c.at()),
                who(lang, c.userId()), c.chargeId(), MoneyConfirmation.VALID.toMinutes());
        return List.of(new Reply.SendText(chatId, text, confirmButtons(lang, c.stars(), shown)));
    }

    /**
     * Kept as a credit's is ({@link AdminMoneyDesk}): in the admin's chat session, in place of any confirmation shown
     * before, pressed only there and only by him. The conversation's write of this update came first in the same
     * transaction: read back here, none of it is lost.
     */
    private MoneyConfirmation keep(User admin, long chatId, long updateId, long userId, long amount, String chargeId) {
        MoneyConfirmation shown = new MoneyConfirmation(false, userId, amount, updateId, admin.id(),
                clock.instant().plus(MoneyConfirmation.VALID), OptionalLong.empty(), Optional.empty(), Optional.of(chargeId));
        ChatSessions sessions = new ChatSessions(stores.chatStates());
        ChatSession session = sessions.load(chatId).orElseGet(ChatSession::initial);
        sessions.save(chatId, session.withMoney(Optional.of(shown)));
        return shown;
    }

    private Keyboard confirmButtons(String lang, long stars, MoneyConfirmation shown) {
        return Keyboard.of(List.of(
                Button.callback(texts.get(lang, Msg.BUTTON_REFUND_STARS_CONFIRM, stars),
                        CallbackData.evergreen(CallbackAction.MOVE_MONEY, shown.nonce())),
                Button.callback(texts.get(lang, Msg.BUTTON_CANCEL),
                        CallbackData.evergreen(CallbackAction.DROP_MONEY, shown.nonce()))));
    }

    private String who(String lang, long userId) {
        return stores.users().find(userId)
                .map(u -> texts.get(lang, Msg.ADMIN_MONEY_WHO, Texts.id(u.id()), u.firstName(), AdminSearch.handle(u)))
                .orElse(Long.toString(userId));
    }

    /**
     * A press under a Stars refund's confirmation: Telegram is asked when the nonce is the one this chat kept (the
     * conversation took it off the session in this press's own write: a second press finds none), pressed by the
     * admin it was shown to, not expired. The payment is read anew: one refunded meanwhile (by another admin, by
     * Telegram's report) or under way is told so and moves nothing, as is a balance spent below its amount.
     */
    List<Reply> settle(User admin, long chatId, Effect.SettleMoney e) {
        String lang = admin.language();
        Optional<MoneyConfirmation> shown = e.kept().filter(MoneyConfirmation::starsRefund)
                .filter(m -> m.nonce().equals(e.nonce()) && m.adminId() == admin.id());
        if (shown.isEmpty()) {
            return show(chatId, e.messageId(), texts.get(lang, Msg.REFUND_STARS_GONE));
        }
        MoneyConfirmation m = shown.get();
        String chargeId = m.charge().orElseThrow();
        if (!e.move()) {
            return show(chatId, e.messageId(), texts.get(lang, Msg.ADMIN_MONEY_DROPPED_STARS, chargeId,
                    who(lang, m.userId())));
        }
        if (!clock.instant().isBefore(m.expiresAt())) {
            return show(chatId, e.messageId(), texts.get(lang, Msg.REFUND_STARS_EXPIRED,
                    MoneyConfirmation.VALID.toMinutes(), chargeId));
        }
        Optional<UncreditedCharge> uncredited = stores.payments().uncredited(chargeId);
        if (uncredited.isPresent()) {
            return pressed(chatId, e.messageId(), lang, uncredited.get().stars(), chargeId,
                    refundUncredited(admin, chatId, uncredited.get()));
        }
        Optional<StarsCharge> charge = stores.payments().charge(chargeId);
        if (charge.isEmpty()) {
            return show(chatId, e.messageId(), texts.get(lang, Msg.REFUND_STARS_UNKNOWN, chargeId));
        }
        return pressed(chatId, e.messageId(), lang, charge.get().stars(), chargeId, refund(admin, chatId,
                charge.get()));
    }

    /**
     * The confirmation's message says what came of the press, its buttons gone: why nothing moved, or that Telegram
     * is being asked (its answer comes in a message of its own, once the press's update committed).
     */
    private List<Reply> pressed(long chatId, Optional<Long> messageId, String lang, long stars, String chargeId,
                                List<Reply> answer) {
        if (answer.isEmpty()) {
            return show(chatId, messageId, texts.get(lang, Msg.REFUND_STARS_ASKED, stars, chargeId));
        }
        if (answer.size() == 1 && answer.get(0) instanceof Reply.SendText t && t.chatId() == chatId) {
            return show(chatId, messageId, t.text());
        }
        return answer;
    }

    /** As {@link AdminRefundDesk}'s: the message edited in place; a new message when it is not known. */
    private static List<Reply> show(long chatId, Optional<Long> messageId, String text) {
        return List.of(messageId.<Reply>map(id -> new Reply.EditText(chatId, id, text, Keyboard.NONE))
                .orElseGet(() -> new Reply.SendText(chatId, text, Keyboard.NONE)));
    }

    private List<Reply> refund(User admin, long chatId, StarsCharge c) {
        String lang = admin.language();
        stores.payments().lockCharge(c.chargeId()); // Telegram's report of a refund waits, or went first
        // then the user's turn (HeldStarsRefunds.takeUsersTurn), as a report of his other charges takes it: this hold,
        // made outside his chat, is placed before such a report reads his running holds (it waits for their
        // resolutions, the void of this one too) or after it commits. Placed in between, the report took nothing of
        // the money this hold took and owed it from the hold; voided before the report committed (Telegram refusing),
        // the void's settling read no debt and the money stayed on the wallet till the upkeep's sweep (or, voided
        // before the owing, for good, booked as the shop's loss) (StarsRefundReportBesideAnOutsideHoldTest)
        held.takeUsersTurn(c.userId());
        StarsRefundAttempts.Status status = StarsRefundAttempts.of(stores, c.chargeId());
        if (status instanceof StarsRefundAttempts.Status.Refunded) {
            return say(chatId, lang, Msg.REFUND_STARS_ALREADY, c.chargeId());
        }
        if (status instanceof StarsRefundAttempts.Status.InProgress) {
            return say(chatId, lang, Msg.REFUND_STARS_IN_PROGRESS, c.chargeId());
        }
        AccountId wallet = AccountId.wallet(c.userId());
        long available = stores.ledger().balance(wallet).available();
        if (available < c.amount()) {
            audit(admin, "refund.stars_refused", AuditNote.REFUSED_BALANCE.with(available, c.amount()), c);
            return say(chatId, lang, Msg.REFUND_STARS_NOT_COVERED, c.chargeId(), pricing.format(available, lang),
                    pricing.format(c.amount(), lang));
        }
        LedgerResult held = hold(wallet, c, ((StarsRefundAttempts.Status.Open) status).attempt());
        if (!(held instanceof LedgerResult.Created created)) {
            return notHeld(chatId, lang, c, wallet, held);
        }
        String hold = created.transfer().id();
        if (reportedMeanwhile(admin, c, hold)) {
            return say(chatId, lang, Msg.REFUND_STARS_ALREADY, c.chargeId());
        }
        handOff("the Stars refund of " + c.chargeId(), () -> askTelegram(admin, chatId, c, hold));
        return List.of(); // the admin hears Telegram's answer
    }

    /**
     * Telegram is asked once the admin's update commits. A hand-off refused (a full queue) or a call that throws is
     * logged, not thrown into the commit: the admin's update committed, and what it claimed ends by itself (a hold at
     * its deadline, an uncredited payment's claim when it goes stale), so the admin may ask again.
     */
    private void handOff(String what, Runnable ask) {
        stores.transactions().afterCommit(AfterCommit.guarded(what, () -> afterCommit.execute(
                AfterCommit.guarded(what, ask))));
    }

    /**
     * Outside any transaction, the hold committed: asks Telegram, then settles the hold with both notices. When the
     * settling cannot be written (the database lost right then), the hold stays: the refund Telegram reports posts
     * it, or its deadline returns the money when Telegram refused.
     */
    private void askTelegram(User admin, long chatId, StarsCharge c, String hold) {
        if (!heldLongEnough(hold)) {
            stores.transactions().inOne(() -> {
                stores.payments().lockCharge(c.chargeId());
                outbox.sendAll(postedMeanwhile(hold) ? reportedWhileQueued(admin, chatId, c.chargeId())
                        : notAsked(admin, chatId, c, hold));
                return null;
            });
            return;
        }
        StarsRefundResult answer = telegram.refund(c.userId(), c.chargeId());
        try {
            stores.transactions().inOne(() -> {
                stores.payments().lockCharge(c.chargeId()); // a report of the refund settles before or after this
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
     * An admin's attempt whose hold the sweeper expired, the money back on the wallet: the bot stopped between the
     * press and recording Telegram's answer (its answer to the admin went in the same transaction), so nobody was
     * told that the refund stopped, nor whether Telegram gave the Stars back. The admins are told now, once per
     * attempt: the audit line of a lost hold is the guard, so an answer that met the expired hold and told the admin
     * ({@code refund.stars_hold_lost}) is not told again. Asking again is safe either way: Telegram answers that the
     * charge was refunded already, and the amount is taken once.
     */
    void holdExpired(String holdId) {
        Optional<StarsCharge> charge = StarsRefundAttempts.chargeOfHold(holdId).flatMap(stores.payments()::charge);
        if (charge.isEmpty()) {
            return; // a job's hold, or a charge the store no longer has
        }
        StarsCharge c = charge.get();
        Instant now = clock.instant();
        AuditEvent telling = new AuditEvent(now, "system", "refund.stars_hold_lost", AuditNote.HOLD_EXPIRED.with(),
                Optional.of(c.chargeId()));
        // since this attempt's hold was placed: an earlier attempt's line, HOLD_FOR or more before, is another occasion
        stores.transactions().inOne(() -> AdminAlerts.sendFirst(stores, settings, outbox, telling,
                now.minus(HOLD_FOR).plusNanos(1_000), lang -> texts.get(lang, Msg.ADMIN_ALERT_STARS_REFUND_CUT_OFF,
                        c.chargeId(), c.stars(), pricing.format(c.amount(), lang))));
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

    /**
     * Whether Telegram's report of a refund (one this attempt did not ask for) took the charge's money by itself while
     * this attempt was under way: its status read came before the report's transfer, or the report's read came before
     * this hold. Then the hold is given back: posting it too would take the charge's amount twice.
     */
    private boolean reportedMeanwhile(User admin, StarsCharge c, String hold) {
        if (StarsRefundAttempts.reported(stores.ledger(), c.chargeId()).isEmpty()) {
            return false;
        }
        stores.ledger().voidHold(Ledger.voidId(hold), hold);
        held.settle(hold);
        audit(admin, "refund.stars_reported", AuditNote.REPORTED_HOLD_GIVEN_BACK.with(), c);
        return true;
    }

    private boolean postedMeanwhile(String hold) {
        return stores.ledger().holdState(hold).filter(st -> st == HoldState.POSTED).isPresent();
    }

    /**
     * Telegram reported a refund of the charge while this call waited in its queue, and the report posted this hold:
     * the money is taken and the Stars are back, so there is nothing to ask, and "ask again" would be wrong.
     */
    private List<Reply> reportedWhileQueued(User admin, long chatId, String chargeId) {
        audit(admin, "refund.stars_reported", AuditNote.REPORTED_BEFORE_ASKED.with(), chargeId);
        if (TopUps.reportTold(stores, chargeId)) {
            return List.of(); // the report told the admins it is done, this one among them
        }
        return say(chatId, admin.language(), Msg.REFUND_STARS_ALREADY, chargeId);
    }

    /** Not asked: the hold is given back (if the sweeper has not), and the admin may ask again. */
    private List<Reply> notAsked(User admin, long chatId, StarsCharge c, String hold) {
        stores.ledger().voidHold(Ledger.voidId(hold), hold);
        held.settle(hold);
        audit(admin, "refund.stars_not_asked", AuditNote.NOT_ASKED_HOLD.with(), c);
        String lang = admin.language();
        return say(chatId, lang, Msg.REFUND_STARS_FAILED, c.chargeId(), texts.get(lang, Msg.REFUND_STARS_TOO_LATE));
    }

    private List<Reply> settle(User admin, long chatId, StarsCharge c, String hold, StarsRefundResult answer) {
        String lang = admin.language();
        if (reportedMeanwhile(admin, c, hold)) {
            return say(chatId, lang, Msg.REFUND_STARS_ALREADY, c.chargeId());
        }
        if (answer instanceof StarsRefundResult.Failed failed && !voidedTooLate(hold)) {
            audit(admin, "refund.stars_failed", AuditNote.FAILED.with(failed.reason()), c);
            return say(chatId, lang, Msg.REFUND_STARS_FAILED, c.chargeId(), why(lang, failed));
        }
        Optional<Instant> keptUntil = stores.ledger().holdState(hold).filter(st -> st == HoldState.PENDING)
                .flatMap(st -> stores.ledger().find(hold)).flatMap(Transfer::timeoutAt);
        if (answer instanceof StarsRefundResult.Unknown unknown && keptUntil.isPresent()) {
            // the Stars may be back: voided, the hold would leave the payer both them and the balance. Telegram's
            // report of the refund posts it; without one its deadline gives the money back and the admins are told
            audit(admin, "refund.stars_unanswered", AuditNote.UNANSWERED.with(unknown.reason()), c);
            return say(chatId, lang, Msg.REFUND_STARS_OUTCOME_UNKNOWN, c.chargeId(), c.stars(),
                    pricing.format(c.amount(), lang), unknown.reason(), Texts.id(c.userId()), minutesUntil(keptUntil.get()));
        }
        LedgerResult posted = StarsRefundAttempts.postNow(stores.ledger(), hold);
        held.settle(hold);
        if (answer instanceof StarsRefundResult.Unknown && !StarsRefundAttempts.posted(posted)) {
            // no answer, and the hold expired meanwhile: the money is back on the wallet, as after a restart, and the
            // admins hear it so, once per attempt (the sweeper that expired the hold may have told them already)
            return cutOff(admin, chatId, c, hold, answer);
        }
        if (!StarsRefundAttempts.posted(posted)) {
            // the hold expired while Telegram was asked: the refund Telegram reports takes the money instead. Told once
            // per attempt: the sweeper that expired the hold may have told every admin already (holdExpired, on the
            // same audit line since this hold was placed), and then this admin, one of them, hears nothing more
            AuditEvent lost = new AuditEvent(clock.instant(), "admin:" + Actor.mask(admin.id()),
                    "refund.stars_hold_lost", AuditNote.HOLD_LOST.with(AuditNote.answer(answer)),
                    Optional.of(c.chargeId()));
            Instant placed = stores.ledger().find(hold).map(Transfer::createdAt).orElse(Instant.EPOCH);
            if (!stores.audit().recordFirst(lost, placed)) {
                return List.of();
            }
            // Telegram said done (a failure met its hold above, given back or posted by the report): the Stars are
            // back, and the money is taken by the report. It read «Telegram did not refund … the hold expired», which
            // sent the admin to ask again for a refund that was done
            return say(chatId, lang, Msg.REFUND_STARS_DONE_HOLD_LOST, c.chargeId(), c.stars(),
                    pricing.format(c.amount(), lang), Texts.id(c.userId()));
        }
        if (posted instanceof LedgerResult.Created) {
            // else Telegram's report posted the hold meanwhile: it audited, logged and told the user then, and a second
            // line here would show one refund twice in the money log
            audit(admin, "refund.stars", AuditNote.REFUND_STARS_ASKED.with(c.stars(), c.amount(),
                    AuditNote.answer(answer)), c);
            MoneyLog.moved(stores, pricing, "admin " + Actor.mask(admin.id()) + " refunded " + c.stars() + " XTR",
                    c.userId(), -c.amount(), c.chargeId());
            tellUser(c);
            referrals.refunded(c.userId(), TopUps.creditId(c.chargeId())).ifPresent(outbox::send);
        } else if (TopUps.reportTold(stores, c.chargeId())) {
            return List.of(); // the report told the admins it is done, this one among them
        }
        return say(chatId, lang, Msg.REFUND_STARS_DONE, c.stars(), pricing.format(c.amount(), lang),
                who(lang, c.userId()));
    }

    /** The hold's deadline from now, in whole minutes rounded up: when the money goes back without Telegram's report. */
    private long minutesUntil(Instant deadline) {
        long seconds = Math.max(0, Duration.between(clock.instant(), deadline).toSeconds());
        return Math.max(1, (seconds + 59) / 60);
    }

    /**
     * A hold lost while Telegram, asked, gave no answer: told as the sweeper tells a refund cut off, to this admin
     * only when no admin was told of this attempt yet.
     */
    private List<Reply> cutOff(User admin, long chatId, StarsCharge c, String hold, StarsRefundResult answer) {
        AuditEvent lost = new AuditEvent(clock.instant(), "admin:" + Actor.mask(admin.id()), "refund.stars_hold_lost",
                AuditNote.HOLD_LOST.with(AuditNote.answer(answer)), Optional.of(c.chargeId()));
        Instant placed = stores.ledger().find(hold).map(Transfer::createdAt).orElse(Instant.EPOCH);
        if (!stores.audit().recordFirst(lost, placed)) {
            return List.of();
        }
        String lang = admin.language();
        return say(chatId, lang, Msg.ADMIN_ALERT_STARS_REFUND_CUT_OFF, c.chargeId(), c.stars(),
                pricing.format(c.amount(), lang));
    }

    /**
     * A payment that credited nothing: its refund is claimed (a compare-and-set committed with this update) and
     * Telegram is asked once the update commits. Nothing is held: there is nothing on the wallet to give back.
     */
    private List<Reply> refundUncredited(User admin, long chatId, UncreditedCharge c) {
        Instant now = clock.instant();
        Optional<UncreditedCharge> claimed = stores.payments().claimUncreditedRefund(c.chargeId(), now,
                now.minus(HOLD_FOR));
        if (claimed.isEmpty()) {
            boolean refunded = stores.payments().uncredited(c.chargeId())
                    .filter(u -> u.refund() == UncreditedRefund.REFUNDED).isPresent();
            return say(chatId, admin.language(), refunded ? Msg.REFUND_STARS_ALREADY : Msg.REFUND_STARS_IN_PROGRESS,
                    c.chargeId());
        }
        UncreditedCharge attempt = claimed.get();
        handOff("the Stars refund of uncredited " + attempt.chargeId(), () -> askTelegram(admin, chatId, attempt));
        return List.of(); // the admin hears Telegram's answer
    }

    /**
     * Outside any transaction, the claim committed: asks Telegram, then settles the claim with both notices. A claim
     * Telegram's report marked refunded while the call waited in its queue is not asked: the admin hears it is done
     * (from the report, which told the admins, or here), not that it never reached Telegram.
     */
    private void askTelegram(User admin, long chatId, UncreditedCharge attempt) {
        if (!claimedLongEnough(attempt)) {
            stores.transactions().inOne(() -> {
                outbox.sendAll(refundedMeanwhile(attempt) ? reportedWhileQueued(admin, chatId, attempt.chargeId())
                        : notAsked(admin, chatId, attempt));
                return null;
            });
            return;
        }
        StarsRefundResult answer = telegram.refund(attempt.userId(), attempt.chargeId());
        try {
            stores.transactions().inOne(() -> {
                outbox.sendAll(settle(admin, chatId, attempt, answer));
                return null;
            });
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Telegram answered the refund of uncredited {0} ({1}) but the answer "
                    + "could not be recorded ({2}); the refund Telegram reports settles it, or an admin asks again "
                    + "after {3}", attempt.chargeId(), answer.getClass().getSimpleName(), e.getClass().getName(),
                    HOLD_FOR);
        }
    }

    /**
     * Whether the claim is still this attempt's and outlasts Telegram's answer: a call that waited too long in its
     * queue could otherwise ask while a second admin, finding the claim stale, asks too.
     */
    private boolean claimedLongEnough(UncreditedCharge attempt) {
        Instant staleAt = attempt.askedAt().orElseThrow().plus(HOLD_FOR);
        return clock.instant().plus(ASK_MARGIN).isBefore(staleAt) && stores.payments().uncredited(attempt.chargeId())
                .filter(c -> c.refund() == UncreditedRefund.REFUNDING && c.attempt() == attempt.attempt()).isPresent();
    }

    private boolean refundedMeanwhile(UncreditedCharge attempt) {
        return stores.payments().uncredited(attempt.chargeId()).filter(c -> c.refund() == UncreditedRefund.REFUNDED)
                .isPresent();
    }

    /** Not asked: the claim is given up (unless another answer settled it), and the admin may ask again. */
    private List<Reply> notAsked(User admin, long chatId, UncreditedCharge attempt) {
        stores.payments().settleUncreditedRefund(attempt.chargeId(), attempt.attempt(), false);
        audit(admin, "refund.stars_not_asked", AuditNote.NOT_ASKED_WAITED.with(),
                attempt.chargeId());
        String lang = admin.language();
        return say(chatId, lang, Msg.REFUND_STARS_FAILED, attempt.chargeId(),
                texts.get(lang, Msg.REFUND_STARS_NOT_SENT));
    }

    /**
     * Telegram's answer settles this attempt: the Stars went back (the user is told, unless Telegram's report told
     * them first), or the payment is open again for another attempt — unless Telegram reported the refund meanwhile,
     * when the Stars are back whatever the error said.
     */
    private List<Reply> settle(User admin, long chatId, UncreditedCharge attempt, StarsRefundResult answer) {
        String lang = admin.language();
        String id = attempt.chargeId();
        if (answer.done()) {
            boolean markedNow = stores.payments().settleUncreditedRefund(id, attempt.attempt(), true)
                    || stores.payments().uncreditedRefunded(id);
            if (markedNow) {
                tellUser(attempt);
            }
            return refunded(admin, chatId, attempt, AuditNote.answer(answer));
        }
        if (answer instanceof StarsRefundResult.Unknown unknown) {
            if (stores.payments().uncredited(id).filter(c -> c.refund() == UncreditedRefund.REFUNDED).isPresent()) {
                return refunded(admin, chatId, attempt, AuditNote.reportedAnswer(unknown.reason()));
            }
            // the claim stays: reopened, a second admin could ask for Stars that may be back already. Telegram's
            // report marks the payment refunded; without one the claim goes stale and an admin may ask again
            audit(admin, "refund.stars_unanswered", AuditNote.UNANSWERED_UNCREDITED.with(unknown.reason()), id);
            return say(chatId, lang, Msg.REFUND_STARS_OUTCOME_UNKNOWN_UNCREDITED, id, attempt.stars(),
                    Texts.id(attempt.userId()), unknown.reason(), minutesUntil(attempt.askedAt().orElseThrow().plus(HOLD_FOR)));
        }
        StarsRefundResult.Failed failed = (StarsRefundResult.Failed) answer;
        String reason = failed.reason();
        boolean reopened = stores.payments().settleUncreditedRefund(id, attempt.attempt(), false);
        if (!reopened && stores.payments().uncredited(id).filter(c -> c.refund() == UncreditedRefund.REFUNDED)
                .isPresent()) {
            return refunded(admin, chatId, attempt, AuditNote.reportedAnswer(reason));
        }
        audit(admin, "refund.stars_failed", AuditNote.FAILED_UNCREDITED.with(reason), id);
        return say(chatId, lang, Msg.REFUND_STARS_FAILED, id, why(lang, failed));
    }

    /**
     * Why Telegram refunded nothing, for the admin: its error, or, for the bot's token refused (revoked in @BotFather
     * while the bot runs), what to do, in words: «401 Unauthorized» said neither that nothing moved because of the
     * token nor that the same press works once the bot runs with a new one. Any other error is quoted as the call's
     * («ошибка запроса к Telegram (…)»): its English, bare after «Telegram не вернул …:», read as the bot's words.
     */
    private String why(String lang, StarsRefundResult.Failed failed) {
        return failed.botTokenRefused() ? texts.get(lang, Msg.REFUND_STARS_TOKEN_REFUSED)
                : texts.get(lang, Msg.REFUND_STARS_CALL_FAILED, failed.reason());
    }

    private List<Reply> refunded(User admin, long chatId, UncreditedCharge attempt, String answer) {
        audit(admin, "refund.stars_uncredited", AuditNote.UNCREDITED_ASKED.with(attempt.stars(), answer),
                attempt.chargeId());
        if (TopUps.reportTold(stores, attempt.chargeId())) {
            return List.of(); // the report told the admins it is done, this one among them
        }
        return say(chatId, admin.language(), Msg.REFUND_STARS_DONE_UNCREDITED, attempt.stars(),
                who(admin.language(), attempt.userId()));
    }

    private void tellUser(UncreditedCharge c) {
        String lang = stores.users().languageOf(c.userId());
        outbox.send(new Reply.SendText(c.userId(), texts.get(lang, Msg.TOPUP_REFUNDED_UNCREDITED, c.stars()),
                Keyboard.NONE));
    }

    /** What {@link #hold} answers when every attempt number was used before this request. */
    private static final LedgerResult.Rejected ATTEMPTS_USED_UP =
            new LedgerResult.Rejected(LedgerResult.Reason.ID_ALREADY_FAILED, "attempts used up");

    /**
     * Holds the charge's amount under the first attempt number not used before (a number whose hold was refused
     * for want of money stays refused, so the next one is tried).
     *
     * @return the last request's result: Created when held; {@link #ATTEMPTS_USED_UP} when no number was left
     */
    private LedgerResult hold(AccountId wallet, StarsCharge c, int first) {
        for (int n = first; n <= StarsRefundAttempts.ATTEMPTS_MAX; n++) {
            String id = StarsRefundAttempts.holdId(c.chargeId(), n);
            LedgerResult r = stores.ledger().hold(id, wallet, AccountId.STARS_CLEARING, c.amount(),
                    TransferKind.STARS_REFUND, clock.instant().plus(HOLD_FOR));
            if (r instanceof LedgerResult.Created || !usedBefore(r, id)) {
                return r;
            }
        }
        return ATTEMPTS_USED_UP;
    }

    /**
     * Whether the number was spent before this request: its hold refused for want of money, or placed by another
     * admin who pressed Refund at the same moment (both read the charge as open) and given back since, Telegram
     * having refused. The next number may try then. A refused number is asked again with a later deadline than its
     * first request, so the ledger answers "exists with different fields" for it, not only "already failed": that
     * the id was taken and holds nothing is what says it was refused.
     */
    private boolean usedBefore(LedgerResult r, String holdId) {
        boolean taken = r instanceof LedgerResult.Exists || (r instanceof LedgerResult.Rejected rej
                && (rej.reason() == LedgerResult.Reason.ID_ALREADY_FAILED
                || rej.reason() == LedgerResult.Reason.EXISTS_WITH_DIFFERENT_FIELDS));
        if (!taken) {
            return false; // refused now (too little money): that is this request's answer
        }
        Optional<HoldState> state = stores.ledger().holdState(holdId);
        return state.isEmpty() || state.get() == HoldState.VOIDED || state.get() == HoldState.EXPIRED;
    }

    /**
     * Why no hold was placed, in the texts that take (charge id, balance, amount). Besides too little money, the
     * number was taken: by another admin who pressed Refund at the same moment (the status read before the hold saw
     * nothing of theirs), or by every attempt used up; the ledger, read again, says which, so that the second
     * admin hears the refund is under way or done, not that the attempts are used up.
     */
    private List<Reply> notHeld(long chatId, String lang, StarsCharge c, AccountId wallet, LedgerResult held) {
        Msg msg;
        if (held instanceof LedgerResult.Rejected rej && rej.reason() == LedgerResult.Reason.INSUFFICIENT_FUNDS) {
            msg = Msg.REFUND_STARS_NOT_COVERED;
        } else if (held == ATTEMPTS_USED_UP) {
            msg = Msg.REFUND_STARS_EXHAUSTED;
        } else {
            StarsRefundAttempts.Status now = StarsRefundAttempts.of(stores, c.chargeId());
            if (now instanceof StarsRefundAttempts.Status.Refunded) {
                msg = Msg.REFUND_STARS_ALREADY;
            } else if (now instanceof StarsRefundAttempts.Status.Open open
                    && open.attempt() > StarsRefundAttempts.ATTEMPTS_MAX) {
                msg = Msg.REFUND_STARS_EXHAUSTED;
            } else {
                // under way, or the other admin's attempt ended in the instant since the hold was refused (the
                // ledger refuses nothing else here: the amount is the one it credited)
                msg = Msg.REFUND_STARS_IN_PROGRESS;
            }
        }
        return say(chatId, lang, msg, c.chargeId(), pricing.format(stores.ledger().balance(wallet).available(), lang),
                pricing.format(c.amount(), lang));
    }

    /** Telegram refused: the hold is voided. @return true when it was posted first (Telegram reported the refund) */
    private boolean voidedTooLate(String holdId) {
        LedgerResult r = stores.ledger().voidHold(Ledger.voidId(holdId), holdId);
        held.settle(holdId); // what another charge's reported refund is owed from this attempt's money
        return r instanceof LedgerResult.Rejected rej && rej.reason() == LedgerResult.Reason.ALREADY_POSTED;
    }

    private void tellUser(StarsCharge c) {
        String lang = stores.users().languageOf(c.userId());
        long balance = stores.ledger().balance(AccountId.wallet(c.userId())).available();
        outbox.send(new Reply.SendText(c.userId(), texts.get(lang, Msg.TOPUP_REFUNDED_DEBITED, c.stars(),
                pricing.format(c.amount(), lang), pricing.format(balance, lang)), Keyboard.NONE));
    }

    private List<Reply> say(long chatId, String lang, Msg msg, Object... args) {
        return List.of(new Reply.SendText(chatId, texts.get(lang, msg, args), Keyboard.NONE));
    }

    private void audit(User admin, String action, String detail, StarsCharge c) {
        audit(admin, action, detail, c.chargeId());
    }

    private void audit(User admin, String action, String detail, String chargeId) {
        stores.audit().record(new AuditEvent(clock.instant(), "admin:" + Actor.mask(admin.id()), action, detail,
                Optional.of(chargeId)));
    }
}
