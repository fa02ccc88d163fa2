package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static dev.kiebot.core.testing.ShopHarness.lastTextTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.Invoice;
import dev.kiebot.core.payments.Payments;
import dev.kiebot.core.payments.StarsRefundResult;
import dev.kiebot.core.payments.UncreditedRefund;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ScriptedStarsRefunds;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An admin's Stars refund: hold, Telegram, post or void; once per charge, whoever else reports it. */
class StarsRefundFlowTest {
    private static final long U = 42;
    private static final long ADMIN_2 = 2;
    private static final String CHARGE = "stxChargeIdLongerThanSixtyFourBytesAsTelegramMakesThem_0123456789abcdef";
    /** A payment naming no invoice of this bot: Telegram took the Stars, the bot credited nothing. */
    private static final String TWICE = "stxPaymentNamingNoInvoiceOfThisBotAtAllSoNotCredited_0123456789abcdefghijk";
    private ShopHarness h;
    private String payload;

    @BeforeEach
    void setUp() {
        h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN, ADMIN_2))
                .withAdmission(AdmissionPolicy.off()));
        h.command(ShopHarness.ADMIN, "start");
        h.command(ADMIN_2, "start");
        h.command(U, "start");
        payload = h.paid50Stars(U, CHARGE); // 50 ⭐: 75 ₽
    }

    /** Whatever a test did with money, the ledger keeps its invariants. */
    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /** A payment naming no invoice of the bot: nothing is credited. @return what the user was told */
    private List<Reply> paidNoInvoice() {
        List<Reply> told = h.send(U, new Event.SuccessfulPayment(TWICE, "topup:never-issued", "XTR", 50));
        assertThat(h.balance(U)).as("nothing credited").isEqualTo(7_500);
        return told;
    }

    private static List<String> texts(List<Reply> replies) {
        // a confirmation's press answers in its message, edited
        return replies.stream().filter(r -> r instanceof Reply.SendText || r instanceof Reply.EditText)
                .map(r -> r instanceof Reply.SendText t ? t.text() : ((Reply.EditText) r).text()).toList();
    }

    private UncreditedRefund uncreditedRefund() {
        return h.stores.payments().uncredited(TWICE).orElseThrow().refund();
    }

    /** The short reference a list's button carries for a payment, credited or not. */
    private String reference(String chargeId) {
        return h.stores.payments().uncredited(chargeId).map(dev.kiebot.core.payments.UncreditedCharge::reference)
                .or(() -> h.stores.payments().charge(chargeId).map(dev.kiebot.core.payments.StarsCharge::reference))
                .orElseThrow();
    }

    /** The data of a list's Refund button for that payment. */
    private String buttonOf(List<Reply> list, String chargeId) {
        return ShopHarness.buttonWithData(list, ":" + reference(chargeId));
    }

    /** {@code /refund_stars} confirmed: a payment's confirmation pressed; a user's list as it is. */
    private List<Reply> refund(String arg) {
        return h.adminConfirmed("refund_stars", arg);
    }

    /**
     * What the admin who pressed Refund heard, the one message: when Telegram reports the refund while it is asked,
     * the report's notice to the admins, and the admin's own answer says nothing more.
     */
    private static String toAdminOnce(List<Reply> replies) {
        // the confirmation pressed is edited to say Telegram is asked, and the press answered: no message of its own
        List<Reply> told = replies.stream().filter(r -> r.chatId() == ShopHarness.ADMIN)
                .filter(Reply.SendText.class::isInstance).toList();
        assertThat(told).as("the admin hears it once").hasSize(1);
        return lastText(told);
    }

    private static String toUser(List<Reply> replies) {
        return lastText(replies.stream().filter(r -> r.chatId() == U).toList());
    }

    private long refunds() {
        return h.stores.ledger().transfers(AccountId.wallet(U)).stream()
                .filter(t -> t.kind() == TransferKind.STARS_REFUND && t.phase() != dev.kiebot.core.ledger.Phase.PENDING
                        && t.amount() > 0).count();
    }

    /** The audit trail's actions under the charge, in order: what /find tells of it. */
    private List<String> actions(String chargeId) {
        return h.stores.audit().byCorrelation(chargeId).stream().map(e -> e.action()).toList();
    }

    /** Telegram's report of {@link #CHARGE}'s refund, handled by another instance on {@code ledger}: what it sent. */
    private List<Reply> reportedThrough(Ledger ledger) {
        h.messenger.drain();
        h.anotherInstance(s -> s.withLedger(ledger)).storefront().serve(new Incoming(903, ShopHarness.actor(U, "en"),
                new Event.RefundedPayment(CHARGE, "topup:x", "XTR", 50)));
        h.deliver();
        return h.messenger.drain();
    }

    /**
     * The shop's ledger, with an admin's debit of 10 ₽ from the wallet landing before each of the first {@code debits}
     * tries of a reported refund, between its read of the balance and its transfer.
     */
    private Ledger debitedBeforeTries(int debits) {
        java.util.concurrent.atomic.AtomicInteger raced = new java.util.concurrent.atomic.AtomicInteger();
        return new ForwardingLedger(h.stores.ledger()) {
            @Override
            public LedgerResult transfer(String id, AccountId debit, AccountId credit, long amount, TransferKind kind) {
                if (id.startsWith("stars-refund:") && raced.get() < debits) {
                    assertThat(super.transfer("debit:admin:" + raced.incrementAndGet(), AccountId.wallet(U),
                            AccountId.MANUAL_CLEARING, 1_000, TransferKind.DEBIT_MANUAL).succeeded()).isTrue();
                }
                return super.transfer(id, debit, credit, amount, kind);
            }
        };
    }

    private void assertLedgerClean() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    @Test
    void aRefundHoldsAsksTelegramAndPostsOnce() {
        assertThat(h.balance(U)).isEqualTo(7_500);
        List<Reply> done = refund(CHARGE);
        assertThat(lastText(done)).contains("Refunded 50\u00A0⭐", "75\u00A0₽", "User" + U + " (id " + U + ")");
        assertThat(toUser(done)).contains("50\u00A0⭐ was refunded", "75\u00A0₽ was taken", "0\u00A0₽");
        assertThat(h.starsRefunds.calls()).containsExactly(new dev.kiebot.core.testing.ScriptedStarsRefunds.Call(U,
                CHARGE));
        assertThat(h.balance(U)).isZero();
        assertThat(h.stores.ledger().holdState(StarsRefundAttempts.holdId(CHARGE, 1))).contains(HoldState.POSTED);
        assertThat(lastText(refund(CHARGE))).contains("already refunded");
        assertThat(h.starsRefunds.calls()).hasSize(1);
        assertThat(refunds()).isEqualTo(1);
        assertLedgerClean();
    }

    @Test
    void aRefundIsRefusedWhenTheUnspentBalanceNoLongerCoversIt() {
        h.stores.ledger().transfer("spent", AccountId.wallet(U), AccountId.REVENUE, 100, TransferKind.GENERATION);
        assertThat(lastText(refund(CHARGE))).contains("Cannot refund", "74\u00A0₽", "75\u00A0₽");
        assertThat(h.starsRefunds.calls()).isEmpty();
        assertThat(h.balance(U)).isEqualTo(7_400);
        assertThat(actions(CHARGE)).contains("refund.stars_refused");
        assertLedgerClean();
    }

    @Test
    void aRefusalOfTelegramVoidsTheHoldAndTheNextAttemptMayRefund() {
        h.starsRefunds.thenAnswer(new StarsRefundResult.Failed("400 Bad Request: CHARGE_NOT_FOUND"));
        List<Reply> failed = refund(CHARGE);
        // Telegram's client's words quoted as such, not bare after the bot's own
        assertThat(lastText(failed)).contains("Telegram did not refund " + CHARGE + ": the call to Telegram failed "
                + "(400 Bad Request: CHARGE_NOT_FOUND).");
        assertThat(failed).noneMatch(r -> r.chatId() == U);
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(h.stores.ledger().holdState(StarsRefundAttempts.holdId(CHARGE, 1))).contains(HoldState.VOIDED);
        assertThat(actions(CHARGE)).contains("refund.stars_failed");
        assertThat(lastText(refund(CHARGE))).contains("Refunded 50\u00A0⭐");
        assertThat(h.stores.ledger().holdState(StarsRefundAttempts.holdId(CHARGE, 2))).contains(HoldState.POSTED);
        assertThat(h.balance(U)).isZero();
        assertThat(refunds()).isEqualTo(1);
        assertLedgerClean();
    }

    /**
     * The bot's token refused (revoked in @BotFather while the bot runs): the Russian admin reads that and what to do,
     * not «401 Unauthorized»; nothing moves, and the same press works once the bot runs with a new token.
     */
    @Test
    void aBotTokenTelegramRefusesIsToldInWordsAndMovesNoMoney() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        h.starsRefunds.thenAnswer(new StarsRefundResult.Failed("refundStarPayment: 401 Unauthorized", true));
        List<Reply> failed = refund(CHARGE);
        assertThat(lastText(failed)).contains("Telegram не вернул", "токен бота не принят", "@BotFather",
                "перезапустите бота", "повторите возврат — кнопкой «Вернуть» или командой /refund_stars",
                "Баланс не изменился").doesNotContain("401");
        assertThat(failed).noneMatch(r -> r.chatId() == U);
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(h.stores.ledger().holdState(StarsRefundAttempts.holdId(CHARGE, 1))).contains(HoldState.VOIDED);
        assertThat(refunds()).isZero();

        paidNoInvoice();
        h.starsRefunds.thenAnswer(new StarsRefundResult.Failed("refundStarPayment: 401 Unauthorized", true));
        List<Reply> uncredited = refund(TWICE);
        assertThat(lastText(uncredited)).contains("токен бота не принят", "@BotFather").doesNotContain("401");
        assertThat(uncreditedRefund()).isEqualTo(UncreditedRefund.OPEN);
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertLedgerClean();
    }

    @Test
    void chargeAlreadyRefundedCountsAsDone() {
        h.starsRefunds.thenAnswer(new StarsRefundResult.AlreadyRefunded());
        assertThat(lastText(refund(CHARGE))).contains("Refunded 50\u00A0⭐");
        assertThat(h.balance(U)).isZero();
        assertLedgerClean();
    }

    /** The harness pays at 10:00 UTC: the list says 13:00, the shop's (Moscow) time, as /find and statements do. */
    @Test
    void aPaymentIsListedAtTheShopsLocalTime() {
        String list = lastText(refund(Long.toString(U)));
        assertThat(list).contains("21.11.26 13:00 · 50\u00A0⭐").doesNotContain("10:00");
    }

    @Test
    void aUserIdListsThePaymentsWithRefundButtons() {
        h.paid50Stars(U, "second-charge");
        List<Reply> list = refund(Long.toString(U));
        assertThat(lastText(list)).contains("Stars payments of User" + U + " (id " + U + ")", CHARGE,
                "second-charge");
        List<Reply> done = h.adminPressConfirmed(button(list, "Refund 50\u00A0⭐"));
        assertThat(lastText(done)).contains("Refunded 50\u00A0⭐");
        assertThat(h.balance(U)).isEqualTo(7_500);
        List<Reply> after = refund(Long.toString(U));
        assertThat(lastText(after)).contains("(refunded)");
        Reply.SendText listed = (Reply.SendText) after.get(after.size() - 1);
        assertThat(listed.keyboard().buttons()).hasSize(1);
        assertThat(h.press(U, listed.keyboard().buttons().get(0).data().orElseThrow()))
                .as("a user pressing an admin's refund button").allSatisfy(r -> assertThat(r.chatId()).isEqualTo(U));
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(lastText(refund("nobody"))).contains("No Stars payment and no user match");
        assertLedgerClean();
    }

    /** Each Refund button of the list names its own payment: a user's other payment is not the one refunded. */
    @Test
    void eachRefundButtonRefundsThePaymentItIsShownFor() {
        h.paid50Stars(U, "second-charge");
        List<Reply> list = refund(Long.toString(U));
        Reply.SendText listed = (Reply.SendText) list.get(list.size() - 1);
        assertThat(listed.keyboard().buttons()).hasSize(2);

        for (var b : listed.keyboard().buttons()) {
            assertThat(lastText(h.adminPressConfirmed(b.data().orElseThrow()))).contains("Refunded 50\u00A0⭐");
        }

        assertThat(h.starsRefunds.calls()).extracting(ScriptedStarsRefunds.Call::chargeId)
                .containsExactlyInAnyOrder(CHARGE, "second-charge");
        assertThat(h.balance(U)).isZero();
        assertLedgerClean();
    }

    @Test
    void theRefundTelegramReportsAfterAnAdminsRefundTakesNothingMore() {
        refund(CHARGE);
        List<Reply> reported = h.send(U, new Event.RefundedPayment(CHARGE, "topup:x", "XTR", 50));
        assertThat(reported).isEmpty();
        assertThat(h.balance(U)).isZero();
        assertThat(refunds()).isEqualTo(1);
        assertThat(actions(CHARGE)).endsWith("refund.stars", "refund.stars_reported");
        assertLedgerClean();
    }

    @Test
    void aRefundReportedWhileTelegramIsAskedPostsTheHoldOnce() {
        h.starsRefunds.whileAsked(() -> h.handle(U, new Event.RefundedPayment(CHARGE, "topup:x", "XTR", 50)));
        assertThat(toAdminOnce(refund(CHARGE))).contains("Refunded 50\u00A0⭐");
        assertThat(h.balance(U)).isZero();
        assertThat(refunds()).isEqualTo(1);
        assertLedgerClean();
    }

    /**
     * The report posts the admin's hold, which holds the charge's amount: that is the whole refund, however much more
     * the wallet has, and it is what the user is told was taken.
     */
    @Test
    void aRefundReportedWhileTelegramIsAskedTakesOnlyTheHeldAmountFromARicherWallet() {
        h.topUp(U, 7_500);
        h.starsRefunds.whileAsked(() -> h.handle(U, new Event.RefundedPayment(CHARGE, "topup:x", "XTR", 50)));
        List<Reply> told = refund(CHARGE);
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(refunds()).isEqualTo(1);
        assertThat(toUser(told)).contains("75\u00A0₽ was taken", "now 75\u00A0₽");
    }

    @Test
    void aReportedRefundWinsOverATelegramErrorThatCameTooLate() {
        h.starsRefunds.thenAnswer(new StarsRefundResult.Failed("timeout"))
                .whileAsked(() -> h.handle(U, new Event.RefundedPayment(CHARGE, "topup:x", "XTR", 50)));
        assertThat(toAdminOnce(refund(CHARGE))).contains("Refunded 50\u00A0⭐");
        assertThat(h.balance(U)).isZero();
        assertThat(refunds()).isEqualTo(1);
        assertLedgerClean();
    }

    /**
     * Telegram gave the Stars back, but answered after the hold had expired (the money back on the wallet): the admin
     * reads that the Stars are back and that Telegram's report takes the money, in the admin's language, and the
     * report then does, once. It read «Telegram did not refund … the hold expired», which sent the admin to ask again
     * for a refund that was done.
     */
    @Test
    void aHoldThatExpiredWhileTelegramRefundedIsToldAsDoneAndTheReportTakesTheMoney() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        h.starsRefunds.whileAsked(() -> {
            h.clock.advance(StarsRefundDesk.HOLD_FOR.plusMinutes(1));
            h.stores.ledger().expire(h.clock.instant(), 10);
        });
        List<Reply> lost = refund(CHARGE);
        assertThat(lastText(lost)).isEqualTo("✅ Telegram вернул 50\u00A0⭐ по платежу " + CHARGE + ", но резерв на "
                + "балансе истёк раньше его ответа, и 75\u00A0₽ пока на балансе пользователя " + U + ". Сообщение "
                + "Telegram о возврате спишет эту сумму (сколько к тому времени останется), и пользователь узнает об "
                + "этом.");
        assertThat(lost).noneMatch(r -> r.chatId() == U);
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertLedgerClean();

        assertThat(toUser(h.send(U, new Event.RefundedPayment(CHARGE, "topup:x", "XTR", 50))))
                .contains("75\u00A0₽ was taken");
        assertThat(h.balance(U)).isZero();
        assertThat(refunds()).isEqualTo(1);
        assertLedgerClean();
    }

    /**
     * Telegram answered more than {@link StarsRefundDesk#ASK_MARGIN} late: the sweeper expired the hold meanwhile and
     * told every admin the refund was cut off and the money is back on the balance. The late answer, finding the hold
     * lost, tells nobody again (before, the admin who asked heard it a second time, as «Telegram did not refund»).
     */
    @Test
    void aHoldTheSweeperExpiredWhileTelegramWasAskedIsToldToEachAdminOnce() {
        h.starsRefunds.whileAsked(() -> {
            h.clock.advance(StarsRefundDesk.HOLD_FOR.plusMinutes(1));
            h.shop.worker().sweepExpiredHolds(10);
        });
        List<Reply> told = refund(CHARGE);
        for (long admin : List.of(ShopHarness.ADMIN, ADMIN_2)) {
            assertThat(told.stream().filter(r -> r.chatId() == admin).filter(Reply.SendText.class::isInstance)
                    .toList()).as("told once").singleElement()
                    .extracting(r -> ((Reply.SendText) r).text()).asString()
                    .contains("The refund of 50\u00A0⭐ for payment " + CHARGE + " was cut off");
        }
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(h.stores.audit().byCorrelation(CHARGE)).filteredOn(e -> e.action().equals("refund.stars_hold_lost"))
                .hasSize(1);
        assertLedgerClean();
    }

    /**
     * The admin's press on an instance killed right after the press committed: its hold is placed, and nobody asks
     * Telegram or records Telegram's answer (a refunds executor that never runs the call).
     */
    private void refundOnAnInstanceKilledAfterTheCommit() {
        Shop killed = h.anotherInstance(UnaryOperator.identity(), b -> b.refundCalls(call -> { }));
        killed.storefront().serve(refundBy(ShopHarness.ADMIN, 901));
        assertThat(h.balance(U)).as("the charge's amount held").isZero();
    }

    /**
     * Telegram gave the Stars back, but the bot was killed before its answer was recorded and came back after the
     * hold's deadline had given the money back: Telegram's report takes it then, once, and the user is told.
     */
    @Test
    void aRefundCutOffByAKillAndReportedAfterItsHoldExpiredIsTakenOnce() {
        refundOnAnInstanceKilledAfterTheCommit();
        h.clock.advance(StarsRefundDesk.HOLD_FOR.plusMinutes(1));
        h.shop.worker().sweepExpiredHolds(10);
        assertThat(h.balance(U)).as("the hold's deadline gave it back").isEqualTo(7_500);

        assertThat(toUser(h.send(U, new Event.RefundedPayment(CHARGE, "topup:x", "XTR", 50))))
                .contains("75\u00A0₽ was taken");
        assertThat(h.balance(U)).isZero();
        assertThat(refunds()).isEqualTo(1);
        assertThat(lastText(refund(CHARGE))).contains("already refunded");
        assertThat(h.starsRefunds.calls()).isEmpty();
    }

    /**
     * Killed while Telegram was asked: Telegram gave the Stars back, and its report, after the restart and within the
     * hold's time, posts the hold and tells the user. The admin's answer went with the settling that never ran, so
     * the admin who asked heard nothing and believed the refund under way. The admins are told now, once, also when
     * Telegram reports it again.
     */
    @Test
    void aRefundCutOffByAKillAndReportedWithinItsHoldIsToldToTheAdminsOnce() {
        refundOnAnInstanceKilledAfterTheCommit();
        h.deliver();
        h.messenger.drain();
        h.stores.users().setLanguage(ADMIN_2, "ru");

        List<Reply> told = h.send(U, new Event.RefundedPayment(CHARGE, "topup:x", "XTR", 50));
        assertThat(toUser(told)).contains("75\u00A0₽ was taken");
        assertThat(told.stream().filter(r -> r.chatId() == ShopHarness.ADMIN).toList()).singleElement()
                .extracting(r -> ((Reply.SendText) r).text()).asString()
                .contains("Refunded 50\u00A0⭐ for payment " + CHARGE, "75\u00A0₽ taken", "User" + U + " (id " + U + ")");
        assertThat(told.stream().filter(r -> r.chatId() == ADMIN_2).toList()).singleElement()
                .extracting(r -> ((Reply.SendText) r).text()).asString()
                .contains("Возвращено 50\u00A0⭐ по платежу " + CHARGE);
        assertThat(h.send(U, new Event.RefundedPayment(CHARGE, "topup:x", "XTR", 50)))
                .as("reported again: nothing taken, nobody told").isEmpty();
        assertThat(h.balance(U)).isZero();
        assertThat(refunds()).isEqualTo(1);
        assertThat(lastText(refund(CHARGE))).contains("already refunded");
        assertThat(h.stores.audit().byCorrelation(CHARGE)).filteredOn(e -> e.action().equals(TopUps.REPORTED_TOLD))
                .hasSize(1);
    }

    /**
     * Killed after the hold committed: the admin's answer went with the settling that never ran, and the hold's
     * deadline gave the money back in silence, the admin believing the refund under way. The sweeper now tells the
     * admins which charge, that the money is back on the balance and that asking again is safe, once.
     */
    @Test
    void aRefundCutOffByAKillIsToldToTheAdminsOnceWhenItsHoldExpires() {
        refundOnAnInstanceKilledAfterTheCommit();
        h.deliver();
        h.messenger.drain();
        h.clock.advance(StarsRefundDesk.HOLD_FOR.plusMinutes(1));

        h.shop.worker().sweepExpiredHolds(10);
        h.shop.worker().sweepExpiredHolds(10);
        h.deliver();

        List<Reply> told = h.messenger.drain();
        for (long admin : List.of(ShopHarness.ADMIN, ADMIN_2)) {
            assertThat(told.stream().filter(r -> r.chatId() == admin).toList()).singleElement()
                    .extracting(r -> ((Reply.SendText) r).text()).asString()
                    .contains("The refund of 50\u00A0⭐ for payment " + CHARGE + " was cut off", "75\u00A0₽ is back",
                            "/refund_stars " + CHARGE);
        }
        assertThat(told).noneMatch(r -> r.chatId() == U);
        assertThat(h.stores.audit().byCorrelation(CHARGE)).filteredOn(e -> e.action().equals("refund.stars_hold_lost"))
                .hasSize(1);
    }

    /**
     * Killed before Telegram was asked: the refund reads as under way while the hold lasts, and once its deadline gave
     * the money back an admin's new attempt refunds it, once.
     */
    @Test
    void aRefundCutOffByAKillBeforeTelegramWasAskedMayBeAskedAgainOnceItsHoldExpired() {
        refundOnAnInstanceKilledAfterTheCommit();
        assertThat(lastText(refund(CHARGE))).contains("under way");
        h.clock.advance(StarsRefundDesk.HOLD_FOR.plusMinutes(1));
        h.shop.worker().sweepExpiredHolds(10);
        assertThat(h.balance(U)).isEqualTo(7_500);

        assertThat(lastText(refund(CHARGE))).contains("Refunded 50\u00A0⭐");
        assertThat(h.starsRefunds.calls()).hasSize(1);
        assertThat(h.balance(U)).isZero();
        assertThat(refunds()).isEqualTo(1);
        assertThat(h.stores.ledger().holdState(StarsRefundAttempts.holdId(CHARGE, 2))).contains(HoldState.POSTED);
    }

    /**
     * A second bot instance whose ledger lets {@code first} run just before the first Stars refund hold it places:
     * two admins pressing Refund at once, both having read the charge as not refunded yet.
     */
    private Shop secondInstance(Runnable first) {
        AtomicBoolean ran = new AtomicBoolean();
        Ledger real = h.stores.ledger();
        Ledger racing = new ForwardingLedger(real) {
            @Override
            public LedgerResult hold(String id, AccountId debit, AccountId credit, long amount, TransferKind kind,
                                     Instant timeoutAt) {
                if (id.startsWith("stars-refund:") && ran.compareAndSet(false, true)) {
                    first.run();
                }
                return super.hold(id, debit, credit, amount, kind, timeoutAt);
            }
        };
        return h.anotherInstance(s -> s.withLedger(racing));
    }

    /** Each admin's press of his {@code /refund_stars}'s «Вернуть», by its update id, once its confirmation is shown. */
    private final java.util.Map<Long, Incoming> presses = new java.util.HashMap<>();

    /** The press of «Вернуть» under {@code admin}'s {@code /refund_stars} of {@link #CHARGE}, as update {@code updateId}. */
    private Incoming refundBy(long admin, long updateId) {
        return presses.computeIfAbsent(updateId, id -> confirmed(admin, id, CHARGE));
    }

    /**
     * {@code /refund_stars arg} of {@code admin} shown on this instance (moving nothing; its confirmation kept in his
     * chat, which every instance reads), and its «Вернуть» as update {@code updateId}, for an instance to serve.
     */
    private Incoming confirmed(long admin, long updateId, String arg) {
        h.messenger.drain();
        h.shop.storefront().serve(new Incoming(updateId + 10_000, ShopHarness.actor(admin, "en"),
                new Event.Command("refund_stars", arg)));
        h.deliver();
        List<Reply> asked = h.messenger.drain();
        String move = ShopHarness.moneyButton(asked).orElseThrow(() -> new AssertionError("no confirmation in " + asked));
        return new Incoming(updateId, ShopHarness.actor(admin, "en"), new Event.Callback("q" + updateId, move,
                java.util.Optional.of(1L)));
    }

    /** The second admin's press on the second instance, the first admin's run by {@code first}: what each was told. */
    private List<Reply> bothPress(Runnable first) {
        refundBy(ShopHarness.ADMIN, 901); // shown before the race: only the presses race
        Incoming second = refundBy(ADMIN_2, 902);
        h.messenger.drain();
        secondInstance(first).storefront().serve(second);
        h.deliver();
        return h.messenger.drain();
    }

    /** The first admin's press, on its own thread: it commits and hears Telegram's answer before it returns. */
    private void firstAdminDoneMeanwhile() {
        Thread first = new Thread(() -> h.shop.storefront().serve(refundBy(ShopHarness.ADMIN, 901)));
        first.start();
        try {
            first.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Before, the second admin was told every attempt was used up. */
    @Test
    void aSecondAdminPressingRefundAtTheSameMomentIsToldTheRefundIsUnderWay() {
        List<Reply> told = bothPress(() -> {
            // the first admin's hold commits a second later; Telegram is asked once it has (here: after the second's)
            h.clock.advance(Duration.ofSeconds(1));
            h.shop.storefront().handle(refundBy(ShopHarness.ADMIN, 901)); // joins the second's transaction
        });
        assertThat(lastTextTo(told, ADMIN_2)).isEqualTo("A refund of " + CHARGE + " is under way.");
        assertThat(lastTextTo(told, ShopHarness.ADMIN)).contains("Refunded 50\u00A0⭐");
        assertThat(h.starsRefunds.calls()).hasSize(1);
        assertThat(h.balance(U)).isZero();
        assertThat(refunds()).isEqualTo(1);
    }

    @Test
    void aSecondAdminPressingRefundAtTheSameMomentIsToldItIsAlreadyRefunded() {
        // the first admin's whole refund at the same instant: its hold is the very request the second one makes
        List<Reply> told = bothPress(this::firstAdminDoneMeanwhile);
        assertThat(lastTextTo(told, ADMIN_2)).isEqualTo("The payment " + CHARGE + " is already refunded.");
        assertThat(lastTextTo(told, ShopHarness.ADMIN)).contains("Refunded 50\u00A0⭐");
        assertThat(h.starsRefunds.calls()).hasSize(1);
        assertThat(h.balance(U)).isZero();
        assertThat(refunds()).isEqualTo(1);
    }

    @Test
    void aSecondAdminPressingRefundAtTheSameMomentTriesAgainWhenTelegramRefusedTheFirst() {
        h.starsRefunds.thenAnswer(new StarsRefundResult.Failed("400 Bad Request: REFUND_FAILED"));
        List<Reply> told = bothPress(() -> {
            h.clock.advance(Duration.ofSeconds(1));
            firstAdminDoneMeanwhile();
        });
        assertThat(lastTextTo(told, ShopHarness.ADMIN)).contains("Telegram did not refund", "REFUND_FAILED");
        assertThat(lastTextTo(told, ADMIN_2)).contains("Refunded 50\u00A0⭐");
        assertThat(h.stores.ledger().holdState(StarsRefundAttempts.holdId(CHARGE, 1))).contains(HoldState.VOIDED);
        assertThat(h.stores.ledger().holdState(StarsRefundAttempts.holdId(CHARGE, 2))).contains(HoldState.POSTED);
        assertThat(h.starsRefunds.calls()).hasSize(2);
        assertThat(h.balance(U)).isZero();
        assertThat(refunds()).isEqualTo(1);
    }

    /**
     * The user spends between the admin's balance check and the hold: the ledger refuses that attempt's hold for
     * want of money, and keeps its number failed for good. Asked again with a later deadline, the ledger answers
     * "exists with different fields", not "already failed": before, that number was taken for the one open, and
     * every later press was told a refund was under way, with none ever possible.
     */
    @Test
    void anAttemptRefusedForWantOfMoneyInARaceDoesNotBlockTheRefundForGood() {
        List<Reply> refused = bothPress(() -> h.stores.ledger().transfer("spent", AccountId.wallet(U),
                AccountId.REVENUE, 100, TransferKind.GENERATION));
        assertThat(lastTextTo(refused, ADMIN_2)).contains("Cannot refund", "74\u00A0₽", "75\u00A0₽");
        h.stores.ledger().transfer("given back", AccountId.REVENUE, AccountId.wallet(U), 100, TransferKind.REFUND);
        h.clock.advance(Duration.ofMinutes(1));

        assertThat(lastText(refund(CHARGE))).contains("Refunded 50\u00A0⭐");
        assertThat(h.starsRefunds.calls()).hasSize(1);
        assertThat(h.balance(U)).isZero();
        assertThat(lastText(refund(CHARGE))).contains("already refunded");
        assertThat(h.send(U, new Event.RefundedPayment(CHARGE, "topup:x", "XTR", 50)))
                .as("Telegram's report of that refund takes nothing more").isEmpty();
        assertThat(h.balance(U)).isZero();
        assertThat(refunds()).isEqualTo(1);
    }

    @Test
    void aRefundTelegramReportsByItselfIsTakenOnceAndBlocksAnAdminsRefund() {
        assertThat(toUser(h.send(U, new Event.RefundedPayment(CHARGE, "topup:x", "XTR", 50)))).contains("75\u00A0₽");
        assertThat(h.balance(U)).isZero();
        assertThat(h.stores.audit().byCorrelation(CHARGE)).filteredOn(e -> e.action().equals("refund.stars"))
                .singleElement().satisfies(e -> assertThat(e.detail()).contains("7500"));
        assertThat(lastText(refund(CHARGE))).contains("already refunded");
        assertThat(h.starsRefunds.calls()).isEmpty();
        assertLedgerClean();
    }

    /**
     * Another debit of the wallet (here an admin's /debit_user from his own chat) lands between the reported refund's
     * read of the balance and its transfer: the ledger refuses that transfer, and a refused id stays refused. Before,
     * that was recorded as "0 taken" and what the wallet still held stayed there, the shop's loss; now the next try
     * reads again and takes what is left.
     */
    @Test
    void aReportedRefundThatADebitOvertakesStillTakesWhatIsLeft() {
        assertThat(toUser(reportedThrough(debitedBeforeTries(1)))).contains("65\u00A0₽");
        assertThat(h.balance(U)).isZero();
        assertThat(h.stores.ledger().transfers(AccountId.wallet(U)))
                .filteredOn(t -> t.kind() == TransferKind.STARS_REFUND)
                .singleElement().satisfies(t -> assertThat(t.amount()).isEqualTo(6_500));
        assertThat(lastText(refund(CHARGE))).contains("already refunded");
        assertThat(h.starsRefunds.calls()).isEmpty();
        assertThat(lastText(h.command(U, "payments"))).as("the statement names the charge, not the try")
                .contains("−65\u00A0₽ · Stars refunded · " + CHARGE.substring(0, 20)).doesNotContain("~");
    }

    /**
     * A payment that credited nothing: before, the bot could not give its Stars back (/refund_stars answered "unknown
     * charge"). Telegram alone is asked; the wallet is not touched.
     */
    @Test
    void aPaymentNotCreditedIsRefundedByTelegramAloneAndOnce() {
        assertThat(toUser(paidNoInvoice())).contains("/paysupport");
        List<Reply> done = refund(TWICE);
        assertThat(lastText(done)).contains("Refunded 50\u00A0⭐ to " + "User" + U + " (id " + U + ")", "not credited", "balance did not change");
        assertThat(toUser(done)).contains("50\u00A0⭐", "not credited", "balance did not change");
        assertThat(h.starsRefunds.calls()).containsExactly(new ScriptedStarsRefunds.Call(U, TWICE));
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(refunds()).as("no money moved").isZero();
        assertThat(h.stores.ledger().holdState(StarsRefundAttempts.holdId(TWICE, 1))).isEmpty();
        assertThat(uncreditedRefund()).isEqualTo(UncreditedRefund.REFUNDED);
        List<Reply> again = refund(TWICE);
        assertThat(lastText(again)).contains("already refunded");
        assertThat(again).noneMatch(r -> r.chatId() == U);
        assertThat(h.starsRefunds.calls()).hasSize(1);
        assertThat(h.stores.audit().recent(50)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("refund.stars_uncredited");
            assertThat(e.correlationId()).contains(TWICE);
        });
        assertThat(h.send(U, new Event.RefundedPayment(TWICE, payload, "XTR", 50)))
                .as("Telegram's report after the admin's refund: told already, nothing taken").isEmpty();
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertLedgerClean();
    }

    @Test
    void findShowsAnUncreditedPaymentWithWhyAndWhatFollowedAndTheUserShowsItToo() {
        paidNoInvoice();
        refund(TWICE);
        String found = lastText(h.admin("find", TWICE));
        assertThat(found).contains("not credited: the payment names an invoice the bot never issued",
                "payment not credited — the payment names", "Stars refunded for a payment not credited")
                .doesNotContain("no invoice with this payload");
        String user = lastText(h.admin("find", Long.toString(U)));
        assertThat(user).contains(TWICE, "not credited");
    }

    /** /find's history lines, one a line. */
    private static List<String> historyLines(String found) {
        return found.substring(found.indexOf("История:")).lines().skip(1).toList();
    }

    /**
     * A Russian admin read «пополнение звёздами — 50 XTR -> 7500», «звёзды возвращены — refunded 50 XTR, debited 7500
     * (Refunded[])» and «звёзды возвращены за незачисленный платёж — refunded 50 XTR; nothing was credited, nothing
     * debited (Refunded[])» in /find's history. What the payments and refunds noted reads in words.
     */
    @Test
    void findSaysAPaymentsAndItsRefundsNotesInTheAdminsLanguage() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        paidNoInvoice();
        refund(CHARGE);
        refund(TWICE);
        List<String> credited = historyLines(lastText(h.admin("find", CHARGE)));
        List<String> uncredited = historyLines(lastText(h.admin("find", TWICE)));
        assertThat(String.join("\n", credited)).contains(
                " · пополнение звёздами — оплачено 50\u00A0⭐, на баланс зачислено 75\u00A0₽",
                " · звёзды возвращены — возвращено 50\u00A0⭐, с баланса списано 75\u00A0₽; Telegram вернул звёзды");
        assertThat(String.join("\n", uncredited)).contains(" · звёзды возвращены за незачисленный платёж — возвращено"
                + " 50\u00A0⭐; платёж не был зачислен, с баланса ничего не списано; Telegram вернул звёзды");
        for (String line : java.util.stream.Stream.concat(credited.stream(), uncredited.stream()).toList()) {
            assertThat(line.replaceAll("Telegram|User\\d+", "")).as(line).doesNotContainPattern("[a-z]{3,}");
        }
    }

    /**
     * Every other note of a Stars payment's refund, as it was recorded all along, reads in words; Telegram's own error
     * is shown as Telegram's.
     */
    @Test
    void findReadsEveryRefundNoteRecordedBeforeInWords() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        paidNoInvoice();
        h.recordAudit("admin:***1", CHARGE, List.of(
                new String[] {"refund.stars", "debited 5000 of 7500"},
                new String[] {"refund.stars_reported", "taken by an admin's refund: 7500"},
                new String[] {"refund.stars_reported", "taken by the refund Telegram reported; the hold is given back"},
                new String[] {"refund.stars_reported", "Telegram reported the refund before it was asked"},
                new String[] {"refund.stars_refused", "balance 100 < 7500"},
                new String[] {"refund.stars_not_asked", "the hold would not outlast Telegram's answer"},
                new String[] {"refund.stars_failed", "CHARGE_NOT_FOUND"},
                new String[] {"refund.stars_hold_lost", "Failed[reason=TIMEOUT]"},
                new String[] {"refund.stars_hold_lost", "AlreadyRefunded[]"}));
        for (String[] recorded : List.of(
                new String[] {"refund.stars_reported", "refunded by an admin's request; nothing was credited"},
                new String[] {"refund.stars_not_asked", "the request waited too long to go out; nothing was credited"},
                new String[] {"refund.stars_failed", "CHARGE_NOT_FOUND; nothing was credited"},
                new String[] {"refund.stars_uncredited", "50 XTR given back by Telegram; nothing was credited, nothing"
                        + " debited"},
                new String[] {"refund.stars_uncredited", "refunded 50 XTR; nothing was credited, nothing debited"
                        + " (reported by Telegram; its answer: TIMEOUT)"},
                new String[] {"refund.stars_unknown", "50 XTR, no such charge of this user"})) {
            h.stores.audit().record(new dev.kiebot.core.audit.AuditEvent(h.clock.instant(), "***42", recorded[0],
                    recorded[1],
                    java.util.Optional.of(recorded[0].equals("refund.stars_unknown") ? "pay:" + TWICE : TWICE)));
        }
        List<String> credited = historyLines(lastText(h.admin("find", CHARGE)));
        List<String> uncredited = historyLines(lastText(h.admin("find", TWICE)));
        assertThat(String.join("\n", credited)).contains("с баланса списано 50\u00A0₽ из зачисленных 75\u00A0₽",
                "деньги уже списаны по возврату администратора: 75\u00A0₽",
                "на балансе 1\u00A0₽, а этим платежом зачислено 75\u00A0₽", "ответ Telegram: CHARGE_NOT_FOUND",
                "— звёзды были возвращены раньше");
        assertThat(String.join("\n", uncredited)).contains("ответ Telegram: CHARGE_NOT_FOUND; платёж не был зачислен",
                "Telegram сообщил о возврате, хотя на запрос ответил: TIMEOUT",
                "— 50\u00A0⭐; такого платежа у пользователя нет");
        for (String line : java.util.stream.Stream.concat(credited.stream(), uncredited.stream()).toList()) {
            assertThat(line.replaceAll("Telegram|User\\d+", "")).as(line).doesNotContainPattern("[a-z]{3,}")
                    .doesNotContain("запись бота");
        }
    }

    /**
     * A payment whose number was credited before for another invoice was told «this payment did not match any invoice
     * the bot issued»: the user reads that it was paid already, and where to have its Stars back; a payment the ledger
     * refused reads as one the bot failed to credit.
     */
    @Test
    void aChargeNumberPaidBeforeIsToldAsThatNotAsMatchingNoInvoice() {
        String told = toUser(h.send(U, new Event.SuccessfulPayment(CHARGE, h.invoiceFor50Stars(U), "XTR", 50)));
        assertThat(told).contains("This invoice was paid already", "/paysupport", CHARGE)
                .doesNotContain("does not belong to any invoice");
        h.stores.users().setLanguage(U, "ru");
        h.paid50Stars(U, "second-charge");
        String toldRu = toUser(h.send(U, new Event.SuccessfulPayment("second-charge", h.invoiceFor50Stars(U), "XTR",
                50)));
        assertThat(toldRu).contains("Этот счёт на оплату уже оплачен", "/paysupport", "second-charge")
                .doesNotContain("не относится ни к одному счёту на оплату");
        h.stores.payments().saveInvoice(new Invoice("topup:too-much-2", U, 50, Ledger.MAX_AMOUNT + 1,
                h.clock.instant()));
        String refused = toUser(h.send(U, new Event.SuccessfulPayment("refused-2", "topup:too-much-2", "XTR", 50)));
        assertThat(refused).contains("не зачислен", "refused-2").doesNotContain("не относится ни к одному счёту на оплату");
    }

    @Test
    void aSecondAdminWhileTelegramIsAskedDoesNotAskAgain() {
        paidNoInvoice();
        Incoming second = confirmed(ADMIN_2, 905, TWICE);
        h.starsRefunds.whileAsked(() -> {
            h.shop.storefront().serve(second);
            h.deliver();
        });
        List<Reply> both = refund(TWICE);
        assertThat(h.starsRefunds.calls()).hasSize(1);
        assertThat(texts(both)).anySatisfy(t -> assertThat(t).contains("A refund of " + TWICE + " is under way"))
                .anySatisfy(t -> assertThat(t).contains("Refunded 50\u00A0⭐"));
        assertThat(uncreditedRefund()).isEqualTo(UncreditedRefund.REFUNDED);
        assertThat(h.balance(U)).isEqualTo(7_500);
    }

    @Test
    void aRefusedRefundOfAnUncreditedPaymentMayBeAskedAgain() {
        paidNoInvoice();
        h.starsRefunds.thenAnswer(new StarsRefundResult.Failed("400 Bad Request: CHARGE_NOT_FOUND"));
        List<Reply> failed = refund(TWICE);
        assertThat(lastText(failed)).contains("Telegram did not refund", "CHARGE_NOT_FOUND");
        assertThat(failed).noneMatch(r -> r.chatId() == U);
        assertThat(uncreditedRefund()).isEqualTo(UncreditedRefund.OPEN);
        assertThat(actions(TWICE)).contains("refund.stars_failed");
        assertThat(lastText(refund(TWICE))).contains("Refunded 50\u00A0⭐");
        assertThat(h.starsRefunds.calls()).hasSize(2);
        assertThat(uncreditedRefund()).isEqualTo(UncreditedRefund.REFUNDED);
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertLedgerClean();
    }

    @Test
    void chargeAlreadyRefundedCountsAsDoneForAnUncreditedPayment() {
        paidNoInvoice();
        h.starsRefunds.thenAnswer(new StarsRefundResult.AlreadyRefunded());
        assertThat(lastText(refund(TWICE))).contains("Refunded 50\u00A0⭐");
        assertThat(uncreditedRefund()).isEqualTo(UncreditedRefund.REFUNDED);
        assertThat(h.balance(U)).isEqualTo(7_500);
    }

    @Test
    void aUserIdListsTheUncreditedPaymentWithARefundButtonThatWorks() {
        paidNoInvoice();
        List<Reply> list = refund(Long.toString(U));
        assertThat(lastText(list)).contains(CHARGE, "not credited · " + TWICE);
        List<Reply> done = h.adminPressConfirmed(buttonOf(list, TWICE));
        assertThat(lastText(done)).contains("Refunded 50\u00A0⭐ to " + "User" + U + " (id " + U + ")", "not credited");
        assertThat(h.starsRefunds.calls()).containsExactly(new ScriptedStarsRefunds.Call(U, TWICE));
        assertThat(h.balance(U)).isEqualTo(7_500);
        List<Reply> after = refund(Long.toString(U));
        assertThat(lastText(after)).contains(TWICE + " (refunded)");
        Reply.SendText listed = (Reply.SendText) after.get(after.size() - 1);
        assertThat(listed.keyboard().buttons()).singleElement()
                .satisfies(b -> assertThat(b.data().orElseThrow()).doesNotContain(reference(TWICE)));
        assertThat(lastText(h.press(ShopHarness.ADMIN, buttonOf(list, TWICE)))).contains("already refunded");
        assertThat(h.starsRefunds.calls()).hasSize(1);
        assertLedgerClean();
    }

    @Test
    void theRefundTelegramReportsForAnUncreditedPaymentTakesNothing() {
        paidNoInvoice();
        List<Reply> reported = h.send(U, new Event.RefundedPayment(TWICE, payload, "XTR", 50));
        assertThat(toUser(reported)).contains("50\u00A0⭐", "balance did not change");
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(refunds()).isZero();
        assertThat(uncreditedRefund()).isEqualTo(UncreditedRefund.REFUNDED);
        assertThat(actions(TWICE)).contains("refund.stars_uncredited");
        assertThat(lastText(refund(TWICE))).contains("already refunded");
        assertThat(h.starsRefunds.calls()).isEmpty();
        assertThat(toUser(h.send(U, new Event.RefundedPayment(TWICE, payload, "XTR", 50)))).as("re-delivered")
                .contains("balance did not change");
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(refunds()).isZero();
        assertLedgerClean();
    }

    @Test
    void aRefundReportedWhileTelegramIsAskedTellsTheUserOnceAndTakesNothing() {
        paidNoInvoice();
        h.starsRefunds.thenAnswer(new StarsRefundResult.Failed("timeout"))
                .whileAsked(() -> h.handle(U, new Event.RefundedPayment(TWICE, payload, "XTR", 50)));
        List<Reply> both = refund(TWICE);
        assertThat(toAdminOnce(both)).contains("Refunded 50\u00A0⭐");
        assertThat(both).filteredOn(r -> r.chatId() == U).as("told once").hasSize(1);
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(uncreditedRefund()).isEqualTo(UncreditedRefund.REFUNDED);
        assertLedgerClean();
    }

    /**
     * The same for a payment that credited nothing: the admin's attempt claimed it, the instance was killed while
     * Telegram was asked, and Telegram's report marks it refunded and tells the user. The admins are told, once.
     */
    @Test
    void aRefundOfAnUncreditedPaymentCutOffByAKillAndReportedIsToldToTheAdminsOnce() {
        paidNoInvoice();
        Shop killed = h.anotherInstance(UnaryOperator.identity(), b -> b.refundCalls(call -> { }));
        killed.storefront().serve(confirmed(ShopHarness.ADMIN, 903, TWICE));
        h.deliver();
        h.messenger.drain();
        assertThat(uncreditedRefund()).isEqualTo(UncreditedRefund.REFUNDING);

        List<Reply> told = h.send(U, new Event.RefundedPayment(TWICE, payload, "XTR", 50));
        assertThat(told).filteredOn(r -> r.chatId() == U).as("the user told once").hasSize(1);
        for (long admin : List.of(ShopHarness.ADMIN, ADMIN_2)) {
            assertThat(told.stream().filter(r -> r.chatId() == admin).toList()).singleElement()
                    .extracting(r -> ((Reply.SendText) r).text()).asString()
                    .contains("Refunded 50\u00A0⭐ for payment " + TWICE + " to User" + U + " (id " + U + ")",
                            "did not change");
        }
        assertThat(h.send(U, new Event.RefundedPayment(TWICE, payload, "XTR", 50)))
                .filteredOn(r -> r.chatId() != U).as("reported again: no admin told again").isEmpty();
        assertThat(uncreditedRefund()).isEqualTo(UncreditedRefund.REFUNDED);
        assertThat(h.balance(U)).isEqualTo(7_500);
    }

    /** A charge is recorded before the ledger credits it: refused by the ledger, it is still one to refund alone. */
    @Test
    void aPaymentTheLedgerRefusedIsRefundedWithoutTouchingTheWallet() {
        h.stores.payments().saveInvoice(new Invoice("topup:too-much", U, 50, Ledger.MAX_AMOUNT + 1,
                h.clock.instant()));
        h.send(U, new Event.SuccessfulPayment("refused-by-ledger", "topup:too-much", "XTR", 50));
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(lastText(refund("refused-by-ledger"))).contains("Refunded 50\u00A0⭐ to " + "User" + U + " (id " + U + ")");
        assertThat(h.starsRefunds.calls()).containsExactly(new ScriptedStarsRefunds.Call(U, "refused-by-ledger"));
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(lastText(refund(Long.toString(U)))).containsOnlyOnce("refused-by-ledger");
        assertThat(h.send(U, new Event.RefundedPayment("refused-by-ledger", "topup:too-much", "XTR", 50)))
                .as("Telegram's report takes nothing").isEmpty();
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertLedgerClean();
    }

    /** An update reusing a credited charge's id (forged, re-delivered) is not kept: it is refunded as credited. */
    @Test
    void aChargeThatWasCreditedIsNeverKeptAsNotCredited() {
        h.send(U, new Event.SuccessfulPayment(CHARGE, "topup:never-issued", "XTR", 50));
        h.send(U, new Event.SuccessfulPayment(CHARGE, payload, "XTR", 50_000));
        h.shop.storefront().apologize(new Incoming(901, ShopHarness.actor(U, "en"),
                new Event.SuccessfulPayment(CHARGE, payload, "XTR", 50)));
        assertThat(h.stores.payments().uncredited(CHARGE)).isEmpty();
        assertThat(lastText(refund(CHARGE))).contains("Refunded 50\u00A0⭐", "75\u00A0₽ taken");
        assertThat(h.balance(U)).isZero();
        assertLedgerClean();
    }
    /**
     * Telegram's report of the refund came while the admin's refund was asked: the report posted the admin's hold and
     * told the user. Before, the admin's answer then found the hold posted and told the user a second time.
     */
    @Test
    void aRefundReportedWhileTelegramIsAskedTellsTheUserOnce() {
        h.starsRefunds.whileAsked(() -> h.handle(U, new Event.RefundedPayment(CHARGE, "topup:x", "XTR", 50)));
        List<Reply> both = refund(CHARGE);
        assertThat(toAdminOnce(both)).contains("Refunded 50\u00A0⭐");
        assertThat(both).filteredOn(r -> r.chatId() == U).as("told once").hasSize(1);
        assertThat(h.balance(U)).isZero();
        assertThat(refunds()).isEqualTo(1);
    }

    /** A ledger that does not see the Stars refund holds still pending: a read made before the hold committed. */
    private Shop notSeeingPendingRefundHolds() {
        Ledger real = h.stores.ledger();
        Ledger blind = new ForwardingLedger(real) {
            @Override
            public java.util.Optional<HoldState> holdState(String holdId) {
                java.util.Optional<HoldState> state = super.holdState(holdId);
                return holdId.startsWith("stars-refund:") && state.equals(java.util.Optional.of(HoldState.PENDING))
                        ? java.util.Optional.empty() : state;
            }
        };
        return h.anotherInstance(s -> s.withLedger(blind));
    }

    /** Telegram's report of a refund made outside this attempt, handled on its own thread. */
    private void reportedOnAnotherThread(Shop instance) {
        Thread report = new Thread(() -> instance.storefront().serve(new Incoming(950, ShopHarness.actor(U, "en"),
                new Event.RefundedPayment(CHARGE, "topup:x", "XTR", 50))));
        report.start();
        try {
            report.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Telegram reports a refund (made outside the bot's attempt) at the moment an admin presses Refund with more than
     * the charge on the wallet: the report takes the charge's amount before the admin's hold is placed, the admin's
     * status read having seen no refund yet. Telegram answers the admin "already refunded", which counts as done.
     * Before, the hold was posted as well: one refund of 75 ₽ took 150 ₽.
     */
    @Test
    void aRefundReportedAsAnAdminPressesRefundIsTakenOnce() {
        h.topUp(U, 7_500);
        List<Reply> told = bothPress(() -> reportedOnAnotherThread(h.shop));
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(lastTextTo(told, ADMIN_2)).contains("already refunded");
        assertLedgerClean();
    }

    /**
     * The same race the other way round: the report read the charge as not refunded just before the admin's hold
     * committed, and took the amount while Telegram was asked. Before, the admin's answer posted the hold as well.
     */
    @Test
    void aRefundReportedReadingTheChargeBeforeTheAdminsHoldIsTakenOnce() {
        h.topUp(U, 7_500);
        h.starsRefunds.whileAsked(() -> reportedOnAnotherThread(notSeeingPendingRefundHolds()));
        List<Reply> told = refund(CHARGE);
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(lastText(told)).contains("already refunded");
        assertThat(actions(CHARGE)).contains("refund.stars_reported");
        assertLedgerClean();
    }

    /**
     * The admin's call to Telegram waits in its queue (other refunds before it) and Telegram reports a refund of the
     * charge meanwhile, which posts the admin's hold: the admin hears it is refunded, not "Telegram did not refund,
     * ask again", and Telegram is not asked.
     */
    @Test
    void aRefundReportedWhileTheAdminsCallWaitsInItsQueueIsToldAsDone() {
        AtomicBoolean reportFirst = new AtomicBoolean(true);
        Shop queued = h.anotherInstance(s -> s, b -> b.refundCalls(call -> {
            if (reportFirst.getAndSet(false)) {
                h.handle(U, new Event.RefundedPayment(CHARGE, "topup:x", "XTR", 50));
            }
            call.run();
        }));
        h.messenger.drain();
        queued.storefront().serve(refundBy(ShopHarness.ADMIN, 903));
        h.deliver();
        List<Reply> told = h.messenger.drain();

        assertThat(toAdminOnce(told)).as("done, not asked again").contains("Refunded 50\u00A0⭐ for payment " + CHARGE);
        assertThat(h.starsRefunds.calls()).as("nothing left to ask").isEmpty();
        assertThat(h.balance(U)).isZero();
        assertThat(actions(CHARGE)).contains("refund.stars_reported");
        assertThat(refunds()).isEqualTo(1);
    }

    /**
     * The same for a payment that credited nothing: the admin's call waits in its queue and Telegram reports the
     * refund meanwhile, which marks it refunded and tells the admins. Before, the call, finding its claim no longer
     * open, also told the admin who asked that the refund never reached Telegram and to ask again: two contradictory
     * answers to one press.
     */
    @Test
    void aRefundOfAnUncreditedPaymentReportedWhileTheAdminsCallWaitsInItsQueueIsToldOnceAsDone() {
        paidNoInvoice();
        AtomicBoolean reportFirst = new AtomicBoolean(true);
        Shop queued = h.anotherInstance(s -> s, b -> b.refundCalls(call -> {
            if (reportFirst.getAndSet(false)) {
                h.handle(U, new Event.RefundedPayment(TWICE, payload, "XTR", 50));
            }
            call.run();
        }));
        h.messenger.drain();
        queued.storefront().serve(confirmed(ShopHarness.ADMIN, 903, TWICE));
        h.deliver();
        List<Reply> told = h.messenger.drain();

        assertThat(toAdminOnce(told)).as("done, not asked again").contains("Refunded 50\u00A0⭐ for payment " + TWICE);
        assertThat(told).filteredOn(r -> r.chatId() == U).as("the user told once").hasSize(1);
        assertThat(h.starsRefunds.calls()).as("nothing left to ask").isEmpty();
        assertThat(uncreditedRefund()).isEqualTo(UncreditedRefund.REFUNDED);
        assertThat(h.balance(U)).isEqualTo(7_500);
    }

    /**
     * Telegram reports the refund of a payment that credited nothing, and between the report's read of the payment
     * (no admin had asked) and its mark, an admin's refund of it is claimed, asked and settled, telling the user. The
     * report then finds it refunded already: it was an admin's, who told the user; the user is not told again.
     */
    @Test
    void anUncreditedPaymentReportedAsAnAdminsRefundSettlesIsToldToTheUserOnce() {
        paidNoInvoice();
        AtomicBoolean adminFirst = new AtomicBoolean(true);
        List<Reply> told = new CopyOnWriteArrayList<>();
        Runnable adminsRefund = () -> {
            Thread admin = new Thread(() -> told.addAll(refund(TWICE)));
            admin.start();
            try {
                admin.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        };
        Payments real = h.stores.payments();
        Payments readingEarly = (Payments) Proxy.newProxyInstance(Payments.class.getClassLoader(),
                new Class<?>[] {Payments.class}, (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(real, args);
                        if (method.getName().equals("uncredited") && adminFirst.getAndSet(false)) {
                            adminsRefund.run(); // after this read, before the report marks it
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Shop reporting = h.anotherInstance(s -> new Stores(s.users(), s.chatStates(), s.ledger(), s.jobs(),
                readingEarly, s.freeUsage(), s.processedUpdates(), s.audit(), s.admissions(), s.broadcasts(),
                s.manualTopUps(), s.supportTickets(), s.figures(), s.pendingReplies(), s.transactions(),
                s.pausedModels(), s.externalRefundDues(), s.personalData()));
        h.messenger.drain();
        reporting.storefront().serve(new Incoming(950, ShopHarness.actor(U, "en"),
                new Event.RefundedPayment(TWICE, payload, "XTR", 50)));
        h.deliver();
        told.addAll(h.messenger.drain());

        assertThat(h.starsRefunds.calls()).as("the admin's refund ran in between").hasSize(1);
        assertThat(toAdminOnce(told)).contains("Refunded 50\u00A0⭐");
        assertThat(told).filteredOn(r -> r.chatId() == U).as("the user told once").hasSize(1);
        assertThat(uncreditedRefund()).isEqualTo(UncreditedRefund.REFUNDED);
        assertThat(h.balance(U)).isEqualTo(7_500);
    }

    /** A Refund press on an instance whose call to Telegram waits in its queue until the claim or hold is nearly over. */
    private List<Reply> pressedAndQueuedTooLong(String arg) {
        Shop queued = h.anotherInstance(s -> s, b -> b.refundCalls(call -> {
            h.clock.advance(StarsRefundDesk.HOLD_FOR.minus(StarsRefundDesk.ASK_MARGIN));
            call.run();
        }));
        h.messenger.drain();
        queued.storefront().serve(confirmed(ShopHarness.ADMIN, 903, arg));
        h.deliver();
        return h.messenger.drain();
    }

    /**
     * The admin's call waited in its queue until less than {@link StarsRefundDesk#ASK_MARGIN} of its hold was left:
     * asked then, Telegram could give the Stars back after the hold's deadline had returned the money to the wallet.
     * Telegram is not asked, the hold is given back, and the admin hears to ask again (and may).
     */
    @Test
    void aRefundWhoseCallWaitedInItsQueueTooLongIsNotAskedAndGivesTheHoldBack() {
        List<Reply> told = pressedAndQueuedTooLong(CHARGE);

        assertThat(toAdminOnce(told)).isEqualTo("❌ Telegram did not refund " + CHARGE + ": the request waited too "
                + "long to go out; the money stayed on the balance, ask again. The balance is as it was.");
        assertThat(told).noneMatch(r -> r.chatId() == U);
        assertThat(h.starsRefunds.calls()).isEmpty();
        assertThat(h.stores.ledger().holdState(StarsRefundAttempts.holdId(CHARGE, 1))).contains(HoldState.VOIDED);
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(h.stores.audit().byCorrelation(CHARGE)).extracting(e -> e.action())
                .contains("refund.stars_not_asked");

        assertThat(lastText(refund(CHARGE))).contains("Refunded 50\u00A0⭐");
        assertThat(h.balance(U)).isZero();
        assertThat(refunds()).isEqualTo(1);
    }

    /** The same for a payment that credited nothing: not asked, its claim given up, and it may be asked again. */
    @Test
    void aRefundOfAnUncreditedPaymentWhoseCallWaitedInItsQueueTooLongIsNotAskedAndMayBeAskedAgain() {
        paidNoInvoice();
        List<Reply> told = pressedAndQueuedTooLong(TWICE);

        assertThat(toAdminOnce(told)).isEqualTo("❌ Telegram did not refund " + TWICE + ": the request waited too "
                + "long to go out and never reached Telegram; ask again. The balance is as it was.");
        assertThat(told).noneMatch(r -> r.chatId() == U);
        assertThat(h.starsRefunds.calls()).isEmpty();
        assertThat(uncreditedRefund()).isEqualTo(UncreditedRefund.OPEN);
        assertThat(h.stores.audit().byCorrelation(TWICE)).extracting(e -> e.action())
                .contains("refund.stars_not_asked");

        assertThat(lastText(refund(TWICE))).contains("Refunded 50\u00A0⭐ to " + "User" + U + " (id " + U + ")");
        assertThat(uncreditedRefund()).isEqualTo(UncreditedRefund.REFUNDED);
        assertThat(h.balance(U)).isEqualTo(7_500);
    }

    /** Telegram refused the first attempts: the last of the {@value StarsRefundAttempts#ATTEMPTS_MAX} still refunds. */
    @Test
    void theLastOfTheAttemptsStillRefunds() {
        for (int n = 1; n < StarsRefundAttempts.ATTEMPTS_MAX; n++) {
            h.starsRefunds.thenAnswer(new StarsRefundResult.Failed("400 Bad Request: REFUND_FAILED"));
            assertThat(lastText(refund(CHARGE))).contains("Telegram did not refund");
        }
        assertThat(lastText(refund(CHARGE))).contains("Refunded 50\u00A0⭐");
        assertThat(h.stores.ledger().holdState(StarsRefundAttempts.holdId(CHARGE, StarsRefundAttempts.ATTEMPTS_MAX)))
                .contains(HoldState.POSTED);
        assertThat(h.balance(U)).isZero();
        assertThat(refunds()).isEqualTo(1);
    }

    /** Every attempt refused by Telegram: the next press holds nothing, asks nothing and says so. */
    @Test
    void afterEveryAttemptWasRefusedTheAdminIsToldTheyAreUsedUp() {
        for (int n = 1; n <= StarsRefundAttempts.ATTEMPTS_MAX; n++) {
            h.starsRefunds.thenAnswer(new StarsRefundResult.Failed("400 Bad Request: REFUND_FAILED"));
            refund(CHARGE);
        }
        assertThat(lastText(refund(CHARGE))).isEqualTo("Cannot refund " + CHARGE + ": every attempt is used up; "
                + "see /find " + CHARGE + ".");
        assertThat(h.starsRefunds.calls()).hasSize(StarsRefundAttempts.ATTEMPTS_MAX);
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(refunds()).isZero();
    }

    /** With a payment that credited nothing listed too, the credited payment's button refunds that one, not the other. */
    @Test
    void theButtonOfACreditedPaymentRefundsItWhenAnUncreditedOneIsListedToo() {
        paidNoInvoice();
        List<Reply> list = refund(Long.toString(U));
        Reply.SendText listed = (Reply.SendText) list.get(list.size() - 1);
        assertThat(listed.keyboard().buttons()).hasSize(2);
        String credited = buttonOf(list, CHARGE);

        assertThat(lastText(h.adminPressConfirmed(credited))).contains("Refunded 50\u00A0⭐", "75\u00A0₽ taken");

        assertThat(h.starsRefunds.calls()).containsExactly(new ScriptedStarsRefunds.Call(U, CHARGE));
        assertThat(h.balance(U)).isZero();
        assertThat(uncreditedRefund()).isEqualTo(UncreditedRefund.OPEN);
    }

    @Test
    void aUserWithoutStarsPaymentsAndAButtonOfNoPaymentAreSaidAsThat() {
        assertThat(lastText(refund(Long.toString(ADMIN_2))))
                .isEqualTo("User" + ADMIN_2 + " (id " + ADMIN_2 + ") has no Stars payments.");
        assertThat(lastText(h.press(ShopHarness.ADMIN, dev.kiebot.core.reply.CallbackData.evergreen(
                dev.kiebot.core.reply.CallbackAction.REFUND_STARS, U + ":nosuchreference0"))))
                .isEqualTo("No Stars payment and no user match nosuchreference0.");
        assertThat(h.starsRefunds.calls()).isEmpty();
    }

    /**
     * Telegram's report of the refund comes again (another update): it takes nothing more, and neither tells the user
     * again nor writes the trail's line again (the first report did both).
     */
    @Test
    void aRefundTelegramReportsAgainTakesNothingMoreAndSaysNothingMore() {
        assertThat(toUser(h.send(U, new Event.RefundedPayment(CHARGE, "topup:x", "XTR", 50))))
                .contains("75\u00A0₽ was taken", "now 0\u00A0₽");
        int audited = h.stores.audit().byCorrelation(CHARGE).size();
        List<Reply> again = h.send(U, new Event.RefundedPayment(CHARGE, "topup:x", "XTR", 50));
        assertThat(again).as("told once").isEmpty();
        assertThat(h.stores.audit().byCorrelation(CHARGE)).as("no line of the second report").hasSize(audited)
                .filteredOn(e -> e.action().equals("refund.stars")).hasSize(1);
        assertThat(h.balance(U)).isZero();
        assertThat(refunds()).isEqualTo(1);
    }

    /**
     * Another report of the same refund took under the first try's id, and the user paid in since, before this
     * report's transfer (read before both) reached the ledger: the ledger answers that the id exists with another
     * amount. That is the refund done, not a debit that overtook this try: the next try's id must not take the charge
     * a second time from the money paid in since.
     */
    @Test
    void aReportedRefundWhoseIdAnotherReportTookIsNotTakenAgainUnderTheNextTry() {
        AtomicBoolean raced = new AtomicBoolean();
        Ledger racing = new ForwardingLedger(h.stores.ledger()) {
            @Override
            public LedgerResult transfer(String id, AccountId debit, AccountId credit, long amount, TransferKind kind) {
                if (id.startsWith("stars-refund:") && raced.compareAndSet(false, true)) {
                    assertThat(super.transfer("debit:admin", AccountId.wallet(U), AccountId.MANUAL_CLEARING, 1_000,
                            TransferKind.DEBIT_MANUAL).succeeded()).isTrue();
                    assertThat(super.transfer(id, debit, credit, 6_500, kind).succeeded()).as("the other report")
                            .isTrue();
                    h.topUp(U, 7_500);
                }
                return super.transfer(id, debit, credit, amount, kind);
            }
        };
        h.anotherInstance(s -> s.withLedger(racing)).storefront().serve(new Incoming(903, ShopHarness.actor(U, "en"),
                new Event.RefundedPayment(CHARGE, "topup:x", "XTR", 50)));
        h.deliver();
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(h.stores.ledger().transfers(AccountId.wallet(U)))
                .filteredOn(t -> t.kind() == TransferKind.STARS_REFUND)
                .singleElement().satisfies(t -> assertThat(t.amount()).isEqualTo(6_500));
    }

    /**
     * Two debits overtake the reported refund's first two tries, each between its read of the balance and its
     * transfer: the third try, the last, still takes what is left.
     */
    @Test
    void aReportedRefundThatTwoDebitsOvertakeStillTakesWhatIsLeftOnItsLastTry() {
        assertThat(toUser(reportedThrough(debitedBeforeTries(TakeBack.TRIES - 1)))).contains("55\u00A0₽ was taken");
        assertThat(h.balance(U)).isZero();
        assertThat(h.stores.ledger().transfers(AccountId.wallet(U)))
                .filteredOn(t -> t.kind() == TransferKind.STARS_REFUND)
                .singleElement().satisfies(t -> assertThat(t.amount()).isEqualTo(5_500));
    }

    /**
     * Telegram reports the refund of a payment that credited nothing while the admin's request is answered, and its
     * answer is «refunded»: the report marked it and told the user; the admin's answer tells the user nothing more.
     */
    @Test
    void anUncreditedPaymentReportedWhileTelegramRefundsItIsToldToTheUserOnce() {
        paidNoInvoice();
        h.starsRefunds.whileAsked(() -> h.handle(U, new Event.RefundedPayment(TWICE, payload, "XTR", 50)));
        List<Reply> both = refund(TWICE);
        assertThat(toAdminOnce(both)).contains("Refunded 50\u00A0⭐");
        assertThat(both).filteredOn(r -> r.chatId() == U).as("told once").hasSize(1);
        assertThat(uncreditedRefund()).isEqualTo(UncreditedRefund.REFUNDED);
        assertThat(h.balance(U)).isEqualTo(7_500);
    }

    private static final String NO_ANSWER = "refundStarPayment outcome unknown, it may have been delivered: timeout";

    /**
     * Telegram gave no answer that says whether it refunded (every try dropped or timed out): the Stars may be back, so
     * the hold stays (voided, it gave the money back to a payer who may have the Stars too), the admin is told so in
     * his language, and Telegram's report of the refund then takes the held money, once.
     */
    @Test
    void noAnswerFromTelegramKeepsTheHoldAndItsReportTakesTheMoneyOnce() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        h.starsRefunds.thenAnswer(new StarsRefundResult.Unknown(NO_ANSWER));
        List<Reply> told = refund(CHARGE);
        assertThat(lastText(told)).isEqualTo("❓ Неизвестно, вернул ли Telegram 50\u00A0⭐ по платежу " + CHARGE
                + ": ответа не было (ошибка запроса к Telegram: " + NO_ANSWER + "). 75\u00A0₽ остаются в резерве на балансе пользователя " + U
                + ". Если Telegram вернул звёзды, его сообщение о возврате спишет эту сумму, и пользователь узнает об "
                + "этом. Если сообщения не будет, через 10\u00A0минут резерв истечёт, сумма вернётся на баланс, и "
                + "администраторы получат уведомление; тогда повторите возврат: /refund_stars " + CHARGE + " — если "
                + "звёзды уже вернулись, Telegram так и ответит, и сумма спишется один раз.");
        assertThat(told).noneMatch(r -> r.chatId() == U);
        assertThat(h.stores.ledger().holdState(StarsRefundAttempts.holdId(CHARGE, 1))).contains(HoldState.PENDING);
        assertThat(h.balance(U)).isZero();
        assertThat(actions(CHARGE)).contains("refund.stars_unanswered").doesNotContain("refund.stars_failed");
        assertThat(lastText(refund(CHARGE))).as("under way until the report or the deadline").contains("уже идёт");

        assertThat(toUser(h.send(U, new Event.RefundedPayment(CHARGE, payload, "XTR", 50))))
                .contains("75\u00A0₽ was taken");
        assertThat(h.stores.ledger().holdState(StarsRefundAttempts.holdId(CHARGE, 1))).contains(HoldState.POSTED);
        assertThat(h.balance(U)).isZero();
        assertThat(refunds()).isEqualTo(1);
        assertLedgerClean();
    }

    /** No answer and no report: the hold's deadline gives the money back and every admin is told, once. */
    @Test
    void noAnswerAndNoReportGivesTheMoneyBackAtTheDeadlineAndTellsTheAdmins() {
        h.starsRefunds.thenAnswer(new StarsRefundResult.Unknown(NO_ANSWER));
        refund(CHARGE);
        h.messenger.drain();
        h.clock.advance(StarsRefundDesk.HOLD_FOR.plusMinutes(1));
        h.shop.worker().sweepExpiredHolds(10);
        h.deliver();
        List<Reply> alerts = h.messenger.drain();
        for (long admin : List.of(ShopHarness.ADMIN, ADMIN_2)) {
            assertThat(alerts.stream().filter(r -> r.chatId() == admin).toList()).as("told once").singleElement()
                    .extracting(r -> ((Reply.SendText) r).text()).asString()
                    .contains("The refund of 50\u00A0⭐ for payment " + CHARGE + " was cut off");
        }
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(refunds()).isZero();
        assertLedgerClean();
    }

    /**
     * A payment that credited nothing, and no answer: its claim stays (reopened, a second admin could ask for Stars
     * that may be back), and Telegram's report marks it refunded.
     */
    @Test
    void noAnswerForAnUncreditedPaymentKeepsItsClaimUntilTheReport() {
        paidNoInvoice();
        h.starsRefunds.thenAnswer(new StarsRefundResult.Unknown(NO_ANSWER));
        List<Reply> told = refund(TWICE);
        assertThat(lastText(told)).contains("Unknown whether Telegram gave 50\u00A0⭐ back for payment " + TWICE,
                NO_ANSWER, "in 10\u00A0minutes");
        assertThat(told).noneMatch(r -> r.chatId() == U);
        assertThat(uncreditedRefund()).isEqualTo(UncreditedRefund.REFUNDING);
        assertThat(actions(TWICE)).contains("refund.stars_unanswered").doesNotContain("refund.stars_failed");
        assertThat(lastText(refund(TWICE))).contains("under way");
        assertThat(h.starsRefunds.calls()).hasSize(1);
        h.send(U, new Event.RefundedPayment(TWICE, payload, "XTR", 50));
        assertThat(uncreditedRefund()).isEqualTo(UncreditedRefund.REFUNDED);
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertLedgerClean();
    }

    /** Another Stars payment of the user's, 75 ₽, whose refund an earlier build's report owed from the admin's hold. */
    private static final String OTHER = "ch-other";
    private static final String ADMINS_HOLD = StarsRefundAttempts.holdId(CHARGE, 1);

    /**
     * Telegram's report of {@link #OTHER}'s refund by an earlier build, which owed the part it could not take back
     * from the oldest running hold whoever paid it (HeldStarsRefunds' rule before the walk): here the admin's hold.
     */
    private void owedByTheAdminsHold(long amount) {
        assertThat(h.stores.ledger().holdState(ADMINS_HOLD)).contains(HoldState.PENDING);
        assertThat(h.stores.payments().recordHeldRefund(new dev.kiebot.core.payments.HeldStarsRefund(OTHER,
                ADMINS_HOLD, U, amount, h.clock.instant()))).isTrue();
    }

    /** What a hold's debts to other charges' refunds left unsettled, the upkeep's sweep to find. */
    private List<String> unsettled() {
        return h.stores.payments().openHeldRefunds(10).stream().map(o -> o.chargeId() + " " + o.holdId()).toList();
    }

    /**
     * The admin's call waited in its queue too long, and his hold owed half of another charge's refund (an earlier
     * build's record): the hold given back, that half goes to the Stars at once, in the void's transaction. Left to
     * the upkeep's sweep, the user could spend meanwhile money he has back in Stars, the shop's loss.
     */
    @Test
    void aHoldGivenBackUnaskedSettlesWhatItOwesAnotherChargesRefundAtOnce() {
        h.paid50Stars(U, OTHER);
        Shop queued = h.anotherInstance(s -> s, b -> b.refundCalls(call -> {
            owedByTheAdminsHold(3_750);
            h.clock.advance(StarsRefundDesk.HOLD_FOR.minus(StarsRefundDesk.ASK_MARGIN));
            call.run();
        }));
        h.messenger.drain();
        queued.storefront().serve(confirmed(ShopHarness.ADMIN, 903, CHARGE));
        h.deliver();

        assertThat(h.starsRefunds.calls()).as("not asked").isEmpty();
        assertThat(h.stores.ledger().holdState(ADMINS_HOLD)).contains(HoldState.VOIDED);
        assertThat(h.balance(U)).as("150 ₽ less the half owed to the other refund").isEqualTo(11_250);
        assertThat(h.stores.ledger().find("stars-held:" + OTHER + ":" + ADMINS_HOLD))
                .map(dev.kiebot.core.ledger.Transfer::amount).contains(3_750L);
        assertThat(unsettled()).as("nothing left for the sweep").isEmpty();
    }

    /**
     * Telegram reported the charge's refund by itself while the admin's call was out, so the admin's hold is given
     * back; it owed half of another charge's refund (an earlier build's record): that half goes to the Stars at once.
     */
    @Test
    void aHoldGivenBackAsTheRefundWasReportedMeanwhileSettlesWhatItOwesAtOnce() {
        h.paid50Stars(U, OTHER);
        h.starsRefunds.whileAsked(() -> {
            owedByTheAdminsHold(3_750);
            reportedOnAnotherThread(notSeeingPendingRefundHolds());
        });
        assertThat(lastText(refund(CHARGE))).contains("already refunded");

        assertThat(h.stores.ledger().holdState(ADMINS_HOLD)).contains(HoldState.VOIDED);
        assertThat(h.balance(U)).as("the other charge's 75 ₽ less the half owed to its refund").isEqualTo(3_750);
        assertThat(h.stores.ledger().find("stars-held:" + OTHER + ":" + ADMINS_HOLD))
                .map(dev.kiebot.core.ledger.Transfer::amount).contains(3_750L);
        assertThat(unsettled()).as("nothing left for the sweep").isEmpty();
    }

    /**
     * Killed after the press committed, and the refund Telegram reports posts the admin's hold: what the hold owed
     * another charge's refund (an earlier build's record) is lost then, booked in the report's transaction, not left
     * open till the upkeep's sweep.
     */
    @Test
    void aHoldTheReportPostsBooksWhatItOwedAnotherChargesRefundAsLostAtOnce() {
        h.paid50Stars(U, OTHER);
        Shop killed = h.anotherInstance(UnaryOperator.identity(), b -> b.refundCalls(call -> { }));
        killed.storefront().serve(refundBy(ShopHarness.ADMIN, 901));
        owedByTheAdminsHold(3_750);

        h.send(U, new Event.RefundedPayment(CHARGE, "topup:x", "XTR", 50));

        assertThat(h.stores.ledger().holdState(ADMINS_HOLD)).contains(HoldState.POSTED);
        assertThat(h.balance(U)).as("the other charge's 75 ₽").isEqualTo(7_500);
        assertThat(h.stores.ledger().find(HeldStarsRefunds.lossId(OTHER, ADMINS_HOLD)))
                .map(dev.kiebot.core.ledger.Transfer::amount).as("the shop's loss").contains(3_750L);
        assertThat(unsettled()).as("nothing left for the sweep").isEmpty();
    }
}
