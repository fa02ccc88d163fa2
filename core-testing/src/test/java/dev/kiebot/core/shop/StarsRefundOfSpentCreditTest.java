package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.StarsRefundResult;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Telegram refunds a Stars payment whose credit the user had spent (all of it, part of it, or held by a running
 * generation). The charge is refunded once and for all, whatever the wallet held: neither an admin's refund nor a
 * second report takes the user's next top-up for it. What could not be taken back is the shop's loss, booked in the
 * ledger once per charge, shown in /export as money returned, and told to the admins once.
 */
class StarsRefundOfSpentCreditTest {
    private static final long U = 42;
    private static final String CH1 = "ch-1";
    private ShopHarness h;
    private String payload;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(ShopHarness.ADMIN, "start");
        h.command(U, "start");
        payload = h.paid50Stars(U, CH1); // 50 ⭐: 75 ₽
    }

    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    private void spend(long amount) {
        assertThat(h.stores.ledger().transfer("spent-" + amount, AccountId.wallet(U), AccountId.REVENUE, amount,
                TransferKind.GENERATION).succeeded()).isTrue();
    }

    private List<Reply> report() {
        return h.send(U, new Event.RefundedPayment(CH1, payload, "XTR", 50));
    }

    private List<Transfer> losses() {
        return h.stores.ledger().transfers(AccountId.STARS_REFUND_LOSS);
    }

    private static List<String> toAdmin(List<Reply> replies) {
        return replies.stream().filter(r -> r.chatId() == ShopHarness.ADMIN && r instanceof Reply.SendText)
                .map(r -> ((Reply.SendText) r).text()).toList();
    }

    @Test
    void aReportOfASpentChargeRefundsItForGoodSoAnAdminsRefundTakesNothingOfTheNextTopUp() {
        spend(7_500);
        report();
        h.paid50Stars(U, "ch-2");
        assertThat(h.balance(U)).isEqualTo(7_500);

        List<Reply> listed = h.admin("refund_stars", String.valueOf(U));
        assertThat(lastText(listed)).contains(CH1 + " (refunded)", "ch-2");
        Reply.SendText list = (Reply.SendText) listed.get(listed.size() - 1);
        assertThat(list.keyboard().buttons()).as("one Refund button: ch-2's").hasSize(1);
        assertThat(lastText(h.press(ShopHarness.ADMIN, list.keyboard().buttons().get(0).data().orElseThrow())))
                .contains("Refunded 50\u00A0⭐");
        assertThat(h.starsRefunds.calls()).extracting(c -> c.chargeId()).containsExactly("ch-2");
        h.paid50Stars(U, "ch-3");

        h.starsRefunds.thenAnswer(new StarsRefundResult.AlreadyRefunded());
        assertThat(lastText(h.admin("refund_stars", CH1))).contains("already refunded");
        h.deliver();
        assertThat(h.starsRefunds.calls()).as("Telegram not asked for ch-1").hasSize(1);
        assertThat(h.balance(U)).as("ch-3's top-up stays").isEqualTo(7_500);
    }

    @Test
    void aSecondReportOfASpentChargeUnderANewUpdateTakesNothingOfTheNextTopUp() {
        spend(7_500);
        report();
        h.paid50Stars(U, "ch-2");
        List<Reply> again = report();
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(toAdmin(again)).as("the loss was told once").isEmpty();
        assertThat(losses()).singleElement().satisfies(t -> assertThat(t.amount()).isEqualTo(7_500));
    }

    @Test
    void theUnrecoveredPartIsBookedAsTheShopsLossOnceAndTheAdminsAreToldOnce() {
        spend(5_000);
        List<Reply> told = report();
        assertThat(h.balance(U)).isZero();
        assertThat(h.stores.ledger().transfers(AccountId.wallet(U))).filteredOn(t -> t.kind()
                == TransferKind.STARS_REFUND).singleElement().satisfies(t -> assertThat(t.amount()).isEqualTo(2_500));
        assertThat(losses()).singleElement().satisfies(t -> {
            assertThat(t.id()).isEqualTo(StarsRefundAttempts.lossId(CH1));
            assertThat(t.kind()).isEqualTo(TransferKind.STARS_REFUND_LOSS);
            assertThat(t.debit()).isEqualTo(AccountId.STARS_REFUND_LOSS);
            assertThat(t.credit()).isEqualTo(AccountId.STARS_CLEARING);
            assertThat(t.amount()).isEqualTo(5_000);
        });
        assertThat(h.stores.ledger().balance(AccountId.STARS_CLEARING).posted())
                .as("the Stars went back whole: the clearing account owes nothing for ch-1").isZero();
        assertThat(toAdmin(told)).singleElement().asString().contains("Telegram refunded 50\u00A0⭐ for payment "
                + CH1 + " to user " + U, "only 25\u00A0₽ could be taken", "The shop loses 50\u00A0₽");
        assertThat(h.stores.audit().byCorrelation(CH1)).filteredOn(e -> e.action().equals(TopUps.LOSS_TOLD))
                .hasSize(1);

        assertThat(toAdmin(report())).as("reported again: told before").isEmpty();
        assertThat(losses()).hasSize(1);
        assertThat(lastText(h.admin("find", CH1))).contains("losses on Stars refunds");
    }

    @Test
    void moneyHeldByARunningJobIsPartOfTheLoss() {
        h.runningFoxImage(U);
        long held = h.stores.ledger().balance(AccountId.wallet(U)).debitsPending();
        assertThat(held).isPositive();
        report();
        assertThat(h.stores.ledger().transfers(AccountId.wallet(U))).as("what was free was taken back")
                .filteredOn(t -> t.kind() == TransferKind.STARS_REFUND).singleElement()
                .satisfies(t -> assertThat(t.amount()).isEqualTo(7_500 - held));
        assertThat(losses()).as("what the job holds is lost").singleElement()
                .satisfies(t -> assertThat(t.amount()).isEqualTo(held));
        assertThat(lastText(h.admin("refund_stars", CH1))).contains("already refunded");
    }

    @Test
    void theExportShowsTheLossAsMoneyReturnedByTheUserItWasPaidBy() {
        spend(5_000);
        report();
        h.messenger.drain();
        Reply.UploadMedia file = h.admin("export", "").stream().filter(Reply.UploadMedia.class::isInstance)
                .map(Reply.UploadMedia.class::cast).findFirst().orElseThrow();
        String csv = new String(file.content(), StandardCharsets.UTF_8);
        assertThat(csv).contains("Stars refunded: spent by the user," + U + ",-50.00,RUB,"
                + StarsRefundAttempts.lossId(CH1));
        assertThat(file.caption()).contains("75\u00A0₽ received", "75\u00A0₽ returned");
    }
}
