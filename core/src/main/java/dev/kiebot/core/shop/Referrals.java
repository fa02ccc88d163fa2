package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.ReferralBonus;
import dev.kiebot.core.conversation.ReferralLink;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Invitations: a user's link ({@link ReferralLink}), the friend it brought recorded when he is created, and the
 * inviter's bonus ({@link ReferralBonus}) when that friend first pays. The bonus is keyed by the friend, so the ledger
 * pays it once whatever path the money came by and however often a credit is handled again; it moves only when money
 * that was paid reached the friend's wallet (the callers: Stars, a card / SBP top-up an admin confirmed, an admin's
 * {@code /topup_user}, a partner's provider), never on a bonus or a grant.
 */
final class Referrals {
    static final String CREDITED = "referral.credited";

    private final Stores stores;
    private final Pricing pricing;
    private final Texts texts;
    private final ReferralBonus bonus;
    private final BotAddress bot;
    private final Clock clock;

    Referrals(Stores stores, Pricing pricing, Texts texts, ReferralBonus bonus, BotAddress bot, Clock clock) {
        this.stores = stores;
        this.pricing = pricing;
        this.texts = texts;
        this.bonus = bonus;
        this.bot = bot;
        this.clock = clock;
    }

    /** The ledger id of the bonus for this friend: one per friend. */
    static String transferId(long friendId) {
        return "referral:" + friendId;
    }

    /**
     * Records who invited a user the shop has just created, when his first update is {@code /start} from an
     * invitation link and invitations are offered. Call it in the transaction that created him.
     */
    void arrived(User created, Event first) {
        if (!bonus.offered() || !(first instanceof Event.Command c && c.name().equals("start"))) {
            return;
        }
        ReferralLink.inviter(c.args().strip()).ifPresent(inviter -> stores.users().setReferrer(created.id(), inviter));
    }

    /**
     * The inviter's bonus for {@code friendId}'s top-up of {@code paid} minor units, credited if it is the first that
     * earns one, and the message that tells him. Call it after the top-up's credit, in its transaction.
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
        if (inviter.isEmpty()) {
            return Optional.empty();
        }
        AccountId wallet = AccountId.wallet(inviter.get().id());
        LedgerResult r = stores.ledger().transfer(transferId(friendId), AccountId.PROMO_EXPENSE, wallet, amount,
                TransferKind.REFERRAL_BONUS);
        if (!(r instanceof LedgerResult.Created)) {
            return Optional.empty(); // paid for an earlier top-up of this friend
        }
        stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(inviter.get().id()), CREDITED,
                AuditNote.REFERRAL_CREDITED.with(Actor.mask(friendId), paid, amount),
                Optional.of(transferId(friendId))));
        String lang = inviter.get().language();
        long balance = stores.ledger().balance(wallet).available();
        // the inviter's private chat has his id
        return Optional.of(new Reply.SendText(inviter.get().id(), texts.get(lang, Msg.REFERRAL_CREDITED,
                pricing.format(amount, lang), pricing.format(balance, lang)), HomeButton.keyboard(texts, lang)));
    }

    /** {@code /invite}: the user's link, what it earns, how many it brought, and a button to share it. */
    Reply invitation(User user, long chatId) {
        String lang = user.language();
        if (!bonus.offered()) {
            return new Reply.SendText(chatId, texts.get(lang, Msg.INVITE_OFF), HomeButton.keyboard(texts, lang));
        }
        String link = bot.start(ReferralLink.parameter(user.id()));
        String text = texts.get(lang, Msg.INVITE_TEXT, bonus.percent(), pricing.format(bonus.maxMinorUnits(), lang),
                link, stores.users().countInvited(user.id()));
        if (!bot.known()) {
            return new Reply.SendText(chatId, text, HomeButton.keyboard(texts, lang));
        }
        String share = "https://t.me/share/url?url=" + URLEncoder.encode(link, StandardCharsets.UTF_8) + "&text="
                + URLEncoder.encode(texts.get(lang, Msg.INVITE_SHARE_TEXT), StandardCharsets.UTF_8);
        return new Reply.SendText(chatId, text, Keyboard.of(List.of(
                Button.link(texts.get(lang, Msg.INVITE_SHARE), share), HomeButton.of(texts, lang))));
    }
}
