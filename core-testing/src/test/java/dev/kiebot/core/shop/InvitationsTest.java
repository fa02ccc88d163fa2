package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.buttonTexts;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static dev.kiebot.core.testing.ShopHarness.lastTextTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.ExternalPayment;
import dev.kiebot.core.payments.ExternalRefund;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.users.Ban;
import dev.kiebot.core.users.Users;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Invitations: a user's link brings a friend, and the friend's first paid top-up, however it came, earns the inviter
 * his share once. Nothing else earns it: a friend who was already a user, a link of one's own, a bonus, a second
 * top-up, a banned inviter; and a shop that offers none shows no link.
 */
class InvitationsTest {
    private static final long INVITER = 42;
    private static final long FRIEND = 77;
    /** 10 % of a friend's first paid top-up, at most 5 RUB. */
    private static final ShopSettings TEN_PERCENT = ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))
            .withAdmission(AdmissionPolicy.off()).withReferralBonus(10, 500);
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness(TestCatalog.catalog(), TEN_PERCENT);
        h.command(ShopHarness.ADMIN, "start");
        h.command(INVITER, "start");
    }

    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    private List<Reply> startFrom(long userId, String parameter) {
        return h.send(userId, new Event.Command("start", parameter));
    }

    /** The start parameter of the user's link, as /invite shows it. */
    private String linkOf(long userId) {
        Matcher link = Pattern.compile("start=(r_[0-9a-z]{8})").matcher(lastText(h.command(userId, "invite")));
        assertThat(link.find()).as("a link in /invite").isTrue();
        return link.group(1);
    }

    /**
     * An admin's {@code /debit_user} of all the user holds, confirmed: it leaves nothing of the friend's first top-up,
     * so the whole bonus (or its rest) is taken back; a debit of part takes back only the part of the bonus it made.
     */
    private List<Reply> debitAll(long user) {
        long all = h.balance(user);
        return h.adminConfirmed("debit_user", user + " " + all / 100 + "," + String.format("%02d", all % 100));
    }

    /** The friend came by the inviter's link and paid 50 Stars: the inviter has his 5.00. @return the invoice */
    private String friendCameAndPaid50Stars(String chargeId) {
        startFrom(FRIEND, linkOf(INVITER));
        String payload = h.invoiceFor50Stars(FRIEND);
        h.send(FRIEND, new Event.SuccessfulPayment(chargeId, payload, "XTR", 50));
        assertThat(h.balance(INVITER)).isEqualTo(500);
        return payload;
    }

    /** Telegram reports the friend's Stars payment refunded: the inviter is told {@code taken} went back, none is left. */
    private void telegramRefundTakesTheBonus(String chargeId, String payload, String taken) {
        List<Reply> refunded = h.send(FRIEND, new Event.RefundedPayment(chargeId, payload, "XTR", 50));
        assertThat(lastTextTo(refunded, INVITER)).contains("was refunded their first top-up", taken);
        assertThat(h.balance(INVITER)).isZero();
    }

    private List<Transfer> bonuses() {
        return h.stores.ledger().transfers(AccountId.wallet(INVITER)).stream()
                .filter(t -> t.kind() == TransferKind.REFERRAL_BONUS).toList();
    }

    @Test
    void theLinkIsTheUsersOwnAndCountsTheFriendsItBrought() {
        List<Reply> invite = h.command(INVITER, "invite");
        String link = "https://t.me/" + ShopHarness.BOT_USERNAME + "?start=" + linkOf(INVITER);
        assertThat(lastText(invite)).contains(link, "10\u00A0%", "5\u00A0₽", "Nobody has come by it yet");
        assertThat(linkOf(INVITER)).as("kept").isEqualTo(link.substring(link.indexOf("r_")));
        assertThat(buttonTexts(invite)).containsExactly("📨 Send to a friend", "🏠 Menu");

        List<Reply> welcome = startFrom(FRIEND, linkOf(INVITER));
        assertThat(lastText(welcome)).contains("User77");
        assertThat(h.stores.users().referrerOf(FRIEND)).contains(INVITER);
        assertThat(lastText(h.command(INVITER, "invite"))).contains("1\u00A0friend came");
        // the balance screen leads there too, and /help names it
        assertThat(lastText(h.command(INVITER, "help"))).contains("/invite", "10\u00A0%");
        List<Reply> balance = h.command(INVITER, "balance");
        assertThat(lastText(h.press(INVITER, button(balance, "Invite a friend")))).contains(link);
    }

    @Test
    void theFriendsFirstPaidTopUpEarnsTheInviterHisShareOnce() {
        startFrom(FRIEND, linkOf(INVITER));
        List<Reply> paid = h.send(FRIEND, new Event.SuccessfulPayment("charge-1", h.invoiceFor50Stars(FRIEND), "XTR",
                50));
        // 50 ⭐ credit 75 ₽; a tenth is 7.50, above the 5.00 cap
        assertThat(lastTextTo(paid, FRIEND)).contains("Balance topped up");
        assertThat(lastTextTo(paid, INVITER)).contains("A friend you invited topped up: 5\u00A0₽");
        assertThat(h.balance(INVITER)).isEqualTo(500);

        h.send(FRIEND, new Event.SuccessfulPayment("charge-2", h.invoiceFor50Stars(FRIEND), "XTR", 50));
        h.adminConfirmed("topup_user", FRIEND + " 100");
        assertThat(bonuses()).hasSize(1);
        assertThat(h.balance(INVITER)).isEqualTo(500);
        assertThat(lastText(h.command(INVITER, "payments"))).contains("bonus for an invited friend");
        // an admin looking at either before a refund sees the bond and what it paid
        assertThat(lastText(h.admin("find", Long.toString(FRIEND)))).contains("came by the invitation of id " + INVITER
                + "; their first top-up earned the inviter 5\u00A0₽");
        assertThat(lastText(h.admin("find", Long.toString(INVITER)))).contains("invited 1\u00A0friend, bonuses "
                + "received 5\u00A0₽");
    }

    @Test
    void aSmallTopUpEarnsItsShareInKopecks() {
        startFrom(FRIEND, linkOf(INVITER));
        List<Reply> credited = h.adminConfirmed("topup_user", FRIEND + " 12.34");
        assertThat(lastTextTo(credited, INVITER)).contains("topped up: 1.23\u00A0₽ added");
        assertThat(h.balance(INVITER)).isEqualTo(123);
        // the admin who recorded the money learns that it paid a bonus
        assertThat(lastTextTo(credited, ShopHarness.ADMIN)).contains("their inviter User" + INVITER + " (id " + INVITER
                + ") got a bonus of 1.23\u00A0₽");
    }

    @Test
    void aPartnersProviderAndACardTopUpAnAdminConfirmsEarnItToo() {
        startFrom(FRIEND, linkOf(INVITER));
        h.messenger.drain();
        h.shop.externalTopUps().credit(new ExternalPayment("cloudpay", "p-1", FRIEND, 2_000));
        h.deliver();
        assertThat(h.balance(INVITER)).isEqualTo(200);
        assertThat(lastTextTo(h.messenger.drain(), INVITER)).as("the inviter is told")
                .contains("A friend you invited topped up: 2\u00A0₽");

        long other = 78;
        startFrom(other, linkOf(INVITER));
        h.command(other, "topup");
        h.press(other, "*|y");
        List<Reply> instructions = h.press(other, button(h.press(other, "*|$"), "100\u00A0₽"));
        List<Reply> claimed = h.press(other, button(instructions, "I paid"));
        List<Reply> approved = h.press(ShopHarness.ADMIN, button(claimed, "Approve"));
        assertThat(h.balance(INVITER)).isEqualTo(700);
        assertThat(lastTextTo(approved, INVITER)).as("the inviter is told")
                .contains("A friend you invited topped up: 5\u00A0₽");
        assertThat(bonuses()).extracting(Transfer::id).containsExactlyInAnyOrder(
                Referrals.transferId(FRIEND), Referrals.transferId(other));
    }

    /** Whatever kept the first paid top-up from earning (a banned inviter here), a later one earns nothing. */
    @Test
    void onlyTheFriendsFirstPaidTopUpDecides() {
        startFrom(FRIEND, linkOf(INVITER));
        h.stores.users().setBan(INVITER, Optional.of(new Ban(Instant.parse("2026-11-21T09:00:00Z"), Optional.empty())));
        h.adminConfirmed("topup_user", FRIEND + " 100");
        h.stores.users().setBan(INVITER, Optional.empty());
        h.adminConfirmed("topup_user", FRIEND + " 30");
        assertThat(bonuses()).isEmpty();
    }

    /** Paid, credited, taken back: the bonus goes back too, once, and the inviter is told. */
    @Test
    void aRefundOfTheFriendsMoneyTakesTheBonusBack() {
        startFrom(FRIEND, linkOf(INVITER));
        h.shop.externalTopUps().credit(new ExternalPayment("cloudpay", "p-1", FRIEND, 2_000));
        h.deliver();
        assertThat(h.balance(INVITER)).isEqualTo(200);
        h.messenger.drain();
        h.shop.externalTopUps().refunded(new dev.kiebot.core.payments.ExternalRefund("cloudpay", "p-1", FRIEND));
        h.deliver();
        List<Reply> told = h.messenger.drain().stream().filter(r -> r.chatId() == INVITER).toList();
        assertThat(lastText(told)).contains("was refunded their first top-up", "−2\u00A0₽");
        assertThat(h.balance(INVITER)).isZero();
        assertThat(lastText(h.command(INVITER, "payments"))).contains("bonus for a friend taken back");
        assertThat(lastText(h.admin("find", Long.toString(INVITER)))).contains("bonuses received 0\u00A0₽");
        // the audit trail keeps both moves, under the ledger ids, with the inviter as the actor and the friend masked
        assertThat(h.stores.audit().byCorrelation(Referrals.transferId(FRIEND))).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo(Referrals.CREDITED);
            assertThat(e.actor()).isEqualTo(dev.kiebot.core.conversation.Actor.mask(INVITER));
            assertThat(e.detail()).isEqualTo("friend " + dev.kiebot.core.conversation.Actor.mask(FRIEND)
                    + " paid 2000, bonus 200");
        });
        assertThat(h.stores.audit().byCorrelation(Referrals.reversalId(FRIEND))).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo(Referrals.REVERSED);
            assertThat(e.detail()).isEqualTo("friend " + dev.kiebot.core.conversation.Actor.mask(FRIEND)
                    + " was refunded, bonus taken back 200");
        });
        // once: another refund of his takes nothing more
        h.adminConfirmed("topup_user", FRIEND + " 50");
        h.adminConfirmed("debit_user", FRIEND + " 50");
        assertThat(h.stores.ledger().transfers(AccountId.wallet(INVITER)).stream()
                .filter(t -> t.kind() == TransferKind.REFERRAL_REVERSAL)).hasSize(1);
    }

    /** The friend came by the inviter's link and a partner's provider credited him 50.00: the inviter has his 5.00. */
    private void friendCameAndPaid50ByTheProvider() {
        startFrom(FRIEND, linkOf(INVITER));
        h.shop.externalTopUps().credit(new ExternalPayment("cloudpay", "p-1", FRIEND, 5_000));
        h.deliver();
        assertThat(h.balance(INVITER)).isEqualTo(500);
        h.messenger.drain();
    }

    /** The provider reports a refund of part of the friend's payment: what the inviter is told of it, if anything. */
    private List<Reply> providerRefundsPart(String refundId, long amount) {
        h.shop.externalTopUps().refunded(new ExternalRefund("cloudpay", "p-1", refundId, FRIEND, amount));
        h.deliver();
        return h.messenger.drain().stream().filter(r -> r.chatId() == INVITER).toList();
    }

    private List<Transfer> reversals() {
        return h.stores.ledger().transfers(AccountId.wallet(INVITER)).stream()
                .filter(t -> t.kind() == TransferKind.REFERRAL_REVERSAL).toList();
    }

    /**
     * A partner's provider gives back 5.00 of the friend's first top-up of 50.00 (a fee adjustment, say): 10 % of the
     * payment, so 10 % of the bonus goes back, not all of it; the same refund reported again takes nothing more; the
     * remaining 45.00 given back takes the rest. It took the whole bonus at the first refund of any size, and nothing
     * at the next.
     */
    @Test
    void aRefundOfPartOfTheFirstTopUpTakesTheSameShareOfTheBonusAndTheRestTakesTheRest() {
        friendCameAndPaid50ByTheProvider();

        assertThat(lastText(providerRefundsPart("re-1", 500))).contains(
                "was refunded part of their first top-up, so the same share of the bonus", "−0.50\u00A0₽",
                "Balance: 4.50\u00A0₽");
        assertThat(h.balance(INVITER)).isEqualTo(450);

        assertThat(providerRefundsPart("re-1", 500)).as("the same refund again: nobody told").isEmpty();
        assertThat(h.balance(INVITER)).isEqualTo(450);

        // the rest of the bonus, said as the rest: «refunded their first top-up, so the bonus … −4.50» read as all of it
        assertThat(lastText(providerRefundsPart("re-2", 4_500))).contains(
                "was refunded the rest of their first top-up, so the rest of the bonus", "−4.50\u00A0₽",
                "Balance: 0\u00A0₽");
        assertThat(h.balance(INVITER)).isZero();
        assertThat(reversals()).extracting(Transfer::id, Transfer::amount).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(Referrals.partReversalId(FRIEND, "external-refund:cloudpay:p-1 re-1"),
                        50L),
                org.assertj.core.groups.Tuple.tuple(Referrals.reversalId(FRIEND), 450L));
        // the rest went under the friend's reversal id: a debit of him afterwards takes nothing more
        h.adminConfirmed("topup_user", FRIEND + " 10");
        h.adminConfirmed("debit_user", FRIEND + " 1");
        assertThat(reversals()).hasSize(2);
        assertThat(lastText(h.admin("find", Long.toString(INVITER)))).contains("bonuses received 0\u00A0₽");
    }

    /**
     * Each refund of part takes the part of the bonus it adds, rounded up in the shop's favour (0.01 of 50.00 takes
     * 0.01 of the bonus), as far as the inviter's wallet holds it; an admin's /debit_user of the friend then takes the
     * rest of the bonus, not the whole of it again.
     */
    @Test
    void eachRefundOfPartTakesWhatItAddsRoundedUpAndADebitTheRest() {
        friendCameAndPaid50ByTheProvider();
        assertThat(lastText(providerRefundsPart("re-1", 1))).contains("−0.01\u00A0₽")
                .as("all of what was due: not «as much as your balance held»")
                .doesNotContain("as much as your balance held");
        assertThat(h.balance(INVITER)).isEqualTo(499);
        // 0.02 of 50.00 given back in all: still 0.01 of the bonus (0.002, rounded up), so nothing more to take
        assertThat(providerRefundsPart("re-2", 1)).isEmpty();
        assertThat(h.balance(INVITER)).isEqualTo(499);

        h.stores.ledger().transfer("spent", AccountId.wallet(INVITER), AccountId.MANUAL_CLEARING, 400,
                TransferKind.DEBIT_MANUAL);
        // 25.02 of 50.00 in all: 2.51 of the bonus (250.2, rounded up), 2.50 more; he holds 0.99 of it
        assertThat(lastText(providerRefundsPart("re-3", 2_500))).contains("−0.99\u00A0₽",
                "as much as your balance held");
        assertThat(h.balance(INVITER)).isZero();

        h.adminConfirmed("topup_user", INVITER + " 10");
        assertThat(lastTextTo(debitAll(FRIEND), INVITER)).as("the rest: 5.00 - 0.01 - 0.99")
                .contains("taken off the balance of a friend you invited, so the rest of the bonus", "−4\u00A0₽")
                .doesNotContain("refunded", "as much as your balance held");
        assertThat(h.balance(INVITER)).isEqualTo(600);
    }

    /**
     * After a refund of part, a /debit_user of the friend when the inviter holds less than the rest of the bonus takes
     * what he holds and says so, not «the rest of the bonus»: that read as all of it taken.
     */
    @Test
    void aDebitTakingLessThanTheRestOfTheBonusDoesNotCallItTheRest() {
        friendCameAndPaid50ByTheProvider();
        assertThat(lastText(providerRefundsPart("re-1", 1))).contains("−0.01\u00A0₽");
        h.stores.ledger().transfer("spent", AccountId.wallet(INVITER), AccountId.MANUAL_CLEARING, 300,
                TransferKind.DEBIT_MANUAL);

        assertThat(lastTextTo(debitAll(FRIEND), INVITER))
                .contains("so the bonus for them was taken back: −1.99\u00A0₽", "as much as your balance held")
                .doesNotContain("rest");
        assertThat(h.balance(INVITER)).isZero();
    }

    /** A refund of the whole payment, as one of part for all of it, takes the whole bonus at once, as it always did. */
    @Test
    void aRefundOfTheWholeFirstTopUpTakesTheWholeBonusAtOnce() {
        friendCameAndPaid50ByTheProvider();
        assertThat(lastText(providerRefundsPart("re-all", 5_000))).contains("was refunded their first top-up",
                "−5\u00A0₽");
        assertThat(h.balance(INVITER)).isZero();
        assertThat(reversals()).extracting(Transfer::id).containsExactly(Referrals.reversalId(FRIEND));
    }

    /** The payment that earned the bonus stands when a later one goes back: Telegram's refund, an admin's, a provider's. */
    @Test
    void aRefundOfALaterPaymentLeavesTheBonus() {
        String first = friendCameAndPaid50Stars("charge-1");
        String second = h.invoiceFor50Stars(FRIEND);
        h.send(FRIEND, new Event.SuccessfulPayment("charge-2", second, "XTR", 50));
        h.send(FRIEND, new Event.SuccessfulPayment("charge-3", h.invoiceFor50Stars(FRIEND), "XTR", 50));
        h.shop.externalTopUps().credit(new ExternalPayment("cloudpay", "p-1", FRIEND, 2_000));
        h.deliver();
        assertThat(h.balance(INVITER)).isEqualTo(500);
        List<Reply> telegrams = h.send(FRIEND, new Event.RefundedPayment("charge-2", second, "XTR", 50));
        assertThat(telegrams.stream().filter(r -> r.chatId() == INVITER)).isEmpty();
        h.adminConfirmed("refund_stars", "charge-3");
        h.shop.externalTopUps().refunded(new dev.kiebot.core.payments.ExternalRefund("cloudpay", "p-1", FRIEND));
        h.deliver();
        assertThat(h.messenger.drain().stream().filter(r -> r.chatId() == INVITER).map(r -> lastText(List.of(r))))
                .noneMatch(t -> t.contains("was refunded their first top-up"));
        assertThat(h.balance(INVITER)).isEqualTo(500);
        // the one that earned it going back takes it
        telegramRefundTakesTheBonus("charge-1", first, "−5\u00A0₽");
    }

    /** The friend spent the top-up before its refund: nothing is taken from him, but the bonus still goes back. */
    @Test
    void theEarningPaymentsRefundTakesTheBonusBackAlsoWhenTheFriendSpentIt() {
        String first = friendCameAndPaid50Stars("charge-1");
        h.stores.ledger().transfer("spent", AccountId.wallet(FRIEND), AccountId.MANUAL_CLEARING, h.balance(FRIEND),
                TransferKind.DEBIT_MANUAL);
        telegramRefundTakesTheBonus("charge-1", first, "−5\u00A0₽");
    }

    /** Telegram's own report of a Stars refund, and an admin's debit, take it back as well; spent money stays spent. */
    @Test
    void aStarsRefundOrADebitTakesBackWhatIsLeftOfIt() {
        String payload = friendCameAndPaid50Stars("charge-1");
        h.stores.ledger().transfer("spent", AccountId.wallet(INVITER), AccountId.MANUAL_CLEARING, 300,
                TransferKind.DEBIT_MANUAL);
        telegramRefundTakesTheBonus("charge-1", payload, "−2\u00A0₽");

        long other = 78;
        startFrom(other, linkOf(INVITER));
        h.adminConfirmed("topup_user", other + " 20");
        assertThat(h.balance(INVITER)).isEqualTo(200);
        List<Reply> debited = debitAll(other);
        assertThat(lastTextTo(debited, INVITER)).contains("taken off the balance of a friend you invited, so the bonus")
                .doesNotContain("refunded", "as much as your balance held");
        assertThat(h.balance(INVITER)).isZero();

        // an admin's Stars refund (held, asked of Telegram, posted)
        long third = 79;
        startFrom(third, linkOf(INVITER));
        h.send(third, new Event.SuccessfulPayment("charge-3", h.invoiceFor50Stars(third), "XTR", 50));
        assertThat(h.balance(INVITER)).isEqualTo(500);
        List<Reply> refundedByAdmin = h.adminConfirmed("refund_stars", "charge-3");
        assertThat(lastTextTo(refundedByAdmin, INVITER)).contains("was refunded their first top-up", "−5\u00A0₽");
        assertThat(h.balance(INVITER)).isZero();
    }

    /**
     * An admin's {@code /topup_user} of an invited user's first paid top-up names, before it is pressed, whom it pays a
     * bonus and how much (review R4 item 3): a typo's 50 for 5 paid the inviter 5 ₽ unseen. A second top-up's names
     * none, and nothing is paid until the press.
     */
    @Test
    void aTopUpsConfirmationNamesTheInvitersBonusItWouldPay() {
        startFrom(FRIEND, linkOf(INVITER));
        List<Reply> asked = h.admin("topup_user", FRIEND + " 50");
        assertThat(lastTextTo(asked, ShopHarness.ADMIN)).contains("👥 Their first top-up: their inviter User" + INVITER
                + " (id " + INVITER + ") gets a bonus of 5\u00A0₽.");
        assertThat(h.balance(INVITER)).isZero();
        List<Reply> done = h.press(ShopHarness.ADMIN, ShopHarness.moneyButton(asked).orElseThrow());
        assertThat(h.balance(INVITER)).isEqualTo(500);
        // named as the confirmation named him: «пригласившему 42» was a bare number
        assertThat(lastTextTo(done, ShopHarness.ADMIN)).contains("👥 Their first top-up: their inviter User" + INVITER
                + " (id " + INVITER + ") got a bonus of 5\u00A0₽.");
        assertThat(lastTextTo(h.admin("topup_user", FRIEND + " 50"), ShopHarness.ADMIN)).doesNotContain("👥");
    }

    /**
     * A typo top-up of an invited user (50 for 5) corrected by a {@code /debit_user} of the extra 45: only the bonus the
     * extra earned goes back (5 ₽ of 50 less 0.50 ₽ of 5), under the debit's own id; the inviter keeps his real 0.50 ₽.
     * Before, the correction took the whole bonus, his real one too. The same confirmation pressed again takes nothing
     * more; a debit of all the friend holds later takes the rest, as a full debit always did.
     */
    @Test
    void aDebitOfPartOfTheFriendsFirstTopUpTakesBackOnlyTheBonusThatPartEarned() {
        startFrom(FRIEND, linkOf(INVITER));
        h.adminConfirmed("topup_user", FRIEND + " 50");
        assertThat(h.balance(INVITER)).isEqualTo(500);

        List<Reply> asked = h.admin("debit_user", FRIEND + " 45");
        String take = ShopHarness.moneyButton(asked).orElseThrow();
        assertThat(lastTextTo(h.press(ShopHarness.ADMIN, take), INVITER))
                .contains("Part of the first top-up of a friend you invited was taken off", "−4.50\u00A0₽",
                        "Balance: 0.50\u00A0₽").as("all of what was due").doesNotContain("as much as your balance held");
        assertThat(h.balance(INVITER)).isEqualTo(50);
        assertThat(reversals()).singleElement().satisfies(t -> {
            assertThat(t.amount()).isEqualTo(450);
            assertThat(Referrals.friendOfReversal(t.id())).contains(FRIEND);
            assertThat(t.id()).startsWith(Referrals.reversalId(FRIEND) + Referrals.PART + "debit:");
        });

        h.press(ShopHarness.ADMIN, take); // the same press again: the debit is made, nothing more moves
        assertThat(reversals()).hasSize(1);
        assertThat(h.balance(INVITER)).isEqualTo(50);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();

        assertThat(lastTextTo(debitAll(FRIEND), INVITER)).contains("the rest of the bonus", "−0.50\u00A0₽");
        assertThat(h.balance(INVITER)).isZero();
        assertThat(reversals()).extracting(Transfer::amount).containsExactlyInAnyOrder(450L, 50L);
    }

    /**
     * The typo is in a later top-up (5, then 50 for 5): its correction, a {@code /debit_user} of the extra 45, took
     * nothing of the first top-up, which earned the bonus, and takes no bonus back (a debit takes the newest admin
     * top-up first, {@link CreditsOnWallet}). Counting every debit since the first top-up against it, the 45 "left
     * nothing" of its 5 and the inviter lost his real bonus. A debit of all the friend holds still takes it.
     */
    @Test
    void aDebitCorrectingALaterTopUpLeavesTheBonusOfTheFirst() {
        startFrom(FRIEND, linkOf(INVITER));
        h.adminConfirmed("topup_user", FRIEND + " 5");
        h.adminConfirmed("topup_user", FRIEND + " 50");
        assertThat(h.balance(INVITER)).isEqualTo(50);

        h.adminConfirmed("debit_user", FRIEND + " 45");
        assertThat(h.balance(FRIEND)).isEqualTo(1000);
        assertThat(reversals()).isEmpty();
        assertThat(h.balance(INVITER)).isEqualTo(50);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();

        debitAll(FRIEND);
        assertThat(h.balance(INVITER)).isZero();
    }

    /**
     * Only the admins' debits count against the first top-up: a job it paid is no debit of it. A later admin top-up
     * corrected by a {@code /debit_user} of all of it leaves the inviter his bonus, though the friend spent most of the
     * first top-up on a job (counted as taken, 30 of its 50 left 20, whose bonus is 2.00, and 3.00 went back).
     */
    @Test
    void aJobPaidByTheFirstTopUpIsNoDebitOfItSoALaterTopUpsCorrectionTakesNoBonus() {
        startFrom(FRIEND, linkOf(INVITER));
        h.adminConfirmed("topup_user", FRIEND + " 50");
        assertThat(h.balance(INVITER)).isEqualTo(500);
        assertThat(h.stores.ledger().transfer("spent-1", AccountId.wallet(FRIEND), AccountId.REVENUE, 3_000,
                TransferKind.GENERATION).succeeded()).isTrue();
        h.adminConfirmed("topup_user", FRIEND + " 100");
        h.adminConfirmed("debit_user", FRIEND + " 100");
        assertThat(h.balance(FRIEND)).isEqualTo(2_000);
        assertThat(reversals()).isEmpty();
        assertThat(h.balance(INVITER)).isEqualTo(500);
    }

    /**
     * A debit of part of the first top-up, then a top-up, then a debit of that top-up: the second debit took nothing
     * of the first top-up and takes no more of the bonus (counted against it, 20 + 100 "left nothing" of its 50).
     */
    @Test
    void aDebitThenATopUpThenItsDebitTakesOnlyTheFirstDebitsPart() {
        startFrom(FRIEND, linkOf(INVITER));
        h.adminConfirmed("topup_user", FRIEND + " 50");
        h.adminConfirmed("debit_user", FRIEND + " 20");
        assertThat(h.balance(INVITER)).as("5.00 less the bonus of 20").isEqualTo(300);
        h.adminConfirmed("topup_user", FRIEND + " 100");
        h.adminConfirmed("debit_user", FRIEND + " 100");
        assertThat(h.balance(FRIEND)).isEqualTo(3000);
        assertThat(reversals()).extracting(Transfer::amount).containsExactly(200L);
        assertThat(h.balance(INVITER)).isEqualTo(300);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * A {@code /debit_user} that leaves nothing on the friend's wallet takes the whole bonus back, as a full debit
     * always did, though it took only part of his first top-up: the friend spent 30 of its 50 on a job and the debit
     * took the 20 left. Read as a debit of part, it took back only the bonus of the 20 and the inviter kept 3.00 ₽ of
     * a friend whose account an admin emptied.
     */
    @Test
    void aDebitThatEmptiesTheFriendsWalletTakesTheWholeBonusThoughHeSpentPartOfHisFirstTopUp() {
        startFrom(FRIEND, linkOf(INVITER));
        h.adminConfirmed("topup_user", FRIEND + " 50");
        assertThat(h.stores.ledger().transfer("spent-1", AccountId.wallet(FRIEND), AccountId.REVENUE, 3_000,
                TransferKind.GENERATION).succeeded()).isTrue();

        theWholeBonusWasTakenBack(debitAll(FRIEND));
        assertThat(h.balance(FRIEND)).isZero();
        assertThat(h.balance(INVITER)).isZero();
    }

    /** The inviter read that a debit took his whole bonus back, under the friend's own reversal id, 5 ₽ of it. */
    private void theWholeBonusWasTakenBack(List<Reply> debit) {
        assertThat(lastTextTo(debit, INVITER))
                .contains("taken off the balance of a friend you invited, so the bonus", "−5\u00A0₽")
                .doesNotContain("Part of the first top-up");
        assertThat(reversals()).singleElement().satisfies(t -> {
            assertThat(t.id()).isEqualTo(Referrals.reversalId(FRIEND));
            assertThat(t.amount()).isEqualTo(500);
        });
    }

    /**
     * A {@code /debit_user} of exactly the friend's first top-up (his Stars are taken oldest first), with a later
     * payment still on his wallet, left nothing of the payment that earned the bonus: the whole bonus goes back, and the
     * inviter reads that it did, under the friend's own reversal id, not as a part a debit of part took.
     */
    @Test
    void aDebitOfAllOfTheFirstTopUpTakesTheWholeBonusThoughTheWalletHoldsALaterPayment() {
        friendCameAndPaid50Stars("charge-1");
        long first = h.balance(FRIEND);
        h.paid50Stars(FRIEND, "charge-2");
        assertThat(h.balance(INVITER)).as("the second payment earns nothing").isEqualTo(500);

        theWholeBonusWasTakenBack(h.adminConfirmed("debit_user", FRIEND + " " + first / 100 + ","
                + String.format("%02d", first % 100)));
        assertThat(h.balance(FRIEND)).isEqualTo(first);
        assertThat(h.balance(INVITER)).isZero();
    }

    /**
     * An admin looking up the inviter or the friend after the bonus was taken back sees it: when, whose bonus for whom,
     * how much, and why (the friend's refund, or an admin's debit of the friend), as the audit line says. /find showed
     * neither: the inviter's page said only what the bonuses left him, the friend's only what his top-up had earned.
     */
    @Test
    void findShowsABonusTakenBackOnTheInvitersAndTheFriendsPage() {
        String payload = friendCameAndPaid50Stars("charge-1");
        telegramRefundTakesTheBonus("charge-1", payload, "−5\u00A0₽");
        String refunded = "friend id " + FRIEND + " was refunded, so the bonus of their inviter id " + INVITER
                + " was taken back: 5\u00A0₽";
        assertThat(lastText(h.admin("find", Long.toString(INVITER)))).contains(refunded);
        assertThat(lastText(h.admin("find", Long.toString(FRIEND)))).contains(refunded);

        long other = 78;
        startFrom(other, linkOf(INVITER));
        h.adminConfirmed("topup_user", other + " 20");
        debitAll(other);
        String debited = "an admin debited the balance of friend id " + other + ", so the bonus of their inviter "
                + "id " + INVITER + " was taken back: 2\u00A0₽";
        assertThat(lastText(h.admin("find", Long.toString(other)))).contains(debited)
                .doesNotContain("was refunded");
        assertThat(lastText(h.admin("find", Long.toString(INVITER)))).contains(refunded, debited);
    }

    /**
     * /find names the inviter and the friend of its invitation lines as the admin's other lines name a user, «ID 42»:
     * «пришёл по приглашению 42» and «другу 77 вернули оплату, у пригласившего 42…» said a bare number, which read as
     * a count (a bonus's ledger line, «бонус за приглашённого друга ID 77»: TransferWordsTest).
     */
    @Test
    void findNamesTheInviterAndTheFriendByTheirIds() {
        String payload = friendCameAndPaid50Stars("charge-1");
        telegramRefundTakesTheBonus("charge-1", payload, "−5\u00A0₽");
        ShopHarness ru = h.speaking("ru");

        assertThat(lastText(ru.admin("find", Long.toString(FRIEND)))).contains("👥 пришёл по приглашению ID 42")
                .contains("другу ID 77 вернули оплату, поэтому у пригласившего ID 42 списан бонус за него: 5\u00A0₽");
    }

    /**
     * A friend with a 19-digit id (a Discord user's since 2022): the bonus taken back for him is on his page and the
     * inviter's as any friend's is. The friend's id inside the ledger id was read as at most 18 digits, so /find
     * found no friend there and said nothing.
     */
    @Test
    void findShowsABonusTakenBackForAFriendWithANineteenDigitId() {
        long friend = 1150000000000000042L;
        startFrom(friend, linkOf(INVITER));
        h.adminConfirmed("topup_user", friend + " 20");
        debitAll(friend);
        String debited = "an admin debited the balance of friend id " + friend + ", so the bonus of their inviter "
                + "id " + INVITER + " was taken back: 2\u00A0₽";
        assertThat(lastText(h.admin("find", Long.toString(friend)))).contains(debited);
        assertThat(lastText(h.admin("find", Long.toString(INVITER)))).contains(debited);
    }

    /**
     * An admin's {@code /debit_user} of the friend is audited as a debit: its line, and the words the admins read for it
     * ({@link AuditNote#words}, as {@code /find} says an event), said the friend had been refunded, nothing having
     * been. A line recorded so before still reads as it did.
     */
    @Test
    void aDebitOfTheFriendIsAuditedAsADebitNotARefund() {
        friendCameAndPaid50Stars("charge-1");
        debitAll(FRIEND);
        String friend = dev.kiebot.core.conversation.Actor.mask(FRIEND);
        dev.kiebot.core.audit.AuditEvent debit = h.stores.audit().byCorrelation(Referrals.reversalId(FRIEND)).get(0);
        assertThat(debit.detail()).isEqualTo("friend " + friend + " was debited by an admin, bonus taken back 500");
        dev.kiebot.core.text.Texts texts = new dev.kiebot.core.text.Texts();
        dev.kiebot.core.catalog.Pricing pricing = dev.kiebot.core.catalog.Pricing.defaults();
        assertThat(AuditNote.words(texts, pricing, "ru", debit.action(), debit.detail()))
                .hasValue("администратор снял деньги с баланса друга " + friend + ", бонус списан: 5\u00A0₽");
        assertThat(AuditNote.words(texts, pricing, "en", debit.action(), debit.detail()))
                .hasValue("an admin debited friend " + friend + "'s balance, bonus taken back: 5\u00A0₽");
        assertThat(AuditNote.words(texts, pricing, "ru", Referrals.REVERSED,
                "friend " + friend + " was refunded, bonus taken back 500"))
                .as("recorded before, or by a refund")
                .hasValue("другу " + friend + " вернули оплату, бонус списан: 5\u00A0₽");
    }

    /**
     * A bonus taken back by an admin's {@code /debit_user} of the friend before its audit line said so: the line says
     * the friend was refunded, as every reversal's did. /find reads what took the friend's money from the ledger and
     * says a debit, not «другу вернули оплату», nothing having been refunded; and the inviter's /payments says the
     * bonus was taken off, not «возвращён», a refund's word. A refund's line recorded so still reads as a refund.
     */
    @Test
    void anOldDebitOfTheFriendRecordedAsARefundReadsAsADebit() {
        friendCameAndPaid50Stars("charge-1");
        anOldDebitOfTheFriendRecordedAsARefund();

        String debited = "an admin debited the balance of friend id " + FRIEND + ", so the bonus of their inviter "
                + "id " + INVITER + " was taken back: 5\u00A0₽";
        assertThat(lastText(h.admin("find", Long.toString(FRIEND)))).contains(debited).doesNotContain("was refunded");
        assertThat(lastText(h.admin("find", Long.toString(INVITER)))).contains(debited).doesNotContain("was refunded");
        assertThat(lastText(h.speaking("ru").admin("find", Long.toString(INVITER))))
                .contains("администратор снял деньги с баланса друга ID " + FRIEND).doesNotContain("вернули оплату");
        assertThat(lastText(h.speaking("ru").command(INVITER, "payments"))).contains("бонус за друга списан")
                .doesNotContain("возвращён");

        long other = 78;
        startFrom(other, linkOf(INVITER));
        String payload = h.speaking("en").invoiceFor50Stars(other);
        h.send(other, new Event.SuccessfulPayment("charge-2", payload, "XTR", 50));
        h.send(other, new Event.RefundedPayment("charge-2", payload, "XTR", 50));
        assertThat(lastText(h.admin("find", Long.toString(other)))).contains("friend id " + other
                + " was refunded, so the bonus of their inviter id " + INVITER + " was taken back");
    }

    /**
     * Why a bonus whose line says «refunded» was taken back is asked of the ledger for the friend's wallet
     * ({@code Ledger.postedDebitKinds}: one query in {@code PgLedger}), not read from his whole history (never purged)
     * for each such line of the page; the page says the same.
     */
    @Test
    void findAsksWhatTookTheFriendsMoneyWithoutReadingHisWholeHistory() {
        java.util.concurrent.atomic.AtomicInteger read = new java.util.concurrent.atomic.AtomicInteger();
        h = new ShopHarness(TestCatalog.catalog(), TEN_PERCENT, ShopHarness.MANUAL, b -> b, clock -> {
            dev.kiebot.core.shop.Stores s = dev.kiebot.core.testing.memory.InMemoryStores.create(clock);
            return s.withLedger(new dev.kiebot.core.ledger.ForwardingLedger(s.ledger()) {
                @Override
                public List<Transfer> transfers(AccountId account) {
                    if (account.equals(AccountId.wallet(FRIEND))) {
                        read.incrementAndGet();
                    }
                    return super.transfers(account);
                }

                @Override
                public Set<TransferKind> postedDebitKinds(AccountId account, Set<TransferKind> kinds, Instant until) {
                    return real.postedDebitKinds(account, kinds, until); // answered by the store, as PgLedger does
                }
            });
        });
        h.command(ShopHarness.ADMIN, "start");
        h.command(INVITER, "start");
        friendCameAndPaid50Stars("charge-1");
        anOldDebitOfTheFriendRecordedAsARefund();

        read.set(0);
        String page = lastText(h.admin("find", Long.toString(INVITER)));
        assertThat(page).contains("an admin debited the balance of friend id " + FRIEND + ", so the bonus of their "
                + "inviter id " + INVITER + " was taken back: 5\u00A0₽").doesNotContain("was refunded");
        assertThat(read).as("the friend's whole history read for the line").hasValue(0);
    }

    /**
     * A debit of the inviter's wallet (here a generation of his held at that moment) lands between the reversal's
     * read of his balance and its transfer: the ledger refuses that transfer, and a refused id stays refused for good.
     * Before, the bonus was then never taken back (a later /debit_user of the friend found the id refused too): an
     * inviter who kept generating while his own second account's payment went back kept the whole bonus. Now the next
     * try reads again and takes what is left, once.
     */
    @Test
    void aReversalThatAGenerationOfTheInviterOvertakesStillTakesWhatIsLeft() {
        String payload = friendCameAndPaid50Stars("charge-1");
        java.util.concurrent.atomic.AtomicBoolean raced = new java.util.concurrent.atomic.AtomicBoolean();
        dev.kiebot.core.ledger.Ledger racing = new dev.kiebot.core.ledger.ForwardingLedger(h.stores.ledger()) {
            @Override
            public dev.kiebot.core.ledger.LedgerResult transfer(String id, AccountId debit, AccountId credit,
                                                               long amount, TransferKind kind) {
                if (kind == TransferKind.REFERRAL_REVERSAL && raced.compareAndSet(false, true)) {
                    assertThat(super.hold("gen-of-the-inviter", AccountId.wallet(INVITER), AccountId.REVENUE, 100,
                            TransferKind.GENERATION, h.clock.instant().plusSeconds(600)).succeeded()).isTrue();
                }
                return super.transfer(id, debit, credit, amount, kind);
            }
        };
        h.messenger.drain();
        h.anotherInstance(s -> s.withLedger(racing)).storefront().serve(new dev.kiebot.core.conversation.Incoming(904,
                ShopHarness.actor(FRIEND, "en"), new Event.RefundedPayment("charge-1", payload, "XTR", 50)));
        h.deliver();
        assertThat(raced).isTrue();
        assertThat(lastTextTo(h.messenger.drain(), INVITER)).contains("was refunded their first top-up", "−4\u00A0₽");
        assertThat(h.balance(INVITER)).as("the generation's hold is all he has").isZero();
        assertThat(h.stores.ledger().transfers(AccountId.wallet(INVITER)))
                .filteredOn(t -> t.kind() == TransferKind.REFERRAL_REVERSAL)
                .singleElement().satisfies(t -> assertThat(t.amount()).isEqualTo(400));
        // once: the generation failing gives its money back, and a debit of the friend takes nothing more
        h.stores.ledger().voidHold("void:gen-of-the-inviter", "gen-of-the-inviter");
        h.adminConfirmed("topup_user", FRIEND + " 50");
        h.adminConfirmed("debit_user", FRIEND + " 50");
        assertThat(h.balance(INVITER)).isEqualTo(100);
        assertThat(lastText(h.command(INVITER, "payments"))).contains("bonus for a friend taken back")
                .doesNotContain("~");
    }

    /**
     * The inviter spent the bonus his friend's payment earned (a second account of his own, say): the admin listing the
     * friend's payments to refund sees, beside that payment, how much of the bonus a refund could not take back.
     */
    @Test
    void aPaymentWhoseBonusTheInviterSpentShowsTheAdminWhatARefundCannotTakeBack() {
        friendCameAndPaid50Stars("charge-1");
        h.send(FRIEND, new Event.SuccessfulPayment("charge-2", h.invoiceFor50Stars(FRIEND), "XTR", 50));
        h.stores.ledger().transfer("spent", AccountId.wallet(INVITER), AccountId.MANUAL_CLEARING, 300,
                TransferKind.DEBIT_MANUAL);
        assertThat(lastTextTo(h.admin("refund_stars", Long.toString(FRIEND)), ShopHarness.ADMIN))
                .as("beside that payment only, not the friend's second").containsOnlyOnce("⚠️")
                .contains("charge-1\n  ⚠️ This payment earned the inviter (id " + INVITER + ") a bonus of 5\u00A0₽, "
                        + "and they hold 2\u00A0₽: a refund takes back no more than that.");
        // and on the refund's confirmation, the shop's loss said before Telegram is asked; not on the second's
        assertThat(lastTextTo(h.admin("refund_stars", "charge-1"), ShopHarness.ADMIN))
                .contains("Taken off the balance: 75\u00A0₽", "⚠️ This payment earned the inviter (id " + INVITER
                        + ") a bonus of 5\u00A0₽, and they hold 2\u00A0₽");
        assertThat(lastTextTo(h.admin("refund_stars", "charge-2"), ShopHarness.ADMIN)).doesNotContain("⚠️");
        assertThat(h.starsRefunds.calls()).isEmpty();
        h.adminConfirmed("topup_user", INVITER + " 3");
        assertThat(lastTextTo(h.admin("refund_stars", Long.toString(FRIEND)), ShopHarness.ADMIN))
                .as("covered again").contains("charge-1").doesNotContain("⚠️");
    }

    /**
     * Once a {@code /debit_user} of the friend took back what the inviter still held of the bonus, a refund of the
     * payment that earned it has nothing more to take: the admin listing the friend's payments is not warned of a
     * shortfall beside it, which would send him to weigh a bonus already settled.
     */
    @Test
    void aBonusTakenBackByADebitIsNoLongerWarnedOfBesideThePaymentThatEarnedIt() {
        friendCameAndPaid50Stars("charge-1");
        h.stores.ledger().transfer("spent", AccountId.wallet(INVITER), AccountId.MANUAL_CLEARING, 300,
                TransferKind.DEBIT_MANUAL);
        assertThat(lastTextTo(debitAll(FRIEND), INVITER))
                .contains("taken off the balance of a friend you invited", "−2\u00A0₽", "as much as your balance held");
        assertThat(h.balance(INVITER)).isZero();

        assertThat(lastTextTo(h.admin("refund_stars", Long.toString(FRIEND)), ShopHarness.ADMIN))
                .as("the payment is listed, with no warning").contains("charge-1").doesNotContain("⚠️");
    }

    /**
     * Another instance took the bonus back between this one's look for a reversal and its transfer (both handling a
     * refund of the friend's): the ledger keeps one reversal, and only the instance that made it tells the inviter,
     * so this one says nothing (a second «was refunded their first top-up» would read as a second sum taken).
     */
    @Test
    void aReversalAnotherInstanceMadeMeanwhileIsNotToldAgain() {
        String payload = friendCameAndPaid50Stars("charge-1");
        java.util.concurrent.atomic.AtomicBoolean raced = new java.util.concurrent.atomic.AtomicBoolean();
        dev.kiebot.core.ledger.Ledger racing = new dev.kiebot.core.ledger.ForwardingLedger(h.stores.ledger()) {
            @Override
            public dev.kiebot.core.ledger.LedgerResult transfer(String id, AccountId debit, AccountId credit,
                                                               long amount, TransferKind kind) {
                if (kind == TransferKind.REFERRAL_REVERSAL && raced.compareAndSet(false, true)) {
                    assertThat(super.transfer(id, debit, credit, amount, kind))
                            .isInstanceOf(dev.kiebot.core.ledger.LedgerResult.Created.class);
                }
                return super.transfer(id, debit, credit, amount, kind);
            }
        };
        h.messenger.drain();
        h.anotherInstance(s -> s.withLedger(racing)).storefront().serve(new dev.kiebot.core.conversation.Incoming(905,
                ShopHarness.actor(FRIEND, "en"), new Event.RefundedPayment("charge-1", payload, "XTR", 50)));
        h.deliver();
        assertThat(raced).isTrue();
        assertThat(h.messenger.drain()).as("the friend is told of his refund, the inviter by the other instance")
                .isNotEmpty().noneMatch(r -> r.chatId() == INVITER);
        assertThat(h.balance(INVITER)).isZero();
        assertThat(h.stores.ledger().transfers(AccountId.wallet(INVITER)))
                .filteredOn(t -> t.kind() == TransferKind.REFERRAL_REVERSAL).hasSize(1);
    }

    /** Without the bot's username (a partner who gave none) the link is the command to type; nothing to share it by. */
    @Test
    void withoutTheBotsUsernameTheInvitationIsTheCommandToType() {
        h = new ShopHarness(TestCatalog.catalog(), TEN_PERCENT, ShopHarness.MANUAL,
                b -> b.botUsername(Optional.empty()));
        h.command(INVITER, "start");
        List<Reply> invite = h.command(INVITER, "invite");
        assertThat(lastText(invite)).containsPattern("/start r_[0-9a-z]{8}").doesNotContain("t.me");
        assertThat(buttonTexts(invite)).containsExactly("🏠 Menu");
    }

    /**
     * Found by an operator review: a runner whose getMe failed at start kept the username unknown for the whole run, and
     * /invite gave the command to type, without a share button, until a restart. The shop now reads it at each link.
     */
    @Test
    void theInvitationGetsItsLinkOnceTheBotsUsernameIsLearnedAfterTheStart() {
        java.util.concurrent.atomic.AtomicReference<Optional<String>> learned =
                new java.util.concurrent.atomic.AtomicReference<>(Optional.empty());
        h = new ShopHarness(TestCatalog.catalog(), TEN_PERCENT, ShopHarness.MANUAL,
                b -> b.botUsernameFrom(learned::get));
        h.command(INVITER, "start");
        assertThat(lastText(h.command(INVITER, "invite"))).containsPattern("/start r_[0-9a-z]{8}").doesNotContain("t.me");

        learned.set(Optional.of("late_kie_bot"));

        List<Reply> invite = h.command(INVITER, "invite");
        assertThat(lastText(invite)).containsPattern("https://t\\.me/late_kie_bot\\?start=r_[0-9a-z]{8}");
        assertThat(buttonTexts(invite)).hasSizeGreaterThan(1);
    }

    @Test
    void aBonusIsNoPaymentAndEarnsNothing() {
        h = new ShopHarness(TestCatalog.catalog(), TEN_PERCENT.withWelcomeBonus(10_000));
        h.command(INVITER, "start");
        startFrom(FRIEND, linkOf(INVITER));
        assertThat(h.balance(FRIEND)).isEqualTo(10_000);
        assertThat(bonuses()).isEmpty();
    }

    /**
     * A balance the operator carried over from an earlier bot ({@code import-balances}) before the friend first came
     * is no payment here: it took the place of his first payment, whose bonus then never came, nor went back.
     */
    @Test
    void aBalanceCarriedOverFromAnEarlierBotLeavesTheFriendsFirstPaymentToEarnTheBonus() {
        h.stores.ledger().transfer("import:friend", AccountId.MANUAL_CLEARING, AccountId.wallet(FRIEND), 15_000,
                TransferKind.CARRIED_OVER);
        String payload = friendCameAndPaid50Stars("charge-1");
        assertThat(lastText(h.command(FRIEND, "payments"))).contains("balance carried over from the earlier bot");
        telegramRefundTakesTheBonus("charge-1", payload, "−5\u00A0₽");
    }

    @Test
    void onlyANewUserIsInvited() {
        h.command(FRIEND, "start");
        startFrom(FRIEND, linkOf(INVITER));
        assertThat(h.stores.users().referrerOf(FRIEND)).as("a user before the link").isEmpty();
        h.adminConfirmed("topup_user", FRIEND + " 100");
        assertThat(h.balance(INVITER)).isZero();
    }

    /**
     * A user whose data an admin erased ({@code /forget}) is no new user: coming back by a link, his own second
     * account's or that of the friend he invited himself (a loop), he is invited by nobody, and his first payment earns
     * that link's owner nothing. {@code /forget} keeps his id, so the shop does not create him again.
     */
    @Test
    void aUserWhoseDataWasErasedComingBackByALinkIsInvitedByNobody() {
        startFrom(FRIEND, linkOf(INVITER));
        String friendsLink = linkOf(FRIEND);
        for (long forgotten : List.of(INVITER, 91L)) {
            h.command(forgotten, "start");
            List<Reply> asked = h.admin("forget", Long.toString(forgotten));
            assertThat(lastText(h.press(ShopHarness.ADMIN, button(asked, "Erase the data")))).contains("erased");
            startFrom(forgotten, friendsLink);
            assertThat(h.stores.users().referrerOf(forgotten)).as("user %d after his data was erased", forgotten)
                    .isEmpty();
            h.paid50Stars(forgotten, "charge-" + forgotten);
        }
        assertThat(h.balance(FRIEND)).as("the link's owner earns nothing").isZero();
        assertThat(h.stores.users().referrerOf(FRIEND)).contains(INVITER);
    }

    /**
     * A link of nobody's (a code no user has, or one cut short) is a plain start, with a line above the welcome that
     * the invitation link is not valid: the friend who came by it got the plain welcome and took his inviter's bonus as
     * tied. Anything else after /start (no link of the shop's) and the inviter's own link get the plain welcome.
     */
    @Test
    void aLinkOfNobodyOrNoLinkAtAllIsAPlainStart() {
        String valid = linkOf(INVITER);
        String notValid = "This invitation link is not valid: no invitation bonus is tied to it.";
        for (String parameter : List.of("r_", "r_!!", "r_ABCDEFGH", "r_" + "z".repeat(13), "r_zzzzzzzz",
                "r_" + Long.toString(INVITER, 36))) {
            long user = 100 + parameter.length() + parameter.hashCode() % 50;
            List<Reply> welcome = startFrom(user, parameter);
            assertThat(lastText(welcome)).as(parameter).contains("User" + user).startsWith(notValid + "\n");
            assertThat(h.stores.users().referrerOf(user)).as(parameter).isEmpty();
        }
        for (String parameter : List.of("hello", "ref42", "-1", "x_r_zzzzzzzz")) {
            long user = 200 + parameter.length();
            List<Reply> welcome = startFrom(user, parameter);
            assertThat(lastText(welcome)).as(parameter).contains("User" + user).doesNotContain("invitation");
        }
        assertThat(lastText(startFrom(300, valid))).contains("User300").doesNotContain("invitation");
        assertThat(h.stores.users().referrerOf(300)).hasValue(INVITER);
        assertThat(lastText(h.speaking("ru").send(301, new Event.Command("start", "r_zzzzzzzz"))))
                .startsWith("Эта ссылка-приглашение недействительна: бонус за приглашение по ней не начислится.\n");
    }

    /**
     * A user the shop knew before gets nothing from any invitation link, and hears so the same way whoever's the code:
     * a valid one gave him the plain welcome and a made-up one «not valid», two answers for two links neither of which
     * could give him anything. His own link too.
     */
    @Test
    void aUserKnownBeforeHearsTheSameOfEveryInvitationLink() {
        String notNew = "Вы уже пользовались ботом, поэтому эта ссылка-приглашение ничего не меняет: приглашение "
                + "засчитывается только при первом запуске.\n";
        String valid = linkOf(INVITER);
        h = h.speaking("ru");
        h.command(FRIEND, "start");
        for (String parameter : List.of(valid, "r_zzzzzzzz", "r_", linkOf(FRIEND))) {
            List<Reply> start = startFrom(FRIEND, parameter);
            assertThat(start.stream().filter(r -> r instanceof Reply.SendText || r instanceof Reply.EditText))
                    .as(parameter).hasSize(1);
            assertThat(lastText(start)).as(parameter).startsWith(notNew).contains("Привет, User" + FRIEND + "!");
        }
        assertThat(h.stores.users().referrerOf(FRIEND)).isEmpty();
        // a new user by the same links: tied by the valid one, told «not valid» of the other, nothing of his newness
        assertThat(lastText(startFrom(FRIEND + 1, valid))).startsWith("Привет, User" + (FRIEND + 1) + "!");
        assertThat(lastText(startFrom(FRIEND + 2, "r_zzzzzzzz"))).startsWith("Эта ссылка-приглашение недействительна");
    }

    /**
     * The invited friend who opens his inviter's link again is a user known before, and hears that the link changes
     * nothing; and it changes nothing: his inviter stays recorded and still earns his share of the first top-up. He
     * was told that no invitation bonus is tied to the link, though the very same link had tied it (review R).
     */
    @Test
    void theInvitedFriendOpeningHisLinkAgainKeepsHisInviterAndIsToldTheLinkChangesNothing() {
        String link = linkOf(INVITER);
        startFrom(FRIEND, link);
        assertThat(h.stores.users().referrerOf(FRIEND)).hasValue(INVITER);
        for (String language : List.of("ru", "en")) {
            String again = lastText(h.speaking(language).send(FRIEND, new Event.Command("start", link)));
            assertThat(again).as(language).startsWith("en".equals(language)
                    ? "You have used the bot before, so this invitation link changes nothing: an invitation counts "
                            + "only on a first start.\n"
                    : "Вы уже пользовались ботом, поэтому эта ссылка-приглашение ничего не меняет: приглашение "
                            + "засчитывается только при первом запуске.\n")
                    .doesNotContain("bonus", "бонус");
        }
        assertThat(h.stores.users().referrerOf(FRIEND)).hasValue(INVITER);
        h.send(FRIEND, new Event.SuccessfulPayment("charge-1", h.invoiceFor50Stars(FRIEND), "XTR", 50));
        assertThat(h.balance(INVITER)).isEqualTo(500);
    }

    /**
     * A new user's {@code /start r_…} looks his link's code up once, where his inviter is recorded, and the welcome is
     * told what was found: it was looked up a second time for the welcome. A user known before looks nothing up.
     */
    @Test
    void anInvitationCodeIsLookedUpOncePerNewUserAndNeverForAUserKnownBefore() {
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        h = new ShopHarness(TestCatalog.catalog(), TEN_PERCENT, ShopHarness.MANUAL, b -> b, clock -> {
            Stores s = dev.kiebot.core.testing.memory.InMemoryStores.create(clock);
            Users counted = (Users) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Users.class}, (proxy, m, args) -> {
                        if (m.getName().equals("byInviteCode")) {
                            lookups.incrementAndGet();
                        }
                        try {
                            return m.invoke(s.users(), args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            return new Stores(counted, s.chatStates(), s.ledger(), s.jobs(), s.payments(), s.freeUsage(),
                    s.processedUpdates(), s.audit(), s.admissions(), s.broadcasts(), s.manualTopUps(),
                    s.supportTickets(), s.figures(), s.pendingReplies(), s.transactions(), s.pausedModels(),
                    s.externalRefundDues(), s.personalData());
        });
        h.command(INVITER, "start");
        String valid = linkOf(INVITER);
        lookups.set(0);
        startFrom(FRIEND, valid);
        assertThat(h.stores.users().referrerOf(FRIEND)).hasValue(INVITER);
        assertThat(lookups).as("a new user by a valid link").hasValue(1);
        startFrom(FRIEND + 1, "r_zzzzzzzz");
        assertThat(lookups).as("a new user by a link of nobody's").hasValue(2);
        startFrom(FRIEND, valid);
        startFrom(FRIEND, "r_zzzzzzzz");
        assertThat(lookups).as("a user known before").hasValue(2);
    }

    @Test
    void aBannedInviterEarnsNothing() {
        startFrom(FRIEND, linkOf(INVITER));
        h.stores.users().setBan(INVITER, Optional.of(new Ban(Instant.parse("2026-11-21T09:00:00Z"), Optional.empty())));
        List<Reply> credited = h.adminConfirmed("topup_user", FRIEND + " 100");
        assertThat(credited).noneMatch(r -> r.chatId() == INVITER);
        assertThat(bonuses()).isEmpty();
    }

    @Test
    void aShopWithoutInvitationsShowsNoLinkAndRecordsNobody() {
        h = new ShopHarness();
        h.command(INVITER, "start");
        assertThat(lastText(h.command(INVITER, "invite"))).contains("no bonus for inviting");
        assertThat(buttonTexts(h.command(INVITER, "balance"))).noneMatch(b -> b.contains("Invite"));
        assertThat(lastText(h.command(INVITER, "help"))).doesNotContain("/invite");
        // a link given out while invitations were on
        h.stores.users().setInviteCode(INVITER, "abcd1234");
        startFrom(FRIEND, "r_abcd1234");
        assertThat(h.stores.users().referrerOf(FRIEND)).isEmpty();
        assertThat(lastText(h.press(INVITER, "*|i"))).contains("no bonus for inviting");
    }

    /**
     * What a build before the debit's own audit line wrote for «/debit_user 77 5» of the friend: the debit, the
     * inviter's bonus taken back, and its line saying the friend was refunded.
     */
    private void anOldDebitOfTheFriendRecordedAsARefund() {
        h.stores.ledger().transfer("debit:upd:1", AccountId.wallet(FRIEND), AccountId.MANUAL_CLEARING, 500,
                TransferKind.DEBIT_MANUAL);
        h.stores.ledger().transfer(Referrals.reversalId(FRIEND), AccountId.wallet(INVITER),
                AccountId.PROMO_EXPENSE, 500, TransferKind.REFERRAL_REVERSAL);
        h.stores.audit().record(new dev.kiebot.core.audit.AuditEvent(h.clock.instant(),
                dev.kiebot.core.conversation.Actor.mask(INVITER), Referrals.REVERSED, AuditNote.REFERRAL_REVERSED
                .with(dev.kiebot.core.conversation.Actor.mask(FRIEND), 500), Optional.of(Referrals.reversalId(FRIEND))));
    }
}
