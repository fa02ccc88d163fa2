package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.StarsRefundResult;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An admin's Stars refund: hold, Telegram, post or void; once per charge, whoever else reports it. */
class StarsRefundFlowTest {
    private static final long U = 42;
    private static final String CHARGE = "stxChargeIdLongerThanSixtyFourBytesAsTelegramMakesThem_0123456789abcdef";
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(ShopHarness.ADMIN, "start");
        h.command(U, "start");
        paid50Stars(CHARGE);
    }

    /** Whatever a test did with money, the ledger keeps its invariants. */
    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /** A Stars payment of 50 ⭐ (75.00 ₽). */
    private void paid50Stars(String charge) {
        h.command(U, "topup");
        h.press(U, "*|y");
        String payload = h.press(U, "*|t|50").stream().filter(Reply.SendInvoice.class::isInstance)
                .map(i -> ((Reply.SendInvoice) i).payload()).findFirst().orElseThrow();
        h.send(U, new Event.SuccessfulPayment(charge, payload, "XTR", 50));
    }

    private List<Reply> refund(String arg) {
        return h.send(ShopHarness.ADMIN, new Event.Command("refund_stars", arg));
    }

    private static String toUser(List<Reply> replies) {
        return lastText(replies.stream().filter(r -> r.chatId() == U).toList());
    }

    private long refunds() {
        return h.stores.ledger().transfers(AccountId.wallet(U)).stream()
                .filter(t -> t.kind() == TransferKind.STARS_REFUND && t.phase() != dev.kiebot.core.ledger.Phase.PENDING
                        && t.amount() > 0).count();
    }

    private void assertLedgerClean() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    @Test
    void aRefundHoldsAsksTelegramAndPostsOnce() {
        assertThat(h.balance(U)).isEqualTo(7_500);
        List<Reply> done = refund(CHARGE);
        assertThat(lastText(done)).contains("Refunded 50 ⭐", "75.00 ₽", "user " + U);
        assertThat(toUser(done)).contains("50 ⭐ was refunded", "75.00 ₽ was taken", "0.00 ₽");
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
        assertThat(lastText(refund(CHARGE))).contains("Cannot refund", "74.00 ₽", "75.00 ₽");
        assertThat(h.starsRefunds.calls()).isEmpty();
        assertThat(h.balance(U)).isEqualTo(7_400);
        assertLedgerClean();
    }

    @Test
    void aRefusalOfTelegramVoidsTheHoldAndTheNextAttemptMayRefund() {
        h.starsRefunds.thenAnswer(new StarsRefundResult.Failed("400 Bad Request: CHARGE_NOT_FOUND"));
        List<Reply> failed = refund(CHARGE);
        assertThat(lastText(failed)).contains("Telegram did not refund", "CHARGE_NOT_FOUND");
        assertThat(failed).noneMatch(r -> r.chatId() == U);
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(h.stores.ledger().holdState(StarsRefundAttempts.holdId(CHARGE, 1))).contains(HoldState.VOIDED);
        assertThat(lastText(refund(CHARGE))).contains("Refunded 50 ⭐");
        assertThat(h.stores.ledger().holdState(StarsRefundAttempts.holdId(CHARGE, 2))).contains(HoldState.POSTED);
        assertThat(h.balance(U)).isZero();
        assertThat(refunds()).isEqualTo(1);
        assertLedgerClean();
    }

    @Test
    void chargeAlreadyRefundedCountsAsDone() {
        h.starsRefunds.thenAnswer(new StarsRefundResult.AlreadyRefunded());
        assertThat(lastText(refund(CHARGE))).contains("Refunded 50 ⭐");
        assertThat(h.balance(U)).isZero();
        assertLedgerClean();
    }

    @Test
    void aUserIdListsThePaymentsWithRefundButtons() {
        paid50Stars("second-charge");
        List<Reply> list = refund(Long.toString(U));
        assertThat(lastText(list)).contains("Stars payments of user " + U, CHARGE, "second-charge");
        List<Reply> done = h.press(ShopHarness.ADMIN, button(list, "Refund 50 ⭐"));
        assertThat(lastText(done)).contains("Refunded 50 ⭐");
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

    @Test
    void theRefundTelegramReportsAfterAnAdminsRefundTakesNothingMore() {
        refund(CHARGE);
        List<Reply> reported = h.send(U, new Event.RefundedPayment(CHARGE, "topup:x", "XTR", 50));
        assertThat(reported).isEmpty();
        assertThat(h.balance(U)).isZero();
        assertThat(refunds()).isEqualTo(1);
        assertLedgerClean();
    }

    @Test
    void aRefundReportedWhileTelegramIsAskedPostsTheHoldOnce() {
        h.starsRefunds.whileAsked(() -> h.handle(U, new Event.RefundedPayment(CHARGE, "topup:x", "XTR", 50)));
        assertThat(lastText(refund(CHARGE))).contains("Refunded 50 ⭐");
        assertThat(h.balance(U)).isZero();
        assertThat(refunds()).isEqualTo(1);
        assertLedgerClean();
    }

    @Test
    void aReportedRefundWinsOverATelegramErrorThatCameTooLate() {
        h.starsRefunds.thenAnswer(new StarsRefundResult.Failed("timeout"))
                .whileAsked(() -> h.handle(U, new Event.RefundedPayment(CHARGE, "topup:x", "XTR", 50)));
        assertThat(lastText(refund(CHARGE))).contains("Refunded 50 ⭐");
        assertThat(h.balance(U)).isZero();
        assertThat(refunds()).isEqualTo(1);
        assertLedgerClean();
    }

    @Test
    void aHoldThatExpiredWhileTelegramWasAskedIsToldInTheAdminsLanguage() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        h.starsRefunds.whileAsked(() -> {
            h.clock.advance(StarsRefundDesk.HOLD_FOR.plusMinutes(1));
            h.stores.ledger().expire(h.clock.instant(), 10);
        });
        List<Reply> lost = refund(CHARGE);
        assertThat(lastText(lost)).isEqualTo("❌ Telegram не вернул " + CHARGE
                + ": резерв истёк раньше ответа Telegram. Баланс не изменился.");
        assertThat(lost).noneMatch(r -> r.chatId() == U);
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertLedgerClean();
    }

    @Test
    void aRefundTelegramReportsByItselfIsTakenOnceAndBlocksAnAdminsRefund() {
        assertThat(toUser(h.send(U, new Event.RefundedPayment(CHARGE, "topup:x", "XTR", 50)))).contains("75.00 ₽");
        assertThat(h.balance(U)).isZero();
        assertThat(lastText(refund(CHARGE))).contains("already refunded");
        assertThat(h.starsRefunds.calls()).isEmpty();
        assertLedgerClean();
    }
}
