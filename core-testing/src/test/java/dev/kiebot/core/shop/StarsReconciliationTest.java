package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static dev.kiebot.core.testing.ShopHarness.lastTextTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.payments.StarTransaction;
import dev.kiebot.core.payments.StarTransactionsRead;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /reconcile_stars}: the payments Telegram lists and the ledger lacks (a restore from an older backup) are
 * credited as their {@code successful_payment} would have been, once, whatever comes after; refunded ones and ones of
 * invoices the shop does not know are listed, never credited. One whose invoice was lost with the restore, of this
 * bot's payload form and of the Stars of one pack sold now, is credited by that pack.
 */
class StarsReconciliationTest {
    private static final long U = 42;
    private static final String CHARGE = "stxLostInTheRestore_0123456789abcdefghijklmnopqrstuvwxyz";
    private ShopHarness h;
    private Instant now;

    @BeforeEach
    void setUp() {
        h = new ShopHarness().startedByAdminAnd(U);
        now = h.clock.instant();
    }

    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    private static List<String> texts(List<Reply> replies) {
        return replies.stream().filter(Reply.SendText.class::isInstance).map(r -> ((Reply.SendText) r).text()).toList();
    }

    @Test
    void aPaymentTheLedgerLacksIsCreditedOnceAsItsSuccessfulPaymentWouldHaveBeen() {
        // the invoice went out and Telegram took the Stars; the successful_payment was handled after the backup
        String payload = h.invoiceFor50Stars(U);
        h.starTransactions.add(StarTransaction.payment(CHARGE, U, payload, 50, now.minus(Duration.ofHours(2))));

        List<Reply> replies = h.admin("reconcile_stars", "");

        assertThat(h.balance(U)).as("50 ⭐ credited as the package's 75 ₽").isEqualTo(7_500);
        assertThat(h.stores.ledger().find("stars:" + CHARGE)).as("under the payment's own ledger id").isPresent();
        assertThat(h.stores.payments().charge(CHARGE)).as("the charge recorded, refundable").isPresent();
        assertThat(lastTextTo(replies, U)).as("the user told as for the payment").contains("75");
        String answer = lastTextTo(replies, ShopHarness.ADMIN);
        assertThat(answer).contains("Payments for packages: 1", "Credited now: 1", "In the ledger already: 0",
                "Skipped: 0", "Credited to user User42 (id 42): 50\u00A0⭐", CHARGE);

        // the real successful_payment arrives late, then the admin asks again: nothing more is credited
        List<Reply> late = h.send(U, new Event.SuccessfulPayment(CHARGE, payload, "XTR", 50));
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(texts(late)).as("a re-delivered payment says nothing").isEmpty();
        String again = lastText(h.admin("reconcile_stars", "30"));
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(again).contains("Credited now: 0", "In the ledger already: 1");
    }

    @Test
    void aPaymentCreditedByTheReconciliationFirstIsNotCreditedAgainByItsLateSuccessfulPayment() {
        String payload = h.invoiceFor50Stars(U);
        h.starTransactions.add(StarTransaction.payment(CHARGE, U, payload, 50, now));
        h.admin("reconcile_stars", "1");
        h.send(U, new Event.SuccessfulPayment(CHARGE, payload, "XTR", 50));
        h.admin("reconcile_stars", "1");

        assertThat(h.balance(U)).isEqualTo(7_500);
    }

    /**
     * Telegram's refund of a payment the shop did not know yet (its ledger restored from before it) reported while the
     * run had read Telegram's list already: credited, the user would have his Stars back and the credit (review Q1).
     */
    @Test
    void aPaymentWhoseRefundWasReportedAfterTheListWasReadIsNotCredited() {
        String payload = h.invoiceFor50Stars(U);
        h.starTransactions.add(StarTransaction.payment(CHARGE, U, payload, 50, now.minus(Duration.ofHours(2))));
        h.send(U, new Event.RefundedPayment(CHARGE, payload, "XTR", 50));

        String answer = lastTextTo(h.admin("reconcile_stars", ""), ShopHarness.ADMIN);

        assertThat(h.balance(U)).as("nothing credited: the Stars went back").isZero();
        assertThat(h.stores.ledger().find("stars:" + CHARGE)).isEmpty();
        assertThat(answer).contains("Credited now: 0", "Telegram gave the Stars back already");
    }

    @Test
    void refundedPaymentsUnknownInvoicesAndOldOnesAreNotCredited() {
        String payload = h.invoiceFor50Stars(U);
        String other = h.invoiceFor50Stars(U);
        h.starTransactions.add(
                StarTransaction.payment("refunded-1", U, payload, 50, now.minus(Duration.ofHours(3))),
                StarTransaction.refund("refunded-1", U, payload, 50, now.minus(Duration.ofHours(1))),
                StarTransaction.payment("foreign-1", U, "gift:issued-after-the-backup", 50, now.minusSeconds(60)),
                StarTransaction.payment("wrong-amount", U, other, 100, now.minusSeconds(30)),
                StarTransaction.payment("too-old", U, other, 50, now.minus(Duration.ofDays(8))),
                // a withdrawal to Fragment: no user, no invoice
                new StarTransaction("withdrawal-1", 500, now, false, Optional.empty(), Optional.empty()));

        String answer = lastTextTo(h.admin("reconcile_stars", ""), ShopHarness.ADMIN);

        assertThat(h.balance(U)).as("nothing credited").isZero();
        assertThat(h.stores.ledger().find("stars:too-old")).isEmpty();
        assertThat(answer).contains("Payments for packages: 3", "Credited now: 0", "Skipped: 3",
                "Telegram gave the Stars back already: user User42 (id 42), 50\u00A0⭐, charge refunded-1",
                "the ledger has no such invoice: user User42 (id 42), 50\u00A0⭐, charge foreign-1",
                "/topup_user 42 <amount>",
                "does not match its invoice", "charge wrong-amount").doesNotContain("too-old", "withdrawal-1");
    }

    @Test
    void aPaymentWhoseInvoiceWasLostWithTheRestoreIsCreditedByItsPackOnce() {
        // issued after the backup: the invoice is nowhere in the restored store, the payment is in Telegram's list
        String payload = "topup:" + UUID.randomUUID();
        h.starTransactions.add(StarTransaction.payment(CHARGE, U, payload, 100, now.minus(Duration.ofHours(2))));

        List<Reply> replies = h.admin("reconcile_stars", "");

        assertThat(h.balance(U)).as("100 ⭐ credited as the 100 ⭐ pack's 150 ₽ today").isEqualTo(15_000);
        assertThat(h.stores.ledger().find("stars:" + CHARGE)).as("under the payment's own ledger id").isPresent();
        assertThat(h.stores.payments().charge(CHARGE)).as("the charge recorded, refundable").isPresent();
        assertThat(h.stores.payments().invoice(payload)).as("its invoice kept again, paid by it")
                .hasValueSatisfying(i -> assertThat(i.paidChargeId()).contains(CHARGE));
        assertThat(lastTextTo(replies, U)).as("the user told as for the payment").contains("150");
        assertThat(lastTextTo(replies, ShopHarness.ADMIN)).contains("Credited now: 1", "Skipped: 0",
                "Credited to user User42 (id 42) by the package (no invoice on record): 100\u00A0⭐", CHARGE);
        assertThat(h.stores.audit().byCorrelation(CHARGE)).as("the accountant reads where the amount came from")
                .anySatisfy(e -> {
                    assertThat(e.action()).isEqualTo("topup.stars_by_pack");
                    assertThat(e.detail()).startsWith("by pack, invoice not on record: 100 XTR -> 15000");
                });
        assertThat(lastText(h.admin("find", CHARGE))).contains("no invoice on record");

        // the real successful_payment arrives late, then the admin asks again: nothing more is credited
        List<Reply> late = h.send(U, new Event.SuccessfulPayment(CHARGE, payload, "XTR", 100));
        assertThat(texts(late)).as("a re-delivered payment says nothing").isEmpty();
        assertThat(h.stores.payments().uncredited(CHARGE)).as("nor is it kept as not credited").isEmpty();
        String again = lastTextTo(h.admin("reconcile_stars", ""), ShopHarness.ADMIN);
        assertThat(again).contains("Credited now: 0", "In the ledger already: 1");
        assertThat(h.balance(U)).isEqualTo(15_000);
        assertThat(h.stores.audit().byCorrelation(CHARGE)).filteredOn(e -> e.action().equals("topup.stars_by_pack"))
                .as("one credit, one line").hasSize(1);
    }

    /**
     * A payer whose first update came after the backup is lost with it, invoice and all: Telegram's transaction names
     * him, and the payment went to his private chat. He is created as his first /start creates him, without the
     * welcome bonus (given at his lost first sight), and credited once, told as for the payment.
     */
    @Test
    void aPaymentOfAPayerTheRestoreLostCreatesHimWithoutTheWelcomeBonusAndCreditsItOnce() {
        h = new ShopHarness(dev.kiebot.core.testing.TestCatalog.catalog(),
                dev.kiebot.core.conversation.ShopSettings.defaults().withAdmins(java.util.Set.of(ShopHarness.ADMIN))
                        .withAdmission(dev.kiebot.core.intake.AdmissionPolicy.off()).withWelcomeBonus(3_000))
                .startedByAdminAnd();
        long lost = 77;
        assertThat(h.stores.users().find(lost)).as("not in the restored store").isEmpty();
        String payload = "topup:" + UUID.randomUUID();
        h.starTransactions.add(StarTransaction.payment(CHARGE, lost, payload, 100, now.minus(Duration.ofHours(2))));

        List<Reply> replies = h.admin("reconcile_stars", "");

        assertThat(h.stores.users().find(lost)).as("created as a first /start creates him").isPresent();
        assertThat(h.balance(lost)).as("the 100 ⭐ pack's 150 ₽, and no welcome bonus").isEqualTo(15_000);
        assertThat(h.stores.ledger().find("welcome:" + lost)).isEmpty();
        assertThat(h.stores.ledger().find("stars:" + CHARGE)).as("under the payment's own ledger id").isPresent();
        assertThat(lastTextTo(replies, lost)).as("told in his private chat, as for the payment").contains("150");
        assertThat(lastTextTo(replies, ShopHarness.ADMIN)).contains("Credited now: 1", "Skipped: 0",
                "Credited to user id 77 by the package", CHARGE, "the user was not in the database");

        // the next run, and his own /start after it: nothing more, no bonus (he is no first sight)
        String again = lastTextTo(h.admin("reconcile_stars", ""), ShopHarness.ADMIN);
        assertThat(again).contains("Credited now: 0", "In the ledger already: 1");
        h.send(lost, new Event.Command("start", ""));
        assertThat(h.balance(lost)).isEqualTo(15_000);
    }

    /** The same for a payer lost while his invoice was kept (a store whose users and invoices went apart). */
    @Test
    void aPaymentOfAnInvoiceWhosePayerIsMissingCreatesHimAndCreditsIt() {
        long lost = 78;
        h.stores.payments().saveInvoice(new dev.kiebot.core.payments.Invoice("topup:kept", lost, 50, 7_500,
                now.minus(Duration.ofHours(3))));
        h.starTransactions.add(StarTransaction.payment(CHARGE, lost, "topup:kept", 50, now.minus(Duration.ofHours(2))));

        List<Reply> replies = h.admin("reconcile_stars", "");

        assertThat(h.balance(lost)).isEqualTo(7_500);
        assertThat(lastTextTo(replies, lost)).contains("75");
        assertThat(lastTextTo(replies, ShopHarness.ADMIN)).contains("Credited now: 1",
                "Credited to user id 78: 50\u00A0⭐", "the user was not in the database");
    }

    @Test
    void aLostInvoicesPaymentOfStarsNoPackSellsNowIsListedNotCredited() {
        // the shop sold a 60 ⭐ pack when the payment was made; it sells 50, 100, 250, 500 and 1000 now
        String payload = "topup:" + UUID.randomUUID();
        h.starTransactions.add(StarTransaction.payment(CHARGE, U, payload, 60, now.minusSeconds(60)));

        String answer = lastTextTo(h.admin("reconcile_stars", ""), ShopHarness.ADMIN);

        assertThat(h.balance(U)).isZero();
        assertThat(h.stores.ledger().find("stars:" + CHARGE)).isEmpty();
        assertThat(h.stores.payments().invoice(payload)).as("no invoice made up").isEmpty();
        assertThat(answer).contains("Credited now: 0", "Skipped: 1", "no package of 60\u00A0⭐ is sold now",
                "charge " + CHARGE, "/topup_user 42");
    }

    /**
     * A payer the shop does not know is named «ID 99», not «пользователь 99» (read as a count), and the command the
     * line suggests still takes his bare id.
     */
    @Test
    void aPayerTheShopDoesNotKnowIsNamedByHisIdAndTheCommandTakesTheBareId() {
        h = new ShopHarness().speaking("ru").startedByAdminAnd(U);
        h.starTransactions.add(StarTransaction.payment("foreign-99", 99, "gift:issued-after-the-backup", 50, now));

        String answer = lastTextTo(h.admin("reconcile_stars", ""), ShopHarness.ADMIN);

        assertThat(answer).contains("такого счёта нет в учёте: пользователь ID 99, 50\u00A0⭐, платёж foreign-99",
                "/topup_user 99 <сумма>");
    }

    @Test
    void aLostInvoicesPaymentWhosePayloadIsNotOfOurFormIsListedNotCredited() {
        String uuid = UUID.randomUUID().toString();
        List<String> foreign = List.of("gift:" + uuid, "topup:" + uuid.toUpperCase(java.util.Locale.ROOT),
                "topup:" + uuid + "0", "topup:1-1-1-1-1", "topup:", "x-topup:" + uuid);
        for (int i = 0; i < foreign.size(); i++) {
            h.starTransactions.add(StarTransaction.payment("foreign-" + i, U, foreign.get(i), 50, now.minusSeconds(i)));
        }

        String answer = lastTextTo(h.admin("reconcile_stars", ""), ShopHarness.ADMIN);

        assertThat(h.balance(U)).isZero();
        assertThat(answer).contains("Credited now: 0", "Skipped: " + foreign.size(), "the ledger has no such invoice",
                "/topup_user 42").doesNotContain("by the package");
        foreign.forEach(p -> assertThat(h.stores.payments().invoice(p)).isEmpty());
    }

    @Test
    void theAnswerIsRussianForARussianAdmin() {
        h = new ShopHarness().speaking("ru").startedByAdminAnd(U);
        String payload = h.invoiceFor50Stars(U);
        h.starTransactions.add(StarTransaction.payment(CHARGE, U, payload, 50, now));

        String answer = lastTextTo(h.admin("reconcile_stars", ""), ShopHarness.ADMIN);

        assertThat(answer).startsWith("⭐ Сверка с Telegram за 7\u00A0дней").contains("Зачислено сейчас: 1 на 75",
                "Зачислено пользователю User42 (ID 42): 50\u00A0⭐");
    }

    @Test
    void aCreditByPackIsSaidInRussianToARussianAdmin() {
        h = new ShopHarness().speaking("ru").startedByAdminAnd(U);
        h.starTransactions.add(StarTransaction.payment(CHARGE, U, "topup:" + UUID.randomUUID(), 50, now),
                StarTransaction.payment("repriced-1", U, "topup:" + UUID.randomUUID(), 60, now));

        String answer = lastTextTo(h.admin("reconcile_stars", ""), ShopHarness.ADMIN);

        assertThat(answer).contains("Зачислено пользователю User42 (ID 42) по пакету (счёта нет в учёте): 50\u00A0⭐",
                "пакета за 60\u00A0⭐ сейчас нет в продаже", "пользователь User42 (ID 42), платёж", "/topup_user 42 <сумма>");
        assertThat(lastText(h.admin("find", CHARGE))).contains("пополнение звёздами по пакету (счёта нет в учёте)",
                "по цене пакета, сверкой администратора");
    }

    @Test
    void aUsersReconcileMovesNothingAndAsksTelegramNothing() {
        String payload = h.invoiceFor50Stars(U);
        h.starTransactions.add(StarTransaction.payment(CHARGE, U, payload, 50, now));

        List<Reply> replies = h.send(U, new Event.Command("reconcile_stars", ""));

        assertThat(h.balance(U)).isZero();
        assertThat(h.starTransactions.calls()).isEmpty();
        assertThat(lastText(replies)).contains("admin");
    }

    @Test
    void telegramFailingMidWayCreditsNothingAndSaysSo() {
        String payload = h.invoiceFor50Stars(U);
        // a full first page, then Telegram gives up (a 429 beyond patience)
        h.starTransactions.add(StarTransaction.payment(CHARGE, U, payload, 50, now));
        IntStream.range(0, 99).forEach(i -> h.starTransactions.add(new StarTransaction("w" + i, 1, now, false,
                Optional.empty(), Optional.empty())));
        List<StarTransaction> firstPage = ((StarTransactionsRead.Page) h.starTransactions.page(0, 100)).transactions();
        h.starTransactions.thenAnswer(new StarTransactionsRead.Page(firstPage),
                new StarTransactionsRead.Failed("getStarTransactions failed: 429 Too Many Requests: retry after 60"));

        String answer = lastTextTo(h.admin("reconcile_stars", ""), ShopHarness.ADMIN);

        assertThat(h.balance(U)).as("nothing credited from a list read in part").isZero();
        assertThat(answer).contains("did not give the list", "429", "Nothing was credited");
        // Telegram answers again: the next run credits it
        h.admin("reconcile_stars", "");
        assertThat(h.balance(U)).isEqualTo(7_500);
    }

    @Test
    void aBadNumberOfDaysGetsTheUsageAndAsksTelegramNothing() {
        assertThat(lastText(h.admin("reconcile_stars", "365"))).contains("/reconcile_stars [days, 1 to 90");
        assertThat(lastText(h.admin("reconcile_stars", "week"))).contains("/reconcile_stars [days");
        assertThat(h.starTransactions.calls()).isEmpty();
    }
}
