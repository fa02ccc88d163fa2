package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.broadcast.BroadcastState;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobDraft;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.payments.Invoice;
import dev.kiebot.core.payments.ManualTopUp;
import dev.kiebot.core.payments.ManualTopUpState;
import dev.kiebot.core.payments.UncreditedRefund;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ScriptedStarsRefunds;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.users.User;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Money moves only for what the bot itself issued; a user's flood or double tap changes nothing twice;
 * broadcasts are durable background work.
 */
class TrustBoundariesTest {
    private static final long U = 42;
    private static final long MALLORY = 66;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(ShopHarness.ADMIN, "start");
    }

    private List<Reply> pay(long user, String payload, String currency, long stars, String charge) {
        return h.send(user, new Event.SuccessfulPayment(charge, payload, currency, stars));
    }

    private List<AuditEvent> anomalies() {
        return h.stores.audit().recent(100).stream().filter(e -> e.action().equals(TopUps.ANOMALY)).toList();
    }

    private void assertLedgerClean() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    @Test
    void theInvoiceTheBotIssuedIsCreditedOnceWithItsOwnAmount() {
        String payload = h.invoiceFor50Stars(U);
        assertThat(lastText(pay(U, payload, "XTR", 50, "ch-1"))).contains("Balance topped up", "75\u00A0₽");
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(pay(U, payload, "XTR", 50, "ch-1")).as("a replay says nothing").isEmpty();
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(anomalies()).isEmpty();
        assertLedgerClean();
    }

    @Test
    void nothingButThatInvoiceCreditsAnything() {
        String payload = h.invoiceFor50Stars(U);
        h.command(MALLORY, "start");
        List<List<Reply>> attempts = List.of(
                pay(U, "topup:never-issued", "XTR", 50_000, "forged-1"),
                pay(U, payload, "USD", 50, "forged-2"),
                pay(U, payload, "XTR", 5_000, "forged-3"),
                pay(U, payload, "XTR", 0, "forged-4"),
                pay(U, payload, "XTR", -50, "forged-5"),
                pay(MALLORY, payload, "XTR", 50, "forged-6"));
        for (List<Reply> r : attempts) {
            assertThat(lastText(r)).doesNotContain("Balance topped up");
        }
        assertThat(h.balance(U)).isZero();
        assertThat(h.balance(MALLORY)).isZero();
        assertThat(h.stores.ledger().transfers(AccountId.STARS_CLEARING)).isEmpty();
        assertThat(anomalies()).hasSize(6);
        // the real payment still works afterwards
        pay(U, payload, "XTR", 50, "ch-real");
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(anomalies()).hasSize(6);
        assertLedgerClean();
    }

    /**
     * A payment of the user's own invoice that came without its amount (Telegram always sends one; kiebot's translator
     * reads a missing one as 0) credits nothing, and is not told as «paid 0 ⭐» or «not for any invoice», which sent
     * the admin away from a charge that may have taken the user's Stars: the user reads it was not credited and where
     * to turn, the audit line and the admins' alert that it came without its amount; it is kept for a refund.
     */
    @Test
    void aPaymentOfOnesOwnInvoiceWithoutItsAmountCreditsNothingAndIsToldAsNotCredited() {
        String payload = h.invoiceFor50Stars(U);
        List<Reply> r = pay(U, payload, "XTR", 0, "ch-no-amount");
        assertThat(r).filteredOn(Reply.SendText.class::isInstance).map(Reply.SendText.class::cast)
                .filteredOn(t -> t.chatId() == U).singleElement().extracting(Reply.SendText::text).asString()
                .contains("it was not credited", "/paysupport", "ch-no-amount");
        assertThat(h.balance(U)).isZero();
        assertThat(h.stores.ledger().transfers(AccountId.STARS_CLEARING)).isEmpty();
        assertThat(anomalies()).singleElement().extracting(AuditEvent::detail).asString()
                .startsWith("no amount given; the invoice is for 50");
        assertThat(h.stores.payments().uncredited("ch-no-amount")).isPresent();
        // the real payment of it still works afterwards
        pay(U, payload, "XTR", 50, "ch-real");
        assertThat(h.balance(U)).isEqualTo(7_500);
    }

    /**
     * The same invoice paid from two devices within seconds: both pre-checkouts were answered yes before either
     * payment came, and Telegram took both. The second credited nothing and its Stars waited for an admin's
     * /refund_stars; each charge now credits once, and the invoice is paid by the first.
     */
    @Test
    void anInvoicePaidFromTwoDevicesCreditsEachChargeOnce() {
        String payload = h.invoiceFor50Stars(U);
        assertThat(lastText(pay(U, payload, "XTR", 50, "ch-phone"))).contains("Balance topped up", "75\u00A0₽");
        assertThat(lastText(pay(U, payload, "XTR", 50, "ch-laptop"))).contains("Balance topped up", "150\u00A0₽");
        assertThat(pay(U, payload, "XTR", 50, "ch-laptop")).as("a replay says nothing").isEmpty();
        assertThat(pay(U, payload, "XTR", 50, "ch-phone")).as("a replay says nothing").isEmpty();
        assertThat(h.balance(U)).isEqualTo(15_000);
        assertThat(anomalies()).isEmpty();
        assertThat(h.stores.payments().uncredited("ch-laptop")).isEmpty();
        assertThat(h.stores.payments().charge("ch-laptop")).as("refundable on its own").isPresent();
        assertThat(h.stores.payments().invoice(payload).orElseThrow().paidChargeId()).contains("ch-phone");
        assertLedgerClean();
    }

    /**
     * A charge is one payment: its id reported again under another invoice of the same user (a client replaying the
     * update with the payload changed) credits nothing more, and is an anomaly the admins hear of; the second invoice
     * stays unpaid.
     */
    @Test
    void theSameChargeUnderASecondInvoiceCreditsNothingMore() {
        String first = h.invoiceFor50Stars(U);
        pay(U, first, "XTR", 50, "ch-1");
        assertThat(h.balance(U)).isEqualTo(7_500);
        String second = h.invoiceFor50Stars(U);

        List<Reply> again = pay(U, second, "XTR", 50, "ch-1");

        assertThat(lastText(again)).doesNotContain("Balance topped up");
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(anomalies()).hasSize(1);
        assertThat(h.stores.payments().invoice(second).orElseThrow().paidChargeId()).isEmpty();
        assertLedgerClean();
    }

    @Test
    void anAnomalyIsAuditedWithItsUpdateAndAlertsTheAdminsOncePerCharge() {
        List<Reply> first = pay(U, "topup:made-up", "XTR", 100, "forged-x");
        assertThat(first).anySatisfy(r -> assertThat(r.chatId()).isEqualTo(ShopHarness.ADMIN));
        assertThat(first).anySatisfy(r -> assertThat(r.chatId()).isEqualTo(U));
        List<Reply> second = pay(U, "topup:made-up", "XTR", 100, "forged-x");
        assertThat(second).noneSatisfy(r -> assertThat(r.chatId()).isEqualTo(ShopHarness.ADMIN));
        assertThat(anomalies()).hasSize(2).allSatisfy(e -> {
            assertThat(e.detail()).contains("update ");
            assertThat(e.correlationId()).contains("pay:forged-x");
        });
    }

    /**
     * A Russian admin read «⚠️ Платёж не зачислен (пользователь ***42): no invoice with this payload.»: the reason is
     * said in the admin's language, each one; the record keeps its English form for the log. The payer is named as
     * /topup_user names him, with his full id.
     */
    @Test
    void aPaymentNotCreditedIsExplainedInTheAdminsLanguage() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        String payload = h.invoiceFor50Stars(U);
        h.command(MALLORY, "start");
        Map<String, String> why = new java.util.LinkedHashMap<>();
        why.put("в платеже назван счёт, которого бот не выставлял", alertOf(pay(U, "topup:never-issued", "XTR", 50, "f-1")));
        why.put("счёт выставлен другому пользователю", alertOf(pay(MALLORY, payload, "XTR", 50, "f-2")));
        why.put("оплачено не звёздами (валюта USD)", alertOf(pay(U, payload, "USD", 50, "f-3")));
        why.put("оплачено 49\u00A0⭐, а счёт на 50\u00A0⭐", alertOf(pay(U, payload, "XTR", 49, "f-4")));
        pay(U, payload, "XTR", 50, "f-5");
        String another = h.invoiceFor50Stars(U);
        why.put("счёт уже оплачен, или номер платежа пришёл повторно", alertOf(pay(U, another, "XTR", 50, "f-5")));
        why.forEach((words, alert) -> {
            assertThat(alert).as("his full id, for /find and /refund_stars").matches("(?s)⚠️ Платёж не зачислен "
                            + "— платил .*\\(ID (" + U + "|" + MALLORY + ")\\): .*")
                    .contains("): " + words + ". Номер платежа f-").doesNotContain("pay:");
            assertThat(alert.substring(alert.indexOf("): "), alert.indexOf(". Номер")))
                    .as("no English words in the reason").doesNotContainPattern("[a-z]{2,}");
        });
        assertThat(h.stores.payments().uncredited("f-1")).hasValueSatisfying(c ->
                assertThat(c.reason()).as("recorded as before").isEqualTo("no invoice with this payload"));
        assertThat(lastText(h.admin("find", "f-4"))).contains("не зачислен: оплачено 49\u00A0⭐, а счёт на 50\u00A0⭐",
                " · платёж не зачислен — оплачено 49\u00A0⭐, а счёт на 50\u00A0⭐; номер сообщения Telegram о платеже ")
                .doesNotContain("amount 49", "instead of");
    }

    /**
     * A payment's reason recorded before the reasons were said in words (the same English forms) reads in words; one
     * of no form the bot writes is shown as recorded, said to be that.
     */
    @Test
    void aReasonRecordedBeforeReadsInWords() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        h.stores.payments().recordUncredited(new dev.kiebot.core.payments.UncreditedCharge("old-1", U, "topup:x", 50,
                "the ledger refused the credit: Rejected[reason=SAME_ACCOUNT, detail=stars:old-1]",
                h.clock.instant()));
        h.stores.payments().recordUncredited(new dev.kiebot.core.payments.UncreditedCharge("old-2", U, "topup:y", 50,
                "something else", h.clock.instant()));
        assertThat(lastText(h.admin("find", "old-1")))
                .contains("не зачислен: учёт не принял зачисление: проводка со счёта на тот же счёт")
                .doesNotContain("SAME_ACCOUNT", "Rejected");
        assertThat(lastText(h.admin("find", "old-2"))).contains("не зачислен: причина записана так: «something else»");
    }

    /** The admin's message about a payment not credited, among the replies to it. */
    private static String alertOf(List<Reply> replies) {
        return replies.stream().filter(r -> r.chatId() == ShopHarness.ADMIN)
                .map(r -> ((Reply.SendText) r).text()).findFirst().orElseThrow();
    }

    @Test
    void preCheckoutRefusesWhatWasNotIssuedOrIsPaid() {
        String payload = h.invoiceFor50Stars(U);
        assertThat(preCheckout(U, payload, "XTR", 50)).isTrue();
        assertThat(preCheckout(U, payload, "XTR", 49)).isFalse();
        assertThat(preCheckout(U, payload, "EUR", 50)).isFalse();
        assertThat(preCheckout(MALLORY, payload, "XTR", 50)).isFalse();
        assertThat(preCheckout(U, "topup:nope", "XTR", 50)).isFalse();
        pay(U, payload, "XTR", 50, "ch-1");
        assertThat(preCheckout(U, payload, "XTR", 50)).as("paid already").isFalse();
    }

    /**
     * An invoice's amount was fixed at the Star price of its day, and Telegram keeps it payable for ever: an old one is
     * refused before any Star moves, with the words that send the user to a new one; a payment Telegram completed
     * after a yes still credits, however late it arrives.
     */
    @Test
    void preCheckoutRefusesAnInvoiceOlderThanItsPayableTime() {
        String late = h.invoiceFor50Stars(U);
        h.clock.advance(Invoice.PAYABLE_FOR.minusSeconds(1));
        String fresh = h.invoiceFor50Stars(U);
        assertThat(preCheckout(U, late, "XTR", 50)).as("still payable a second before its end").isTrue();
        h.clock.advance(Duration.ofSeconds(1));

        List<Reply> answer = h.send(U, new Event.PreCheckout("q", late, "XTR", 50));
        assertThat(answer).singleElement().isInstanceOfSatisfying(Reply.AnswerPreCheckout.class, a -> {
            assertThat(a.ok()).isFalse();
            assertThat(a.error()).contains("This payment link is outdated. Please open /topup again.");
        });
        assertThat(preCheckout(U, fresh, "XTR", 50)).isTrue();
        pay(U, late, "XTR", 50, "ch-late");
        assertThat(h.balance(U)).as("a payment completed after a yes credits").isEqualTo(7_500);
        assertLedgerClean();
    }

    /**
     * A user's name is shown to the admins next to amounts: one written with a line separator, a newline or a
     * direction mark cannot start a line of its own in their message (a fake "Amount" line) nor turn the text after
     * it around; its letters and emoji stay.
     */
    @Test
    void aNameCannotFakeALineOfTheAdminsMessage() {
        String forged = "Ivan\u2028Amount: 1 000 000 ₽\n\u202EUser 👨\u200D👩\u200D👧";
        Actor actor = new Actor(U, U, forged, Optional.empty(), Optional.of("en"));
        assertThat(actor.firstName()).isEqualTo("Ivan Amount: 1 000 000 ₽ User 👨\u200D👩\u200D👧");

        h.sendAs(actor, new Event.Command("paysupport", ""));
        List<Reply> sent = h.sendAs(actor, new Event.Text("Paid, nothing came"));
        String toAdmin = sent.stream().filter(r -> r.chatId() == ShopHarness.ADMIN)
                .map(r -> ((Reply.SendText) r).text()).findFirst().orElseThrow();
        assertThat(toAdmin.lines().findFirst().orElseThrow())
                .contains("from Ivan Amount: 1 000 000 ₽ User 👨\u200D👩\u200D👧 (id " + U + ")");
        assertThat(toAdmin).doesNotContain("\u2028", "\u202E");
        assertThat(h.stores.users().find(U).orElseThrow().firstName()).as("stored as shown")
                .isEqualTo(actor.firstName());
    }

    private boolean preCheckout(long user, String payload, String currency, long stars) {
        return h.send(user, new Event.PreCheckout("q", payload, currency, stars)).stream()
                .filter(Reply.AnswerPreCheckout.class::isInstance).map(r -> ((Reply.AnswerPreCheckout) r).ok())
                .findFirst().orElseThrow();
    }

    @Test
    void aRefundOfAnUnknownChargeChangesNothingAKnownOneTakesBackWhatIsLeft() {
        String payload = h.invoiceFor50Stars(U);
        pay(U, payload, "XTR", 50, "ch-1");
        assertThat(lastText(h.send(U, new Event.RefundedPayment("ch-unknown", payload, "XTR", 50))))
                .contains("refunded");
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(h.stores.audit().recent(50)).anySatisfy(e -> assertThat(e.action()).isEqualTo("refund.stars_unknown"));
        // spend part of it (an admin-side debit stands in for a generation), then Telegram refunds
        h.stores.ledger().transfer("spent", AccountId.wallet(U), AccountId.REVENUE, 5_000,
                dev.kiebot.core.ledger.TransferKind.GENERATION);
        assertThat(lastText(h.send(U, new Event.RefundedPayment("ch-1", payload, "XTR", 50))))
                .contains("25\u00A0₽", "taken");
        assertThat(h.balance(U)).isZero();
        h.send(U, new Event.RefundedPayment("ch-1", payload, "XTR", 50));
        assertThat(h.balance(U)).isZero();
        assertLedgerClean();
    }

    /** A refund reported in another user's update names a charge that is not theirs: nobody's wallet changes. */
    @Test
    void aRefundReportedForSomebodyElsesChargeTakesNothing() {
        String payload = h.invoiceFor50Stars(U);
        pay(U, payload, "XTR", 50, "ch-1");
        h.command(MALLORY, "start");
        h.topUp(MALLORY, 1_000);

        h.send(MALLORY, new Event.RefundedPayment("ch-1", payload, "XTR", 50));

        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(h.balance(MALLORY)).isEqualTo(1_000);
        assertThat(h.stores.audit().recent(50)).anySatisfy(e -> assertThat(e.action()).isEqualTo("refund.stars_unknown"));
        // the payer's own report still takes the credit back
        h.send(U, new Event.RefundedPayment("ch-1", payload, "XTR", 50));
        assertThat(h.balance(U)).isZero();
        assertLedgerClean();
    }

    @Test
    void aFloodGetsOnePoliteAnswerAdminsAndPaymentsAreNeverLimited() {
        ShopHarness limited = ShopHarness.withLimits();
        int answered = 0;
        int told = 0;
        for (int i = 0; i < 60; i++) {
            List<Reply> r = limited.text(U, "hello " + i);
            if (!r.isEmpty() && lastText(r).contains("Too many messages")) {
                told++;
            } else if (!r.isEmpty()) {
                answered++;
            }
        }
        assertThat(answered).isEqualTo(30);
        assertThat(told).isEqualTo(1);
        assertThat(limited.send(U, new Event.PreCheckout("q", "topup:x", "XTR", 50)))
                .as("payments are Telegram's, never refused").singleElement().isInstanceOf(Reply.AnswerPreCheckout.class);
        for (int i = 0; i < 60; i++) {
            assertThat(limited.command(ShopHarness.ADMIN, "help")).isNotEmpty();
        }
        limited.clock.advance(java.time.Duration.ofSeconds(3));
        assertThat(lastText(limited.text(U, "later"))).doesNotContain("Too many messages");
    }

    @Test
    void aDoubleTapOnAStarsPackMintsOneInvoice() {
        ShopHarness limited = ShopHarness.withLimits();
        limited.command(U, "topup");
        limited.press(U, "*|y");
        List<Reply> first = limited.press(U, "*|t|50");
        List<Reply> second = limited.press(U, "*|t|50");
        assertThat(first).filteredOn(Reply.SendInvoice.class::isInstance).hasSize(1);
        assertThat(second).singleElement().isInstanceOf(Reply.AnswerCallback.class);
        limited.clock.advance(java.time.Duration.ofSeconds(3));
        assertThat(limited.press(U, "*|t|50")).filteredOn(Reply.SendInvoice.class::isInstance).hasSize(1);
    }

    /**
     * A Stars pack's button carries its amount, and an invoice's price is that amount times the star price: a press
     * forged to name an amount /topup never offered (one Star, a huge pack, a negative or malformed one) must not
     * mint an invoice, or a user could pick their own pack.
     */
    @Test
    void aForgedStarsPackMintsNoInvoice() {
        h.command(U, "topup");
        h.press(U, "*|y");
        for (String forged : List.of("1", "999999999", "-50", "50.5", "5e1", "050x", "")) {
            List<Reply> replies = h.press(U, "*|t|" + forged);
            assertThat(replies).as("pack " + forged).noneMatch(Reply.SendInvoice.class::isInstance);
            assertThat(replies).as("pack " + forged).anyMatch(Reply.AnswerCallback.class::isInstance);
        }
        assertThat(h.press(U, "*|t|50")).as("the offered pack still works")
                .filteredOn(Reply.SendInvoice.class::isInstance).singleElement()
                .extracting(r -> ((Reply.SendInvoice) r).stars()).isEqualTo(50L);
    }

    /**
     * «✅ Принимаю и оплачиваю N ₽» carries its pack too: a press forged to name a pack never offered accepts no terms
     * and mints no invoice (the terms are accepted only with an offered pack, or with none).
     */
    @Test
    void aForgedAcceptAndPayPackAcceptsNothingAndMintsNoInvoice() {
        h.command(U, "topup");
        for (String forged : List.of("1", "999999999", "-50", "50.5", "\u0665\u0660", "50\u200b", "5e1")) {
            List<Reply> replies = h.press(U, "*|y|" + forged);
            assertThat(replies).as("pack " + forged).noneMatch(Reply.SendInvoice.class::isInstance);
        }
        assertThat(h.stores.users().find(U).orElseThrow().termsAccepted()).as("no terms accepted by a forged pack")
                .isFalse();
        assertThat(h.press(U, "*|y|50")).as("the offered pack still works")
                .filteredOn(Reply.SendInvoice.class::isInstance).singleElement()
                .extracting(r -> ((Reply.SendInvoice) r).stars()).isEqualTo(50L);
    }

    /**
     * A modified client sends any data up to 64 bytes: numbers out of range, negative, beyond a {@code long}, in
     * other scripts' digits (which {@code Long.parseLong} reads: «٥٠» is 50), with a zero-width space, or no number at
     * all, in every button that takes one. Each is a stale button: no invoice, no job, no money moved.
     */
    @Test
    void oddNumbersInButtonsMintNothing() {
        h.command(U, "start");
        h.topUp(U, 10_000);
        h.command(U, "topup");
        h.press(U, "*|y");
        h.messenger.drain();
        for (String forged : List.of("*|h|-1", "*|h|99", "*|h|\u0661", "*|p|IMAGE:99999", "*|p|IMAGE:-1",
                "*|t|-50", "*|t|50000000000", "*|t|\u0665\u0660", "*|t|50\u200b", "*|!|-1",
                "*|!|9223372036854775807", "*|!|99999999999999999999", "*|!|\u0661", "*|a|gen_\u0661", "*|a|-1",
                "*|q|0", "*|l|xx", "*|l|", "*|v|../../etc", "*|g|img/m9\u200b", "999999999999999999|k|1",
                "9999999999999999999|k|1", "0|k|free", "-1|k|1", "*|k|1", "*|x", "*|#|500", "*|@", "*|%|x", "*|S|1",
                "*|+|1", "*|&|1:abc", "\u202e|m", "*|m|" + "\u0000".repeat(10), "*||", "|", "*|", "**|m")) {
            List<Reply> pressed = h.press(U, forged);
            assertThat(pressed).as(forged).noneMatch(Reply.SendInvoice.class::isInstance)
                    .allSatisfy(r -> assertThat(r.chatId()).isEqualTo(U));
        }
        h.work(10);
        assertThat(h.stores.jobs().recent(U, 1)).isEmpty();
        assertThat(h.balance(U)).isEqualTo(10_000);
        assertThat(h.stores.manualTopUps().recent(U, 1)).isEmpty();
        assertLedgerClean();
    }

    /**
     * A payment that credited nothing waits for an admin's refund. Telegram's report of its refund counts in its payer's
     * chat only: one in another user's marks nothing, and the payment stays to be refunded.
     */
    @Test
    void aRefundReportedForSomebodyElsesUncreditedPaymentLeavesItToBeRefunded() {
        h.command(U, "start");
        pay(U, "topup:never-issued", "XTR", 50, "ch-stray");
        h.command(MALLORY, "start");

        List<Reply> told = h.send(MALLORY, new Event.RefundedPayment("ch-stray", "topup:never-issued", "XTR", 50));

        assertThat(told).allSatisfy(r -> assertThat(r.chatId()).isEqualTo(MALLORY));
        assertThat(h.stores.payments().uncredited("ch-stray")).hasValueSatisfying(
                c -> assertThat(c.refund()).isEqualTo(UncreditedRefund.OPEN));
        // the payer's own report marks it refunded
        h.send(U, new Event.RefundedPayment("ch-stray", "topup:never-issued", "XTR", 50));
        assertThat(h.stores.payments().uncredited("ch-stray")).hasValueSatisfying(
                c -> assertThat(c.refund()).isEqualTo(UncreditedRefund.REFUNDED));
        assertLedgerClean();
    }

    /**
     * «Generate» carries the price its screen showed (a bad client may send any data): a press carrying another starts
     * nothing and holds nothing, and the order is shown again at its price.
     */
    @Test
    void aGenerateButtonCarryingAnotherPriceStartsNothing() {
        h.command(U, "start");
        h.topUp(U, 10_000);
        String generate = button(h.foxImageToConfirm(U), "Generate for");
        String forged = generate.substring(0, generate.lastIndexOf('|') + 1) + "1";

        List<Reply> pressed = h.press(U, forged);

        assertThat(h.stores.jobs().recent(U, 1)).isEmpty();
        assertThat(h.balance(U)).isEqualTo(10_000);
        assertThat(pressed).anySatisfy(r -> assertThat(r).isInstanceOfSatisfying(Reply.AnswerCallback.class,
                a -> assertThat(a.text()).hasValueSatisfying(t -> assertThat(t).contains("price has changed"))));
        assertThat(lastText(pressed)).contains("Price: 2.97\u00A0₽");
        assertLedgerClean();
    }

    /**
     * A button of an earlier screen is stale: «Generate» of an order the user has since replaced by another at the same
     * price starts neither, though the price it carries is the new order's too; the new order's confirmation comes
     * again, under a pop-up that says the button is outdated.
     */
    @Test
    void aGenerateButtonOfAnEarlierOrderStartsNothing() {
        h.command(U, "start");
        h.topUp(U, 10_000);
        String earlier = button(h.foxImageToConfirm(U), "Generate for");
        h.press(U, "*|g|img/m9");
        List<Reply> now = h.press(U, button(h.text(U, "wolf"), "1:1"));
        assertThat(lastText(now)).contains("wolf");

        List<Reply> pressed = h.press(U, earlier);

        assertThat(pressed).anySatisfy(r -> assertThat(r).isInstanceOfSatisfying(Reply.AnswerCallback.class,
                a -> assertThat(a.text()).hasValueSatisfying(t -> assertThat(t).contains("outdated"))));
        assertThat(lastText(pressed)).contains("wolf");
        assertThat(h.stores.jobs().recent(U, 1)).isEmpty();
        assertThat(h.balance(U)).isEqualTo(10_000);
        assertLedgerClean();
    }

    @Test
    void aDoubleTapOnGenerateOrResendStartsOneJobAndSendsTheResultOnce() {
        ShopHarness limited = ShopHarness.withLimits();
        limited.command(U, "start");
        limited.topUp(U, 10_000);
        User user = limited.stores.users().find(U).orElseThrow();
        Generations.Start s = limited.shop.generations().start(user, U, new Effect.StartJob("img/m9", "default",
                java.util.Map.of("prompt", "a cat"), java.util.Map.of(), 300, false));
        Job first = ((Generations.Start.Started) s).job();
        limited.work(10);
        limited.provider.succeed("task-1", "https://r/cat.png");
        limited.clock.advance(java.time.Duration.ofSeconds(5));
        limited.work(10);
        long balance = limited.balance(U);

        String generate = button(limited.press(U, "*|a|" + first.id().display()), "Generate");
        limited.press(U, generate);
        assertThat(limited.press(U, generate)).as("the second tap is only answered")
                .allSatisfy(r -> assertThat(r).isInstanceOf(Reply.AnswerCallback.class));
        List<Job> jobs = limited.stores.jobs().recent(U, 10);
        assertThat(jobs).hasSize(2);
        assertThat(limited.balance(U)).as("one charge for the second job").isEqualTo(balance - jobs.get(0).price());

        String resend = "*|r|" + first.id().display();
        assertThat(limited.press(U, resend)).filteredOn(Reply.SendMedia.class::isInstance).hasSize(1);
        assertThat(limited.press(U, resend)).filteredOn(Reply.SendMedia.class::isInstance).isEmpty();
        assertLedgerCleanIn(limited);
    }

    /**
     * A job's buttons carry its id, and ids are easy to guess ({@code gen_N}): only its owner's press acts on it.
     * Somebody else's "cancel" must not void the owner's hold, nor their "re-send" hand them the owner's result.
     */
    @Test
    void anotherUsersPressOnAJobsButtonNeitherCancelsItNorResendsIt() {
        h.command(U, "start");
        h.topUp(U, 10_000);
        h.orderAFoxImage(U);
        Job job = h.lastJob(U);
        assertThat(job.state()).isEqualTo(JobState.HELD);
        long balance = h.balance(U);
        h.command(MALLORY, "start");

        assertThat(lastText(h.press(MALLORY, "*|q|" + job.id().display()))).contains("outdated");
        assertThat(h.stores.jobs().find(job.id()).orElseThrow().state()).isEqualTo(JobState.HELD);
        assertThat(h.balance(U)).as("the hold stays").isEqualTo(balance);

        h.work(10);
        h.provider.succeed("task-1", "https://r/fox.png");
        h.clock.advance(java.time.Duration.ofSeconds(5));
        h.work(10);
        assertThat(h.stores.jobs().find(job.id()).orElseThrow().state()).isEqualTo(JobState.DELIVERED);
        List<Reply> resent = h.press(MALLORY, "*|r|" + job.id().display());
        assertThat(resent).noneMatch(Reply.SendMedia.class::isInstance)
                .allSatisfy(r -> assertThat(r.chatId()).isEqualTo(MALLORY));
        assertThat(lastText(resent)).contains("outdated");
        assertLedgerClean();
    }

    /**
     * «Again» shows a job's prompt and options for a new order, «as a file» sends its result: on another user's job
     * (its number guessed, as the job's id or its display) neither shows the presser anything of it, and his
     * «Generate» after it has no order of that job's to start at his cost.
     */
    @Test
    void anotherUsersAgainOrAsAFileShowsHimNothingOfTheJob() {
        h.command(U, "start");
        h.topUp(U, 10_000);
        Job job = h.runningFoxImage(U);
        h.provider.succeed(job.taskId().orElseThrow(), "https://r/fox.png");
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(h.stores.jobs().find(job.id()).orElseThrow().state()).isEqualTo(JobState.DELIVERED);
        h.command(MALLORY, "start");
        h.topUp(MALLORY, 10_000);
        h.messenger.drain();

        for (String forged : List.of("*|a|" + job.id().display(), "*|O|" + job.id().display(),
                "*|a|" + job.id().value(), "*|O|" + job.id().value())) {
            List<Reply> pressed = h.press(MALLORY, forged);
            assertThat(pressed.toString()).as(forged).doesNotContain("fox").doesNotContain("https://r/");
            assertThat(pressed).as(forged).noneMatch(Reply.SendMedia.class::isInstance)
                    .allSatisfy(r -> assertThat(r.chatId()).isEqualTo(MALLORY));
            assertThat(lastText(pressed)).as(forged).contains("outdated");
        }
        h.work(10);
        assertThat(h.stores.jobs().recent(MALLORY, 1)).isEmpty();
        assertThat(h.balance(MALLORY)).isEqualTo(10_000);
        assertLedgerClean();
    }

    /**
     * A job's «again» (and a confirm screen saved before a restart) keeps the values of its day. When the catalog has
     * since dropped one of its priced options (a 15 s clip with sound, now offered as 5 or 10 s), those values select
     * no price: quoted at the model's default instead, the dearer job went to the provider for the cheapest price
     * (42.90 ₽ for what cost 257.40 ₽). Nothing is held for them: the inputs are asked for again.
     */
    @Test
    void againOnAJobWhoseOptionTheCatalogDroppedShowsNoPriceAndStartsNothing() {
        h.command(U, "start");
        h.topUp(U, 100_000);
        Job old = h.stores.jobs().create(new JobDraft(U, U, "en", "kling/video", "duration=15,sound=true",
                Map.of("prompt", "a fox", "duration", "15", "sound", "true", "cfg_scale", "0.5"), Map.of(), 25_740,
                false, h.clock.instant(), h.clock.instant().plus(Duration.ofMinutes(30))));
        h.stores.jobs().update(old.failed("error.provider_failed"));

        List<Reply> again = h.press(U, "*|a|" + old.id().display());

        assertThat(lastText(again)).contains("options have changed").doesNotContain("Price");
        assertThat(again.toString()).doesNotContain("Generate");
        assertThat(h.session(U).state()).isInstanceOf(dev.kiebot.core.conversation.ChatState.Collecting.class);
        // a Generate of the screen the job's values would have made, pressed all the same, starts nothing either
        h.sessions().save(U, new dev.kiebot.core.conversation.ChatSession(h.session(U).version() + 1,
                new dev.kiebot.core.conversation.ChatState.Confirming("kling/video", old.values(), Map.of())));
        List<Reply> pressed = h.press(U, dev.kiebot.core.reply.CallbackData.current(h.session(U).version(),
                dev.kiebot.core.reply.CallbackAction.CONFIRM, "4290"));
        assertThat(lastText(pressed)).contains("options have changed");
        assertThat(h.stores.jobs().recent(U, 5)).singleElement().isEqualTo(h.stores.jobs().find(old.id()).orElseThrow());
        assertThat(h.balance(U)).isEqualTo(100_000);
        assertLedgerClean();
    }

    /** A PCM WAV of {@code seconds}: 1,000 samples a second, one byte each. */
    static byte[] wav(int seconds) {
        int data = seconds * 1_000;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + data)
                .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(1_000).putInt(1_000).putShort((short) 1)
                .putShort((short) 8).put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(data);
        return b.array();
    }

    /**
     * A clip field's price assumes its longest clip (Kie charges some models per second of the input: here a minute
     * at most), and the length Telegram reports with a file is what the sender's client wrote: anyone can send an
     * hour-long recording as "10 s" (through a bot of his own, forwarded, or an unofficial client). It is measured
     * before it goes out: such a job is refunded and nothing reaches the provider; an honest clip goes as before.
     */
    @Test
    void aRecordingWhoseSenderUnderstatedItsLengthIsRefundedNotSentAtThePriceOfAShortOne() {
        ShopHarness shop = withVoiceIsolation();
        List<Reply> told = orderEach(shop, "wav", 10, "an-hour", wav(3_600), "half-a-minute", wav(30));

        List<Job> jobs = shop.stores.jobs().recent(U, 5);
        assertThat(jobs.get(1).state()).as("the hour said to be 10 s").isEqualTo(JobState.FAILED);
        assertThat(jobs.get(0).state()).as("half a minute").isEqualTo(JobState.SUBMITTED);
        assertThat(shop.provider.submitted).hasSize(1);
        assertThat(shop.provider.uploads).containsExactly("half-a-minute.wav");
        assertThat(shop.balance(U)).as("only the honest clip paid for").isEqualTo(10_000 - jobs.get(0).price());
        assertThat(told.stream().filter(r -> r.chatId() == U).map(Object::toString))
                .anySatisfy(t -> assertThat(t).contains("longer than this model takes", "returned to your balance"));
        assertThat(Reconciliation.check(shop.stores.ledger())).isEmpty();
    }

    /**
     * Ogg Vorbis, as Audacity and many apps export it, passes the check on arrival («audio/ogg») and is measured: half
     * a minute goes to the provider, an hour whose pages say almost nothing (sent as "10 s") is refunded as too long.
     * Before, every such recording was charged, then refunded as one whose length cannot be read.
     */
    @Test
    void anOggVorbisRecordingIsMeasuredHalfAMinuteGoingAndAnHourRefunded() {
        ShopHarness shop = withVoiceIsolation();
        List<Reply> told = orderEach(shop, "ogg", 10, "an-hour", ClipLengthTest.vorbis(155_040, 1), "half-a-minute",
                ClipLengthTest.vorbis(1_292, 1_024));
        List<Job> jobs = shop.stores.jobs().recent(U, 5);
        assertThat(jobs.get(1).state()).as("the hour said to be 10 s").isEqualTo(JobState.FAILED);
        assertThat(jobs.get(0).state()).as("half a minute").isEqualTo(JobState.SUBMITTED);
        assertThat(shop.provider.uploads).containsExactly("half-a-minute.ogg");
        assertThat(told.stream().filter(r -> r.chatId() == U).map(Object::toString))
                .anySatisfy(t -> assertThat(t).contains("longer than this model takes", "returned to your balance"));
        assertThat(shop.balance(U)).as("only the half minute paid for").isEqualTo(10_000 - jobs.get(0).price());
    }

    /**
     * Two recordings (a name, then its bytes), each a file of this extension and {@code audio/} type said to last
     * {@code reportedSeconds}, ordered in turn from «voice/isolate» and taken by a worker downloading them: what the
     * user was told.
     */
    private static List<Reply> orderEach(ShopHarness shop, String extension, int reportedSeconds, String first,
            byte[] firstClip, String second, byte[] secondClip) {
        Map<String, byte[]> clips = Map.of(first, firstClip, second, secondClip);
        Shop worker = shop.anotherInstance(s -> s, b -> b.files(id -> new dev.kiebot.core.reply.FileSource.DownloadedFile(
                clips.get(id), id + "." + extension, "audio/" + extension)));
        shop.command(U, "start");
        shop.topUp(U, 10_000);
        List<Reply> told = new java.util.ArrayList<>();
        for (String clip : List.of(first, second)) {
            shop.press(U, "*|g|voice/isolate");
            List<Reply> confirm = shop.send(U, new Event.Media(dev.kiebot.core.conversation.MediaType.AUDIO, clip,
                    clips.get(clip).length, Optional.of("audio/" + extension), Optional.of(clip + "." + extension),
                    reportedSeconds));
            shop.press(U, button(confirm, "Generate"));
            worker.worker().runOnce(10);
            shop.deliver();
            told.addAll(shop.messenger.drain());
        }
        return told;
    }

    /** {@link TestCatalog}'s shop with «voice/isolate»: one recording of a minute at most, its price assuming one. */
    private static ShopHarness withVoiceIsolation() {
        dev.kiebot.core.catalog.InputField recording = TestCatalog.labelled(new dev.kiebot.core.catalog.InputField(
                "audio_url", dev.kiebot.core.catalog.FieldType.AUDIO, true, List.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), java.util.OptionalInt.of(60), java.util.OptionalInt.empty(), true));
        dev.kiebot.core.catalog.Model isolate = new dev.kiebot.core.catalog.Model("voice/isolate", "voice/isolate",
                dev.kiebot.core.catalog.Family.JOBS, dev.kiebot.core.catalog.Category.AUDIO,
                Map.of("ru", "Очистка голоса", "en", "Voice isolation"), Map.of("ru", "убирает шум", "en", "removes noise"),
                List.of(recording), List.of(new dev.kiebot.core.catalog.Sku(Map.of(), new java.math.BigDecimal("0.06"),
                TestCatalog.SRC)), 40);
        List<dev.kiebot.core.catalog.Model> models = new java.util.ArrayList<>(TestCatalog.catalog().models());
        models.add(isolate);
        return new ShopHarness(dev.kiebot.core.catalog.Catalog.of(models), dev.kiebot.core.conversation
                .ShopSettings.defaults().withAdmission(dev.kiebot.core.intake.AdmissionPolicy.off()));
    }

    /**
     * A recording's length is measured to the sample, and the length Telegram reported (whole seconds, rounded down)
     * let through one of up to a second more: such a clip still goes at the price of the field's longest, one longer
     * is refunded as too long.
     */
    @Test
    void aRecordingUpToASecondOverItsFieldsLongestGoesAndOneLongerIsRefunded() {
        ShopHarness shop = withVoiceIsolation();
        orderEach(shop, "wav", 60, "sixty-one", wav(61), "sixty-two", wav(62));
        List<Job> jobs = shop.stores.jobs().recent(U, 5);
        assertThat(jobs.get(1).state()).as("61 s").isEqualTo(JobState.SUBMITTED);
        assertThat(jobs.get(0).state()).as("62 s").isEqualTo(JobState.FAILED);
        assertThat(shop.provider.uploads).containsExactly("sixty-one.wav");
        assertThat(shop.balance(U)).isEqualTo(10_000 - jobs.get(1).price());
    }

    /**
     * A recording that says it is a WAV file but whose length cannot be read from its bytes (a header without its
     * format chunk: a player would not know how long it plays, a provider might bill it as anything) is refunded
     * with the reason and what to send instead, and nothing reaches the provider: its price assumed a length the
     * bot cannot check.
     */
    @Test
    void aRecordingWhoseLengthCannotBeReadIsRefundedWithTheReasonNotSent() {
        byte[] headerOnly = java.util.Arrays.copyOf(wav(30), 12);
        assertRefundedAsUnreadable(java.util.Arrays.copyOf(headerOnly, 12 + 4_000), 30);
    }

    /**
     * A WAV with a second format chunk is read two ways: ffmpeg (and a provider built on it) plays the first, here an
     * hour, while the second says 0.11 s. Its length is not read, so it is refunded as one that cannot be, and nothing
     * of the hour reaches the provider at the price of a minute.
     */
    @Test
    void anHourInAWavWithASecondFmtChunkIsRefundedNotSentAtThePriceOfAMinute() {
        assertRefundedAsUnreadable(ClipLengthTest.wavWithASecondFmt(), 10);
    }

    /** {@code clip}, sent as lasting {@code reportedSeconds} to «voice/isolate»: refunded unread, nothing sent. */
    private static void assertRefundedAsUnreadable(byte[] clip, int reportedSeconds) {
        ShopHarness shop = withVoiceIsolation();
        Shop worker = shop.anotherInstance(s -> s, b -> b.files(id -> new dev.kiebot.core.reply.FileSource.DownloadedFile(
                clip, "clip.wav", "audio/wav")));
        shop.command(U, "start");
        shop.topUp(U, 10_000);
        shop.press(U, "*|g|voice/isolate");
        List<Reply> confirm = shop.send(U, new Event.Media(dev.kiebot.core.conversation.MediaType.AUDIO, "clip",
                clip.length, Optional.of("audio/wav"), Optional.of("clip.wav"), reportedSeconds));
        shop.press(U, button(confirm, "Generate"));
        worker.worker().runOnce(10);
        shop.deliver();

        Job job = shop.stores.jobs().recent(U, 1).get(0);
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(shop.provider.uploads).isEmpty();
        assertThat(shop.provider.submitted).isEmpty();
        assertThat(shop.balance(U)).as("the hold given back").isEqualTo(10_000);
        assertThat(shop.messenger.drain().stream().filter(r -> r.chatId() == U).map(Object::toString))
                .anySatisfy(t -> assertThat(t).contains("length of the recording could not be read",
                        "returned to your balance"));
        assertThat(Reconciliation.check(shop.stores.ledger())).isEmpty();
    }

    /** «Again» only shows the confirm screen with the price: nothing is held until Generate on that screen. */
    @Test
    void againShowsThePriceAndHoldsNothingUntilGenerate() {
        h.command(U, "start");
        h.topUp(U, 10_000);
        h.orderAFoxImage(U);
        Job first = h.lastJob(U);
        h.work(10);
        h.provider.succeed("task-1", "https://r/fox.png");
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        long balance = h.balance(U);

        List<Reply> again = h.press(U, "*|a|" + first.id().display());

        assertThat(lastText(again)).contains("Price: " + h.shop.pricing().format(first.price(), "en"));
        assertThat(h.stores.jobs().recent(U, 5)).hasSize(1);
        assertThat(h.balance(U)).isEqualTo(balance);
        h.press(U, button(again, "Generate"));
        assertThat(h.stores.jobs().recent(U, 5)).hasSize(2);
        assertThat(h.balance(U)).isEqualTo(balance - first.price());
        assertLedgerClean();
    }

    /**
     * A Kie callback only names a task to read again, and its token is the only secret behind it: a made-up task id,
     * another user's task, a callback delivered three times, and a "success" for a job support already refunded move
     * no money and deliver nothing but the one result Kie itself reports.
     */
    @Test
    void aCallbackNamingAnyTaskPaysAndDeliversOnlyWhatKieItselfReports() {
        h.command(U, "start");
        h.topUp(U, 10_000);
        h.command(MALLORY, "start");
        h.topUp(MALLORY, 10_000);
        h.orderAFoxImage(U);
        h.orderAFoxImage(MALLORY);
        h.work(10);
        Job mine = h.lastJob(U);
        Job theirs = h.lastJob(MALLORY);
        String myTask = mine.taskId().orElseThrow();
        String theirTask = h.stores.jobs().find(theirs.id()).orElseThrow().taskId().orElseThrow();
        long myBalance = h.balance(U);
        long theirBalance = h.balance(MALLORY);
        h.messenger.drain();

        h.shop.worker().checkTask("made-up-task");
        h.shop.worker().checkTask(theirTask); // Kie still runs it
        h.deliver();
        assertThat(h.messenger.of(Reply.SendMedia.class)).isEmpty();
        assertThat(h.stores.jobs().find(mine.id()).orElseThrow().state()).isIn(JobState.SUBMITTED, JobState.RUNNING);
        assertThat(h.stores.jobs().find(theirs.id()).orElseThrow().state()).isIn(JobState.SUBMITTED, JobState.RUNNING);

        // support stops Mallory's job; Kie finishes both; every callback comes three times
        h.adminConfirmed("refund", theirs.id().display());
        h.provider.succeed(myTask, "https://r/mine.png");
        h.provider.succeed(theirTask, "https://r/theirs.png");
        h.messenger.drain();
        for (int i = 0; i < 3; i++) {
            h.shop.worker().checkTask(myTask);
            h.shop.worker().checkTask(theirTask);
        }
        h.deliver();

        assertThat(h.messenger.of(Reply.SendMedia.class)).singleElement().satisfies(m -> {
            assertThat(m.chatId()).isEqualTo(U);
            assertThat(m.source()).isEqualTo("https://r/mine.png");
        });
        assertThat(h.stores.jobs().find(mine.id()).orElseThrow().state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.stores.jobs().find(theirs.id()).orElseThrow().state()).isEqualTo(JobState.FAILED);
        assertThat(h.balance(U)).as("held once, posted once").isEqualTo(myBalance);
        assertThat(h.balance(MALLORY)).as("the refund stands").isEqualTo(theirBalance + theirs.price());
        assertLedgerClean();
    }

    /** The welcome bonus is keyed by the user: a payment as the first update, /start, a /start again pay it once. */
    @Test
    void theWelcomeBonusIsPaidOnceWhateverComesFirst() {
        ShopHarness bonus = new ShopHarness(dev.kiebot.core.testing.TestCatalog.catalog(),
                dev.kiebot.core.conversation.ShopSettings.defaults().withAdmins(java.util.Set.of(ShopHarness.ADMIN))
                        .withWelcomeBonus(5_000)
                        .withAdmission(dev.kiebot.core.intake.AdmissionPolicy.off()));
        bonus.send(U, new Event.PreCheckout("q", "topup:never-issued", "XTR", 50));
        bonus.command(U, "start");
        bonus.command(U, "start");
        bonus.send(U, new Event.MembershipChanged(true));
        bonus.send(U, new Event.MembershipChanged(false));
        assertThat(bonus.balance(U)).isEqualTo(5_000);
        assertThat(bonus.stores.ledger().transfers(AccountId.PROMO_EXPENSE)).singleElement()
                .satisfies(t -> assertThat(t.kind()).isEqualTo(dev.kiebot.core.ledger.TransferKind.WELCOME_BONUS));
        assertLedgerCleanIn(bonus);
    }

    private static void assertLedgerCleanIn(ShopHarness harness) {
        assertThat(Reconciliation.check(harness.stores.ledger())).isEmpty();
    }

    @Test
    void aBroadcastIsConfirmedThenSentInTheBackgroundToEachUserOnce() {
        for (long u = 100; u < 110; u++) {
            h.command(u, "start");
        }
        h.send(105, new Event.MembershipChanged(true));
        List<Reply> draft = h.admin("broadcast", "Новые модели!");
        assertThat(lastText(draft)).contains("10\u00A0users", "Новые модели!");
        assertThat(h.stores.broadcasts().claim(100, h.clock.instant())).as("nothing sent before confirming").isEmpty();
        String send = button(draft, "Send");
        assertThat(h.press(100, send)).as("not an admin: a stale menu, nothing queued")
                .anySatisfy(r -> assertThat(r).isInstanceOf(Reply.AnswerCallback.class))
                .noneMatch(r -> r.toString().contains("Broadcast"));
        // nor can he cancel it: the draft is still the admin's to send
        assertThat(h.press(100, button(draft, "Cancel"))).as("not an admin: a stale menu, nothing cancelled")
                .anySatisfy(r -> assertThat(r).isInstanceOf(Reply.AnswerCallback.class))
                .noneMatch(r -> r.toString().contains("cancelled"));
        assertThat(h.stores.broadcasts().claim(100, h.clock.instant())).as("nothing queued by him").isEmpty();
        List<Reply> queued = h.press(ShopHarness.ADMIN, send);
        assertThat(lastText(queued)).contains("sent 0 of 10");
        assertThat(lastText(h.press(ShopHarness.ADMIN, send))).contains("already started");
        h.messenger.drain();
        assertThat(h.shop.broadcaster().runOnce(4)).isEqualTo(4);
        assertThat(h.shop.broadcaster().runOnce(100)).isEqualTo(6);
        assertThat(h.shop.broadcaster().runOnce(100)).isZero();
        h.deliver();
        List<Reply> sent = h.messenger.drain();
        List<Long> recipients = sent.stream().filter(r -> r instanceof Reply.SendText t && t.text().equals("Новые модели!"))
                .map(Reply::chatId).toList();
        assertThat(recipients).hasSize(10).doesNotHaveDuplicates().doesNotContain(105L);
        assertThat(sent).anySatisfy(r -> assertThat(r).isInstanceOfSatisfying(Reply.SendText.class,
                t -> assertThat(t.text()).contains("finished", "sent 10 of 10")));
    }

    @Test
    void aCancelledDraftSendsNothing() {
        h.command(U, "start");
        List<Reply> draft = h.admin("broadcast", "hi");
        h.press(ShopHarness.ADMIN, button(draft, "Cancel"));
        assertThat(lastText(h.press(ShopHarness.ADMIN, button(draft, "Send")))).contains("already started or cancelled");
        assertThat(h.shop.broadcaster().runOnce(100)).isZero();
        assertThat(Optional.of(h.stores.broadcasts().queued())).contains(List.of());
    }

    @Test
    void aPaymentWhoseHandlingFailedAlertsTheAdminsOnceAndPointsTheUserToPaySupport() {
        String payload = h.invoiceFor50Stars(U);
        Incoming paid = new Incoming(900, ShopHarness.actor(U, "en"),
                new Event.SuccessfulPayment("ch-lost", payload, "XTR", 50));
        h.messenger.drain();
        // the dispatcher's answer after it rolled the handling back: before, only "something went wrong"
        h.shop.storefront().apologize(paid);
        h.shop.storefront().apologize(paid);
        h.deliver();
        List<Reply> sent = h.messenger.drain();
        // the charge id as the user's Stars history shows it, not the audit trail's "pay:ch-lost"
        assertThat(sent).filteredOn(r -> r.chatId() == U).extracting(r -> ((Reply.SendText) r).text())
                .hasSize(2).allSatisfy(t -> assertThat(t).contains("/paysupport", "ch-lost").doesNotContain("pay:"));
        assertThat(sent).filteredOn(r -> r.chatId() == ShopHarness.ADMIN).as("once per charge").singleElement()
                .satisfies(r -> assertThat(((Reply.SendText) r).text())
                        .contains("not credited", "its handling failed", "ch-lost").doesNotContain("pay:"));
        assertThat(anomalies()).hasSize(2);
        assertThat(h.balance(U)).isZero();
        // nothing was credited and nothing will retry it: its Stars can be given back, and only once
        assertThat(h.stores.payments().uncredited("ch-lost")).hasValueSatisfying(c -> {
            assertThat(c.userId()).isEqualTo(U);
            assertThat(c.payload()).isEqualTo(payload);
            assertThat(c.stars()).isEqualTo(50);
            assertThat(c.reason()).contains("handling failed");
        });
        assertThat(lastText(h.adminConfirmed("refund_stars", "ch-lost")))
                .contains("Refunded 50\u00A0⭐ to " + "User" + U + " (id " + U + ")");
        assertThat(h.starsRefunds.calls()).containsExactly(new ScriptedStarsRefunds.Call(U, "ch-lost"));
        assertThat(h.balance(U)).isZero();
        assertThat(pay(U, payload, "XTR", 50, "ch-lost")).as("never credited after it was refunded")
                .noneMatch(r -> r instanceof Reply.SendText t && t.text().contains("Balance topped up"));
        assertThat(h.balance(U)).isZero();
        assertLedgerClean();
    }

    /**
     * A payment kept as not credited (its handling failed) that Telegram delivers again is not credited now (its Stars
     * may be on their way back): the user hears it again, with the reference to give /paysupport, not silence.
     */
    @Test
    void aPaymentKeptAsNotCreditedDeliveredAgainCreditsNothingAndTellsTheUserAgain() {
        String payload = h.invoiceFor50Stars(U);
        h.shop.storefront().apologize(new Incoming(900, ShopHarness.actor(U, "en"),
                new Event.SuccessfulPayment("ch-kept", payload, "XTR", 50)));
        h.deliver();
        h.messenger.drain();

        List<Reply> again = pay(U, payload, "XTR", 50, "ch-kept");

        assertThat(again).filteredOn(r -> r.chatId() == U).singleElement()
                .satisfies(r -> assertThat(((Reply.SendText) r).text()).contains("because of an error on our side it was not credited", "/paysupport",
                        "ch-kept"));
        assertThat(h.balance(U)).isZero();
        assertThat(h.stores.payments().uncredited("ch-kept")).isPresent();
        assertLedgerClean();
    }

    /**
     * A user who knows how the admins' buttons are made presses them, built for his own things: «Approve» and
     * «Decline» of his own card / SBP request, «Refund» of his own Stars payment, «Send» and «Cancel» of a broadcast
     * draft, «Credit» and a forged «Cancel» of an admin's pending credit to him. Each is refused (a stale button, or
     * one for admins only), and nothing moves: his balance, his request still waiting, no Stars refund asked of Telegram, the draft still a
     * draft, the admin's confirmation still waiting, no admin action in the audit trail.
     */
    @Test
    void anAdminsButtonsForgedByAUserForHisOwnThingsMoveNothing() {
        h.command(U, "start");
        h.paid50Stars(U, "ch-own");
        ManualTopUp request = CardRequests.claimed500(h, U);
        String reference = h.stores.payments().charge("ch-own").orElseThrow().reference();
        String send = button(h.admin("broadcast", "hello all"), "Send");
        long broadcast = Long.parseLong(send.split("[|:]")[2]);
        String credit = button(h.admin("topup_user", U + " 1000"), "Credit");
        String nonce = credit.substring(credit.lastIndexOf('|') + 1);
        long balance = h.balance(U);
        long auditLines = h.stores.audit().recent(1000).size();
        h.deliver();
        h.messenger.drain();

        // a user's chat reads no admin's decision, refund or broadcast: such a press is a stale button there
        for (String forged : List.of(CardRequests.approve(request), CardRequests.decline(request),
                "*|+|" + request.id(), "*|&|" + U + ":" + reference, send,
                "*|X|" + broadcast)) {
            assertThat(lastText(h.press(U, forged))).as(forged).startsWith("This button is outdated. Here is the "
                    + "main menu.");
        }
        // the money confirmation's buttons are told as an admin's
        for (String forged : List.of("*|%|" + nonce, "*|;|" + nonce, credit)) {
            assertThat(lastText(h.press(U, forged))).as(forged)
                    .isEqualTo("⛔ This button is for admins only: nothing changed.");
        }
        h.work(10);
        h.deliver();

        assertThat(h.balance(U)).isEqualTo(balance);
        assertThat(h.stores.manualTopUps().find(request.id()).orElseThrow().state())
                .isEqualTo(ManualTopUpState.CLAIMED_PAID);
        assertThat(h.starsRefunds.calls()).isEmpty();
        assertThat(h.stores.broadcasts().find(broadcast).orElseThrow().state()).isEqualTo(BroadcastState.DRAFT);
        assertThat(h.session(ShopHarness.ADMIN).money()).as("the admin's confirmation still waits").isPresent();
        assertThat(h.stores.audit().recent(1000)).as("no admin action recorded").hasSize((int) auditLines);
        assertThat(h.messenger.all()).as("nobody else heard of the presses").allMatch(r -> r.chatId() == U);
        assertLedgerClean();
    }

    /**
     * The buttons this build gave the admins' irreversible actions, pressed by a user who copied them: the
     * confirmation of an admin's {@code /refund} of his own delivered job, and «⏹ Stop» under a broadcast being sent.
     * Neither moves anything: his balance stays, the admin's confirmation still waits, the broadcast stays queued.
     */
    @Test
    void theRefundConfirmationAndABroadcastsStopForgedByAUserMoveNothing() {
        h.command(U, "start");
        h.topUp(U, 10_000);
        Job job = h.runningFoxImage(U);
        h.provider.succeed(job.taskId().orElseThrow(), "https://r/fox.png");
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(h.stores.jobs().find(job.id()).orElseThrow().state()).isEqualTo(JobState.DELIVERED);
        String send = button(h.admin("broadcast", "hello all"), "Send");
        long broadcast = Long.parseLong(send.split("[|:]")[2]);
        String stop = button(h.press(ShopHarness.ADMIN, send), "Stop");
        String refund = ShopHarness.moneyButton(h.admin("refund", job.id().display())).orElseThrow();
        long balance = h.balance(U);
        h.messenger.drain();

        for (String forged : List.of(refund, stop)) {
            assertThat(lastText(h.press(U, forged))).as(forged).isNotBlank();
        }
        h.deliver();

        assertThat(h.balance(U)).as("nothing given back").isEqualTo(balance);
        assertThat(h.session(ShopHarness.ADMIN).money()).as("the admin's confirmation still waits").isPresent();
        assertThat(h.stores.broadcasts().find(broadcast).orElseThrow().state()).isEqualTo(BroadcastState.QUEUED);
        assertThat(h.messenger.all()).as("nobody else heard of the presses").allMatch(r -> r.chatId() == U);
        assertLedgerClean();
    }

    /**
     * The confirmation of an admin's {@code /refund_stars} of a user's own payment, and a list's «💸 Вернуть», pressed by
     * that user who copied them: Telegram is not asked, his balance stays, the admin's confirmation still waits.
     */
    @Test
    void aStarsRefundsConfirmationAndListButtonForgedByAUserMoveNothing() {
        h.command(U, "start");
        h.paid50Stars(U, "ch-forged");
        String listed = ShopHarness.buttonWithData(h.admin("refund_stars", Long.toString(U)), U + ":");
        String confirm = ShopHarness.moneyButton(h.admin("refund_stars", "ch-forged")).orElseThrow();
        long balance = h.balance(U);
        h.messenger.drain();

        for (String forged : List.of(confirm, listed)) {
            assertThat(lastText(h.press(U, forged))).as(forged).isNotBlank();
        }
        h.deliver();

        assertThat(h.starsRefunds.calls()).as("Telegram not asked").isEmpty();
        assertThat(h.balance(U)).as("nothing taken or held").isEqualTo(balance);
        assertThat(h.session(ShopHarness.ADMIN).money()).as("the admin's confirmation still waits")
                .hasValueSatisfying(m -> assertThat(m.charge()).contains("ch-forged"));
        assertThat(h.session(U).money()).as("no confirmation kept for the user").isEmpty();
        assertThat(h.messenger.all()).as("nobody else heard of the presses").allMatch(r -> r.chatId() == U);
        assertThat(lastText(h.press(ShopHarness.ADMIN, confirm))).as("the admin's own press still works")
                .contains("Refunded 50\u00A0⭐");
        assertLedgerClean();
    }

    /**
     * «Оплачено» carries its request's number, easy to guess: a press naming another user's request set the presser's
     * order aside and made his chat wait for that request's receipt, his next photo answered «I do not know the request
     * #N» (found by review G; the desk refused the claim itself). Such a press now changes nothing of his: the order
     * waits where it was and his photo is the order's business; the other's request takes nothing.
     */
    @Test
    void paidOnAnotherUsersRequestThenAPhotoTouchesNothingOfHis() {
        h.command(U, "start");
        ManualTopUp request = CardRequests.requested500(h, U);
        h.command(MALLORY, "start");
        h.topUp(MALLORY, 10_000);
        h.foxImageToConfirm(MALLORY);
        var confirming = h.session(MALLORY);
        h.deliver();
        h.messenger.drain();

        List<Reply> pressed = h.press(MALLORY, "*|!|" + request.id());

        assertThat(lastText(pressed)).isEqualTo("I do not know the request #" + request.id() + ". Start a new one: /topup");
        assertThat(h.session(MALLORY).state()).as("his order still waits").isEqualTo(confirming.state());
        List<Reply> photo = h.send(MALLORY, new Event.Media(dev.kiebot.core.conversation.MediaType.PHOTO, "file-m",
                1000, Optional.of("image/jpeg"), Optional.empty()));
        assertThat(photo.toString()).doesNotContain("request #" + request.id());
        assertThat(h.stores.manualTopUps().find(request.id()).orElseThrow().state())
                .isEqualTo(ManualTopUpState.REQUESTED);
        h.deliver();
        assertThat(h.messenger.all()).as("nobody else heard of it").allMatch(r -> r.chatId() == MALLORY);
        assertThat(h.stores.jobs().recent(MALLORY, 1)).isEmpty();
        assertLedgerClean();
    }

    /**
     * An admin's typed id or amount that is no plain number, or one past a {@code long}: 20 digits, one past the
     * largest {@code long}, a sign, a point, an exponent, a hex form, a superscript, other scripts' digits (which
     * {@code Long.parseLong} reads: «٤٢» is 42) or a zero-width space. Each command that names a user, a job, a
     * payment or a ticket answers its admin alone, with its usage or «not found», offers no button to confirm, and
     * nothing moves: the user is not credited, debited, banned or erased.
     */
    @Test
    void anAdminsIdsAndAmountsThatAreNoPlainNumberMoveNothing() {
        h.command(U, "start");
        h.topUp(U, 10_000);
        h.messenger.drain();
        List<String> ids = List.of("99999999999999999999", "9223372036854775808", "-9223372036854775808", "-42",
                "+42", "42.0", "4\u00b2", "\u0664\u0662", "\uff14\uff12", "42\u200b", "\u200b42", "0x2A", "1e3");
        List<String> amounts = List.of("99999999999999999999", "9223372036854775807", "92233720368547758.08", "-42",
                "0", "1e3", "NaN", "Infinity", "0x2A", "\u0664\u0662", "\uff14\uff12", "42\u200b");
        List<String> typed = new java.util.ArrayList<>();
        for (String id : ids) {
            for (String command : List.of("topup_user", "debit_user")) {
                typed.add(command + " " + id + " 100");
            }
            for (String command : List.of("ban", "unban", "forget", "refund", "refund_stars", "tickets")) {
                typed.add(command + " " + id);
            }
            typed.add("reply " + id + " hello");
        }
        for (String amount : amounts) {
            typed.add("topup_user " + U + " " + amount);
            typed.add("debit_user " + U + " " + amount);
        }
        for (String line : typed) {
            String[] command = line.split(" ", 2);
            List<Reply> answered = h.admin(command[0], command[1]);
            assertThat(answered).as(line).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.chatId()).isEqualTo(ShopHarness.ADMIN));
            assertThat(ShopHarness.buttonTexts(answered)).as(line).isEmpty();
        }
        h.work(10);
        h.deliver();
        assertThat(h.messenger.all()).as("the user heard nothing").noneMatch(r -> r.chatId() == U);
        assertThat(h.balance(U)).isEqualTo(10_000);
        User user = h.stores.users().find(U).orElseThrow();
        assertThat(user.ban()).as("not banned").isEmpty();
        assertThat(user.firstName()).as("not erased").isEqualTo("User" + U);
        assertLedgerClean();
    }

    /**
     * Kie's answers in the wrong order, as a callback replayed or forged at the right moment would bring them: a
     * «failed» read after the result was delivered refunds nothing (the user has his picture and paid once), and a
     * «success» read after Kie's failure was refunded charges nothing and delivers nothing, however often either is
     * read again, by its task alone or with its job named as Kie's callback URL names it.
     */
    @Test
    void kiesStatusTurningAfterTheJobEndedNeitherRefundsADeliveryNorChargesARefund() {
        h.command(U, "start");
        h.topUp(U, 10_000);
        Job delivered = h.finishedFoxImage(U, new dev.kiebot.core.jobs.TaskStatus.Succeeded(new dev.kiebot.core.jobs
                .JobResult(List.of("https://r/fox.png"), dev.kiebot.core.jobs.MediaKind.PHOTO)));
        h.deliver();
        assertThat(delivered.state()).isEqualTo(JobState.DELIVERED);
        long paid = h.balance(U);
        assertThat(paid).isEqualTo(10_000 - delivered.price());
        String deliveredTask = delivered.taskId().orElseThrow();
        h.provider.set(deliveredTask, new dev.kiebot.core.jobs.TaskStatus.Failed(
                dev.kiebot.core.jobs.ErrorKind.GENERATION_FAILED, "failed after all"));

        Job failed = h.runningFoxImage(U);
        String failedTask = failed.taskId().orElseThrow();
        h.provider.set(failedTask, new dev.kiebot.core.jobs.TaskStatus.Failed(
                dev.kiebot.core.jobs.ErrorKind.GENERATION_FAILED, "failed"));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.deliver();
        assertThat(h.stores.jobs().find(failed.id()).orElseThrow().state()).isEqualTo(JobState.FAILED);
        assertThat(h.balance(U)).as("the failure refunded").isEqualTo(paid);
        h.provider.succeed(failedTask, "https://r/late.png");
        h.messenger.drain();

        for (int i = 0; i < 3; i++) {
            h.shop.worker().checkTask(deliveredTask);
            h.shop.worker().checkTask(deliveredTask, Optional.of(delivered.id().display()));
            h.shop.worker().checkTask(failedTask);
            h.shop.worker().checkTask(failedTask, Optional.of(failed.id().display()));
        }
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.deliver();

        assertThat(h.stores.jobs().find(delivered.id()).orElseThrow().state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.stores.jobs().find(failed.id()).orElseThrow().state()).isEqualTo(JobState.FAILED);
        assertThat(h.balance(U)).as("nothing refunded twice, nothing charged again").isEqualTo(paid);
        assertThat(h.messenger.of(Reply.SendMedia.class)).as("the late result is not sent").isEmpty();
        assertThat(h.messenger.all().stream().filter(r -> r instanceof Reply.SendText).map(Object::toString))
                .as("nor a refund told").noneMatch(t -> t.contains("refund") || t.contains("returned"));
        assertLedgerClean();
    }

    /**
     * A payment reported by a user the bot never heard of, for another user's invoice or for none it issued: he is not
     * credited (he becomes a user, as a /start would make him, with nothing more), nor is the invoice's owner, and each
     * is an anomaly the admins hear of.
     */
    @Test
    void aPaymentFromAUserTheBotNeverSawCreditsNobody() {
        h.command(U, "start");
        String payload = h.invoiceFor50Stars(U);
        long stranger = 5_550_077;
        long welcome = h.balance(U);

        List<Reply> preCheckout = h.send(stranger, new Event.PreCheckout("pc-stranger", payload, "XTR", 50));
        assertThat(preCheckout).filteredOn(Reply.AnswerPreCheckout.class::isInstance).singleElement()
                .satisfies(r -> assertThat(((Reply.AnswerPreCheckout) r).ok()).isFalse());
        List<Reply> paid = pay(stranger, payload, "XTR", 50, "ch-stranger");
        List<Reply> none = pay(stranger + 1, "topup:never-issued", "XTR", 50, "ch-stranger-2");

        assertThat(lastText(paid)).doesNotContain("Balance topped up");
        assertThat(lastText(none)).doesNotContain("Balance topped up");
        assertThat(h.balance(stranger)).isEqualTo(welcome);
        assertThat(h.balance(stranger + 1)).isEqualTo(welcome);
        assertThat(h.balance(U)).isEqualTo(welcome);
        assertThat(h.stores.payments().invoice(payload).orElseThrow().paidChargeId()).isEmpty();
        assertThat(h.stores.ledger().transfers(AccountId.STARS_CLEARING)).isEmpty();
        assertThat(anomalies()).hasSize(2);
        assertLedgerClean();
    }
}
