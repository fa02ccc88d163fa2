package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.ChatState;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.MediaType;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.support.SupportTicket;
import dev.kiebot.core.testing.ShopHarness;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /paysupport tickets, /balance with what is reserved, and /payments: the wallet's last movements. */
class PaySupportAndStatementTest {
    private static final long U = 42;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(ShopHarness.ADMIN, "start");
        h.command(U, "start");
    }

    /** Whatever a test did with money, the ledger keeps its invariants. */
    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /** @return the paid invoice's payload */
    private String paid50Stars(String charge) {
        h.command(U, "topup");
        h.press(U, "*|y");
        String payload = h.press(U, "*|t|50").stream().filter(Reply.SendInvoice.class::isInstance)
                .map(i -> ((Reply.SendInvoice) i).payload()).findFirst().orElseThrow();
        h.send(U, new Event.SuccessfulPayment(charge, payload, "XTR", 50));
        return payload;
    }

    private static List<Reply> to(List<Reply> replies, long chat) {
        return replies.stream().filter(r -> r.chatId() == chat).toList();
    }

    @Test
    void aTicketReachesTheAdminsWithPaymentsGenerationsAndRefundButtons() {
        paid50Stars("charge-t1");
        List<Reply> prompt = h.command(U, "paysupport");
        assertThat(lastText(prompt)).contains("Payment support", "Write the problem in one message").doesNotContain("@support");
        assertThat(h.session(U).state()).isEqualTo(new ChatState.WritingTicket());
        assertThat(lastText(h.text(U, "  "))).contains("The text is empty");
        assertThat(lastText(h.text(U, "x".repeat(SupportTicket.TEXT_MAX + 1)))).contains("Too long");
        List<Reply> sent = h.text(U, "Paid 50 stars, balance did not change; gen_7");
        SupportTicket ticket = h.stores.supportTickets().recent(U, 1).get(0);
        assertThat(ticket.text()).isEqualTo("Paid 50 stars, balance did not change; gen_7");
        assertThat(lastText(to(sent, U))).isEqualTo("✅ Your request " + ticket.display() + " was received and passed on to the admins.");
        assertThat(h.session(U).state()).isEqualTo(new ChatState.Menu());
        List<Reply> admin = to(sent, ShopHarness.ADMIN);
        assertThat(lastText(admin)).contains("Payment support " + ticket.display(), "User" + U,
                "Paid 50 stars, balance did not change", "charge-t1", "75.00\u00A0₽", "Generations:");
        List<Reply> refunded = h.press(ShopHarness.ADMIN, button(admin, "Refund 50\u00A0⭐"));
        assertThat(lastText(to(refunded, ShopHarness.ADMIN))).contains("Refunded 50\u00A0⭐");
        assertThat(h.balance(U)).isZero();
    }

    /** Before, a payment that credited nothing was not on the ticket, and no button could give its Stars back. */
    @Test
    void aTicketShowsAPaymentThatCreditedNothingWithARefundButtonThatWorks() {
        String payload = paid50Stars("charge-t1");
        h.send(U, new Event.SuccessfulPayment("charge-twice", payload, "XTR", 50));
        h.command(U, "paysupport");
        List<Reply> admin = to(h.text(U, "Paid twice for one top-up"), ShopHarness.ADMIN);
        assertThat(lastText(admin)).contains("charge-t1", "not credited · charge-twice");
        List<Reply> refunded = h.press(ShopHarness.ADMIN, button(admin, "Refund 50\u00A0⭐ (not credited)"));
        assertThat(lastText(to(refunded, ShopHarness.ADMIN))).contains("Refunded 50\u00A0⭐ to user " + U, "not credited");
        assertThat(lastText(to(refunded, U))).contains("50\u00A0⭐", "balance did not change");
        assertThat(h.starsRefunds.calls()).extracting(c -> c.chargeId()).containsExactly("charge-twice");
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(lastText(to(h.press(ShopHarness.ADMIN, button(admin, "(not credited)")), ShopHarness.ADMIN)))
                .contains("already refunded");
        assertThat(h.starsRefunds.calls()).hasSize(1);
    }

    @Test
    void aCaptionedScreenshotIsATicketAndCancelLeaves() {
        h.command(U, "paysupport");
        assertThat(lastText(h.send(U, new Event.Media(MediaType.PHOTO, "shot", 100, Optional.empty(),
                Optional.empty())))).contains("waiting for text");
        h.send(U, new Event.Media(MediaType.PHOTO, "shot", 100, Optional.empty(), Optional.empty())
                .withCaption("the payment screen"));
        assertThat(h.stores.supportTickets().recent(U, 1)).extracting(SupportTicket::text)
                .containsExactly("the payment screen");
        List<Reply> prompt = h.command(U, "paysupport");
        assertThat(lastText(h.press(U, button(prompt, "Cancel")))).contains("Cancelled");
        assertThat(h.stores.supportTickets().recent(U, 5)).hasSize(1);
    }

    @Test
    void theBalanceShowsWhatIsReservedAndThePaymentsTheMovements() {
        paid50Stars("charge-s1");
        h.stores.ledger().hold("gen_900", AccountId.wallet(U), AccountId.REVENUE, 312, TransferKind.GENERATION,
                h.clock.instant().plusSeconds(600));
        h.stores.ledger().hold("gen_901", AccountId.wallet(U), AccountId.REVENUE, 500, TransferKind.GENERATION,
                h.clock.instant().plusSeconds(600));
        h.stores.ledger().post("post:gen_901", "gen_901", 500);
        h.stores.ledger().hold("gen_902", AccountId.wallet(U), AccountId.REVENUE, 200, TransferKind.GENERATION,
                h.clock.instant().plusSeconds(600));
        h.stores.ledger().voidHold("void:gen_902", "gen_902");
        h.stores.ledger().transfer("refund:gen_901", AccountId.REVENUE, AccountId.wallet(U), 500, TransferKind.REFUND);
        List<Reply> balance = h.command(U, "balance");
        assertThat(lastText(balance)).contains("Balance: 71.88\u00A0₽",
                "Reserved for running generations: 3.12\u00A0₽");
        List<Reply> payments = h.press(U, button(balance, "Payments"));
        String text = lastText(payments);
        assertThat(text).contains("+75.00\u00A0₽ · Stars top-up · charge-s1",
                "−3.12\u00A0₽ · generation (reserved) · gen_900", "−5.00\u00A0₽ · generation · gen_901",
                "+5.00\u00A0₽ · refund · gen_901").doesNotContain("gen_902");
        assertThat(text.indexOf("refund · gen_901")).isLessThan(text.indexOf("Stars top-up"));
        assertThat(lastText(h.command(U, "payments"))).isEqualTo(text);
    }

    @Test
    void aNewUsersStatementIsEmptyAndHasAWayToTopUp() {
        List<Reply> payments = h.command(77, "payments");
        assertThat(lastText(payments)).contains("No money movements yet");
        assertThat(button(payments, "Top up")).isNotEmpty();
    }
}
