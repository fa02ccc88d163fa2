package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Invitation;
import dev.kiebot.core.conversation.ReferralBonus;
import dev.kiebot.core.conversation.ReferralLink;
import dev.kiebot.core.conversation.TypedUserId;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Invitations: a user's link ({@link ReferralLink}), the friend it brought recorded when he is created, and the
 * inviter's bonus ({@link ReferralBonus}) when that friend first pays. Only the friend's first paid top-up decides
 * (a later one earns nothing, whatever kept the first from earning); the bonus is keyed by the friend, so the ledger
 * pays it once whatever path the money came by and however often a credit is handled again. It moves only when money
 * that was paid reached the friend's wallet (the callers: Stars, a card / SBP top-up an admin confirmed, an admin's
 * {@code /topup_user}, which records money received outside the bot, a partner's provider), never on a bonus. When
 * the payment that earned it goes back to the friend or his bank (a Stars refund, the provider's refund or
 * chargeback), or an admin takes money of his back with {@code /debit_user} (which names no payment), the bonus is
 * taken back, as much as the inviter's wallet still holds, once: inviting oneself from a second account, paying and
 * taking the payment back earns nothing. A provider's refund of part of that payment takes back the same part of the
 * bonus ({@link BonusShare}), each refund of part the increase it makes, once per refund; the one that completes the
 * payment's refunds takes the rest, as a whole refund does. A refund of a later payment leaves it: the payment that
 * earned it stands.
 */
final class Referrals {
    static final String CREDITED = "referral.credited";
    static final String REVERSED = "referral.reversed";
    /** What counts as paid money reaching a wallet. */
    private static final Set<TransferKind> PAID = EnumSet.of(TransferKind.TOP_UP_STARS, TransferKind.TOP_UP_MANUAL,
            TransferKind.TOP_UP_EXTERNAL);
    private static final System.Logger LOG = System.getLogger(Referrals.class.getName());
    /** New codes tried for a user: each is taken already with a chance of about one in a trillion. */
    private static final int CODE_TRIES = 5;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final Stores stores;
    private final Pricing pricing;
    private final Texts texts;
    private final ReferralBonus bonus;
    private final BotAddress bot;
    private final Clock clock;
    /** What the shop makes in a language's words ({@code Conversation.works}): the share text names only that. */
    private final Function<String, String> works;

    Referrals(Stores stores, Pricing pricing, Texts texts, ReferralBonus bonus, BotAddress bot, Clock clock,
              Function<String, String> works) {
        this.stores = stores;
        this.pricing = pricing;
        this.texts = texts;
        this.bonus = bonus;
        this.bot = bot;
        this.clock = clock;
        this.works = works;
    }

    /** The ledger id of the bonus for this friend: one per friend. */
    static String transferId(long friendId) {
        return "referral:" + friendId;
    }

    /** The ledger id of the bonus taken back: one per friend, as the bonus (its first try: {@link #reversal}). */
    static String reversalId(long friendId) {
        return REVERSAL + friendId;
    }

    /**
     * The ledger id of the part of the bonus a provider's refund of part of the friend's first paid top-up took back:
     * one per refund ({@code refundId}: its ledger id), after the friend's {@link #reversalId} and a space (no friend's
     * id has one), so that the friend's parts are found by that prefix.
     */
    static String partReversalId(long friendId, String refundId) {
        return reversalId(friendId) + PART + refundId;
    }

    /** Between {@link #reversalId} and a refund's id in {@link #partReversalId}. */
    static final String PART = " ";

    /** What {@link #reversalId} puts before the friend's id. */
    private static final String REVERSAL = "referral-back:";

    /**
     * {@link #reversalId}, a try after it ({@link TakeBack#id}) or a {@link #partReversalId}: the friend's id kept, as
     * {@link TypedUserId} reads one (19 digits: a Discord user's; 18 found no friend of such a user).
     */
    private static final Pattern REVERSAL_ID = Pattern.compile(Pattern.quote(REVERSAL) + "(\\d+)(?:[~" + PART
            + "].*)?", Pattern.DOTALL);

    /**
     * The friend whose bonus a ledger id of its taking back names ({@link #reversalId}, a try after it, or
     * {@link #partReversalId}); empty for any other id.
     */
    static Optional<Long> friendOfReversal(String id) {
        Matcher m = REVERSAL_ID.matcher(id);
        return m.matches() ? TypedUserId.read(m.group(1)) : Optional.empty();
    }

    /**
     * Taking the bonus for {@code friendId} back, under {@link #reversalId} and the tries after it ({@link TakeBack}:
     * a generation of the inviter's held between the read and the transfer). With one id, that refusal kept the whole
     * bonus with the inviter for good (a later {@code /debit_user} of the friend found the id refused too).
     */
    static TakeBack reversal(long friendId) {
        return new TakeBack(reversalId(friendId));
    }

    /** The transfer that took the bonus for {@code friendId} back, whichever try it was; empty when none did. */
    private Optional<Transfer> takenBack(long friendId) {
        return reversal(friendId).done(stores.ledger());
    }

    /**
     * What came of the invitation link an update came by, if it is a {@code /start} by one (its first word: words typed
     * after the code say nothing): for a user the shop has just created ({@code created}), his inviter recorded when
     * the code is some user's. The code is looked up once, here, and the welcome is told what was found
     * ({@code StoreContext}). Call it in the transaction that created him.
     *
     * @param created whether the shop created {@code user} while handling this very update
     * @return {@link Invitation#NONE} for any update but a {@code /start} by an invitation link, and for every update
     *         in a shop that offers no invitations; a user known before is {@link Invitation#NOT_NEW} whatever the
     *         code, and nothing is looked up
     */
    Invitation arrived(User user, boolean created, Event first) {
        // a shop without invitations has no link to be valid or not: the plain welcome, whatever the code
        if (!(first instanceof Event.Command c && c.name().equals("start"))
                || !ReferralLink.meant(c.firstArg()) || !bonus.offered()) {
            return Invitation.NONE;
        }
        if (!created) {
            return Invitation.NOT_NEW;
        }
        Optional<Long> inviter = ReferralLink.code(c.firstArg()).flatMap(stores.users()::byInviteCode);
        if (inviter.isEmpty()) {
            return Invitation.NOT_VALID;
        }
        stores.users().setReferrer(user.id(), inviter.get());
        return Invitation.TAKEN;
    }

    /**
     * The inviter's bonus for {@code friendId}'s top-up of {@code paid} minor units, credited if it is the friend's first
     * paid top-up, and the message that tells him. Call it after the top-up's credit, in its transaction.
     *
     * @return the message to the inviter when this call credited him
     */
    Optional<Reply> paid(long friendId, long paid) {
        long amount = bonus.of(paid);
        if (amount <= 0) {
            return Optional.empty();
        }
        Optional<User> inviter = stores.users().referrerOf(friendId).flatMap(stores.users()::find)
                .filter(u -> u.ban().isEmpty());
        if (inviter.isEmpty() || !firstPaidTopUp(friendId)) {
            return Optional.empty();
        }
        AccountId wallet = AccountId.wallet(inviter.get().id());
        LedgerResult r = stores.ledger().transfer(transferId(friendId), AccountId.PROMO_EXPENSE, wallet, amount,
                TransferKind.REFERRAL_BONUS);
        if (!(r instanceof LedgerResult.Created)) {
            // paid already for this friend: a first top-up racing this one; anything else is the ledger's to explain
            if (!(r instanceof LedgerResult.Exists) && !(r instanceof LedgerResult.Rejected rejected
                    && rejected.reason() == LedgerResult.Reason.EXISTS_WITH_DIFFERENT_FIELDS)) {
                LOG.log(System.Logger.Level.WARNING, "the referral bonus for a friend {0} was refused: {1}",
                        Actor.mask(friendId), r);
            }
            return Optional.empty();
        }
        stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(inviter.get().id()), CREDITED,
                AuditNote.REFERRAL_CREDITED.with(Actor.mask(friendId), paid, amount),
                Optional.of(transferId(friendId))));
        MoneyLog.moved(stores, pricing, "invitation bonus for friend " + Actor.mask(friendId), inviter.get().id(),
                amount, MoneyLog.masked(transferId(friendId), friendId));
        String lang = inviter.get().language();
        long balance = stores.ledger().balance(wallet).available();
        // the inviter's private chat has his id
        return Optional.of(new Reply.SendText(inviter.get().id(), texts.get(lang, Msg.REFERRAL_CREDITED,
                pricing.format(amount, lang), pricing.format(balance, lang)), HomeButton.below(texts, lang)));
    }

    /** The inviter's bonus a credit would pay, named on an admin's {@code /topup_user} before it is pressed. */
    record Due(User inviter, long amount) {
    }

    /**
     * What a paid credit of {@code paid} to {@code friendId} would pay his inviter were it made now: his first paid
     * top-up, with an inviter not banned. An admin's typo top-up (50000 for 500) of an invited user paid the inviter a
     * bonus nobody had seen coming.
     *
     * @return whom and how much; empty when it would pay nothing
     */
    Optional<Due> wouldPay(long friendId, long paid) {
        long amount = bonus.of(paid);
        if (amount <= 0 || paidCredits(friendId).findAny().isPresent()
                || stores.ledger().find(transferId(friendId)).isPresent()) {
            return Optional.empty();
        }
        return stores.users().referrerOf(friendId).flatMap(stores.users()::find).filter(u -> u.ban().isEmpty())
                .map(u -> new Due(u, amount));
    }

    /**
     * An admin's {@code /debit_user} off {@code friendId}'s wallet, made under the ledger id {@code debitId} (call it
     * in its transaction, after it). The friend's first paid top-up less what the admin's debits took of it
     * ({@link CreditsOnWallet#takenOf}: a debit takes the newest admin top-up first) is what is left of the payment
     * that earned the bonus: the bonus that amount would earn is kept, and only the rest is taken back
     * (less what was taken before), under the debit's own id, so the debit handled again takes nothing more. A typo
     * top-up corrected by a debit of the extra took the inviter's whole bonus, his real one too. A debit that leaves
     * nothing of that top-up, or nothing on the friend's wallet, takes the whole bonus (or its rest) back, as
     * {@link #debited} does.
     *
     * @return the message to the inviter when this call took something
     */
    Optional<Reply> debitedBy(long friendId, String debitId) {
        Optional<Transfer> first = paidCredits(friendId).findFirst();
        if (first.isEmpty()) {
            return debited(friendId, Taken.BY_DEBIT); // no paid top-up: no bonus either, as before
        }
        AccountId friend = AccountId.wallet(friendId);
        List<Transfer> transfers = stores.ledger().transfers(friend);
        // what the debits took of that top-up, as the wallet's walk has it (newest admin top-up first): every debit
        // since counted against it, the correction of a later top-up's typo took the inviter's real bonus
        Set<String> debits = transfers.stream()
                .filter(t -> t.kind() == TransferKind.DEBIT_MANUAL && friend.equals(t.debit()))
                .map(Transfer::id).collect(java.util.stream.Collectors.toSet());
        long left = first.get().amount()
                - CreditsOnWallet.takenOf(friend, transfers, first.get().id(), debits,
                        h -> JobRefundParts.againstLoss(stores.ledger(), h));
        // all of it taken, or all he had: what is left of that top-up is nothing, as a debit always took the bonus
        if (left <= 0 || stores.ledger().balance(friend).available() <= 0) {
            return debited(friendId, Taken.BY_DEBIT);
        }
        Optional<Transfer> paid = stores.ledger().find(transferId(friendId));
        Optional<Long> inviter = stores.users().referrerOf(friendId);
        if (paid.isEmpty() || inviter.isEmpty() || takenBack(friendId).isPresent()) {
            return Optional.empty();
        }
        AccountId wallet = AccountId.wallet(inviter.get());
        long kept = Math.min(paid.get().amount(), bonus.of(left));
        long due = paid.get().amount() - kept - takenByParts(friendId, wallet);
        if (due <= 0) {
            return Optional.empty();
        }
        String id = partReversalId(friendId, debitId);
        return new TakeBack(id).take(stores.ledger(), wallet, AccountId.PROMO_EXPENSE, due,
                        TransferKind.REFERRAL_REVERSAL).filter(t -> t.result() instanceof LedgerResult.Created)
                .map(t -> reversed(friendId, inviter.get(), wallet, t.amount(), id, Taken.BY_DEBIT,
                        Msg.REFERRAL_DEBITED_PART, t.amount() < due));
    }

    /** Whether the friend's wallet holds one paid credit: the one being handled (it is written before this call). */
    private boolean firstPaidTopUp(long friendId) {
        return paidCredits(friendId).count() == 1;
    }

    private Stream<Transfer> paidCredits(long friendId) {
        AccountId wallet = AccountId.wallet(friendId);
        return stores.ledger().transfers(wallet).stream()
                .filter(t -> PAID.contains(t.kind()) && t.credit().equals(wallet));
    }

    /**
     * The payment credited to {@code friendId} under the ledger id {@code creditId} went back to him or his bank whole
     * (a Stars refund): when it is his first paid top-up, the one that earned his inviter the bonus, the bonus is taken
     * back as by {@link #debited}. Call it in the transaction that took the money.
     *
     * @return the message to the inviter when this call took something
     */
    Optional<Reply> refunded(long friendId, String creditId) {
        return firstPaidCreditId(friendId).filter(creditId::equals).isPresent() ? debited(friendId, Taken.BY_REFUND)
                : Optional.empty();
    }

    /**
     * A refund of the payment credited to {@code friendId} under {@code creditId}, the whole of it or a part, went
     * back to his bank (a partner's provider), its refunds having given back {@code share} of it in all: when it is
     * his first paid top-up, the part of the bonus they take ({@link BonusShare#of}) less what refunds of part of it
     * took before is taken back, under {@code refundId}'s own ledger id, as far as the inviter's wallet holds it. Once
     * they gave all of it back, the rest of the bonus goes as by {@link #debited}. Call it once per refund, in the
     * transaction that recorded it.
     *
     * @return the message to the inviter when this call took something
     */
    Optional<Reply> refunded(long friendId, String creditId, String refundId, BonusShare share) {
        if (firstPaidCreditId(friendId).filter(creditId::equals).isEmpty()) {
            return Optional.empty();
        }
        if (share.whole()) {
            return debited(friendId, Taken.BY_REFUND);
        }
        Optional<Transfer> paid = stores.ledger().find(transferId(friendId));
        Optional<Long> inviter = stores.users().referrerOf(friendId);
        if (paid.isEmpty() || inviter.isEmpty() || takenBack(friendId).isPresent()) {
            return Optional.empty();
        }
        AccountId wallet = AccountId.wallet(inviter.get());
        long due = share.of(paid.get().amount()) - takenByParts(friendId, wallet);
        if (due <= 0) {
            return Optional.empty();
        }
        String id = partReversalId(friendId, refundId);
        return new TakeBack(id).take(stores.ledger(), wallet, AccountId.PROMO_EXPENSE, due,
                        TransferKind.REFERRAL_REVERSAL).filter(t -> t.result() instanceof LedgerResult.Created)
                .map(t -> reversed(friendId, inviter.get(), wallet, t.amount(), id, Taken.BY_REFUND,
                        Msg.REFERRAL_REVERSED_PART, t.amount() < due));
    }

    /** What refunds of part of the friend's first paid top-up took back of the bonus, from the inviter's wallet. */
    private long takenByParts(long friendId, AccountId wallet) {
        String parts = reversalId(friendId) + PART;
        return stores.ledger().transfers(wallet).stream()
                .filter(t -> t.kind() == TransferKind.REFERRAL_REVERSAL && wallet.equals(t.debit())
                        && t.id().startsWith(parts))
                .mapToLong(Transfer::amount).sum();
    }

    /** A payment that earned its inviter a bonus a refund could not take back whole, and the admins' words for it. */
    record Shortfall(String creditId, String words) {
    }

    /**
     * Beside a payment's Refund button: when {@code friendId}'s first paid top-up earned his inviter the bonus and the
     * inviter's wallet no longer holds all of it (spent), what a refund of that payment could not take back. An admin
     * deciding a refund sees it first: a friend's account of the inviter's own would otherwise keep what was spent for
     * nothing. Read once per user: it concerns one payment of his, whichever the list shows.
     *
     * @return that payment's ledger id and the warning, in {@code lang}; empty when a refund would take the whole bonus
     *         back or there is none
     */
    Optional<Shortfall> refundShortfall(String lang, long friendId) {
        Optional<Long> inviter = stores.users().referrerOf(friendId);
        Optional<Transfer> bonus = inviter.flatMap(i -> stores.ledger().find(transferId(friendId)));
        Optional<String> earnedIt = bonus.flatMap(b -> firstPaidCreditId(friendId));
        if (earnedIt.isEmpty() || takenBack(friendId).isPresent()) {
            return Optional.empty();
        }
        AccountId wallet = AccountId.wallet(inviter.get());
        long held = stores.ledger().balance(wallet).available();
        // refunds of part of it (a partner's provider) took some back already: a refund takes the rest
        if (held >= bonus.get().amount() - takenByParts(friendId, wallet)) {
            return Optional.empty();
        }
        return Optional.of(new Shortfall(earnedIt.get(), texts.get(lang, Msg.REFERRAL_SHORTFALL,
                pricing.format(bonus.get().amount(), lang), Texts.id(inviter.get()), pricing.format(Math.max(0, held), lang))));
    }

    /** The ledger id of the friend's first paid top-up: the one that earned his inviter the bonus. */
    private Optional<String> firstPaidCreditId(long friendId) {
        return paidCredits(friendId).findFirst().map(Transfer::id);
    }

    /**
     * What took the bonus back, and the inviter's words for it: the whole bonus, or the rest of it after refunds of
     * part of the payment took some ({@code rest}). One {@link #debited} served both, and after «/debit_user» the
     * inviter read that his friend «was refunded … their first top-up», nothing having been refunded.
     */
    enum Taken {
        /** The payment that earned the bonus went back whole, or the refunds of part of it completed it. */
        BY_REFUND(Msg.REFERRAL_REVERSED, Msg.REFERRAL_REVERSED_REST, AuditNote.REFERRAL_REVERSED, "refunded"),
        /** An admin took money of the friend's ({@code /debit_user}, which names no payment). */
        BY_DEBIT(Msg.REFERRAL_DEBITED, Msg.REFERRAL_DEBITED_REST, AuditNote.REFERRAL_DEBITED, "debited by an admin");

        private final Msg whole;
        private final Msg rest;
        /** The audit line's note, and the log's words for the friend: the admins read a debit as a refund too. */
        private final AuditNote note;
        private final String logged;

        Taken(Msg whole, Msg rest, AuditNote note, String logged) {
            this.whole = whole;
            this.rest = rest;
            this.note = note;
            this.logged = logged;
        }
    }

    /**
     * Money of {@code friendId}'s was taken back ({@code taken}: a refund completing his first paid top-up, or an
     * admin's {@code /debit_user}): the bonus his first top-up earned his inviter is taken back, as much of it as the
     * inviter's wallet holds now, once; less what refunds of part of that top-up took back of it already. Call it in
     * the transaction that took the money.
     *
     * @return the message to the inviter when this call took something
     */
    Optional<Reply> debited(long friendId, Taken taken) {
        Optional<Transfer> paid = stores.ledger().find(transferId(friendId));
        Optional<Long> inviter = stores.users().referrerOf(friendId);
        if (paid.isEmpty() || inviter.isEmpty() || takenBack(friendId).isPresent()) {
            return Optional.empty();
        }
        AccountId wallet = AccountId.wallet(inviter.get());
        long byParts = takenByParts(friendId, wallet);
        long rest = paid.get().amount() - byParts;
        if (rest <= 0) {
            // refunds of part of the payment took all of it (rounded up, as they are)
            return Optional.empty();
        }
        // taken meanwhile by another call (Exists), or spent (empty): nothing to tell now (a /debit_user looks again)
        return reversal(friendId).take(stores.ledger(), wallet, AccountId.PROMO_EXPENSE, rest,
                        TransferKind.REFERRAL_REVERSAL).filter(t -> t.result() instanceof LedgerResult.Created)
                // after refunds of part, what goes now is the rest: «the bonus was taken back» read as the whole; but
                // «the rest» only when all of it went, the wallet holding less
                .map(t -> reversed(friendId, inviter.get(), wallet, t.amount(), reversalId(friendId), taken,
                        byParts > 0 && t.amount() == rest ? taken.rest : taken.whole, t.amount() < rest));
    }

    /**
     * The bonus, or a part of it, was taken back now under the ledger id {@code id} ({@code taken}: what took it):
     * audited, logged, and the message that tells the inviter; {@code asHeld}: less than was due, as much as his wallet
     * held, which he is told too.
     */
    private Reply reversed(long friendId, long inviter, AccountId wallet, long amount, String id, Taken taken,
            Msg words, boolean asHeld) {
        stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(inviter), REVERSED,
                taken.note.with(Actor.mask(friendId), amount), Optional.of(id)));
        // the friend's id masked in the log, whatever follows it (a refund's id)
        String logged = MoneyLog.masked(reversalId(friendId), friendId) + id.substring(reversalId(friendId).length());
        MoneyLog.moved(stores, pricing, "invitation bonus taken back (friend " + Actor.mask(friendId) + " "
                + taken.logged + ")", inviter, -amount, logged);
        String lang = stores.users().languageOf(inviter);
        String text = texts.get(lang, words, pricing.format(amount, lang),
                pricing.format(stores.ledger().balance(wallet).available(), lang));
        return new Reply.SendText(inviter, asHeld ? text + "\n" + texts.get(lang, Msg.REFERRAL_TAKEN_AS_HELD) : text,
                HomeButton.keyboard(texts, lang));
    }

    /** The user's invitation code: the one kept for him, or a new one kept now (in the update's transaction). */
    private String code(long userId) {
        for (int n = 0; n < CODE_TRIES && stores.users().inviteCode(userId).isEmpty(); n++) {
            stores.users().setInviteCode(userId, ReferralLink.newCode(RANDOM)); // false: another user's, try again
        }
        return stores.users().inviteCode(userId).orElseThrow(() -> new IllegalStateException("no invitation code "
                + "could be kept for a user in " + CODE_TRIES + " tries: is the user stored?"));
    }

    /** {@code /invite}: the user's link, what it earns, how many it brought, and a button to share it. */
    Reply invitation(User user, long chatId) {
        String lang = user.language();
        if (!bonus.offered()) {
            return new Reply.SendText(chatId, texts.get(lang, Msg.INVITE_OFF), HomeButton.keyboard(texts, lang));
        }
        String parameter = ReferralLink.parameter(code(user.id()));
        Optional<String> link = bot.startLink(parameter);
        long invited = stores.users().countInvited(user.id());
        String text = texts.get(lang, Msg.INVITE_TEXT, bonus.percent(), pricing.format(bonus.maxMinorUnits(), lang),
                link.orElse(BotAddress.typed(parameter)),
                invited == 0 ? texts.get(lang, Msg.INVITE_COUNT_NONE) : texts.get(lang, Msg.INVITE_COUNT, invited));
        // a command to type is nothing to share
        Optional<String> share = link.flatMap(l -> bot.share(l, texts.get(lang, Msg.INVITE_SHARE_TEXT,
                works.apply(lang))));
        if (share.isEmpty()) {
            return new Reply.SendText(chatId, text, HomeButton.keyboard(texts, lang));
        }
        return new Reply.SendText(chatId, text, Keyboard.of(List.of(
                Button.link(texts.get(lang, Msg.INVITE_SHARE), share.get()), HomeButton.of(texts, lang))));
    }
}
