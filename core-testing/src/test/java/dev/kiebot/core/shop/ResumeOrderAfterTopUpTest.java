package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.buttonTexts;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A user short of money on the confirmation tops up from it; once the money arrived he is back at that order (its
 * price asked anew), not at the menu, where the prompt, the photos and every option were to be given again: after a
 * Stars payment the order comes by itself, other credits (an admin's, a card's) offer «↩️» under their message.
 */
class ResumeOrderAfterTopUpTest {
    private static final long U = 42;
    private static final String BACK = "↩️ Back to my generation";
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness().startedByAdminAnd(U);
    }

    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /** A fox image ordered with an empty wallet: the confirmation offers the top-up. @return that screen */
    private List<Reply> unaffordableFox() {
        h.press(U, "*|g|img/m9");
        List<Reply> confirm = h.press(U, button(h.text(U, "fox"), "1:1"));
        assertThat(lastText(confirm)).contains("fox", "Not enough");
        return confirm;
    }

    /** Top up from the confirmation: the terms, then 50 ⭐ paid. @return the replies to the payment */
    private List<Reply> topUpFrom(List<Reply> confirm) {
        h.press(U, button(confirm, "➕ Top up"));
        h.press(U, "*|y"); // the terms, before the first purchase
        return paysForAPack("charge-1");
    }

    /** 50 ⭐ from the top-up screen, paid. @return the replies to the payment */
    private List<Reply> paysForAPack(String chargeId) {
        String payload = h.press(U, "*|t|50").stream().filter(Reply.SendInvoice.class::isInstance)
                .map(i -> ((Reply.SendInvoice) i).payload()).findFirst().orElseThrow();
        return h.send(U, new Event.SuccessfulPayment(chargeId, payload, "XTR", 50));
    }

    /**
     * A Stars payment made from the order is followed by the order itself, its price and the balance of now: it was
     * «↩️ Back to my generation» under the payment's message, one more press for every first payer.
     */
    @Test
    void theOrderComesBackByItselfOnceThePaymentIsIn() {
        List<Reply> paid = topUpFrom(unaffordableFox());
        List<Reply.SendText> texts = paid.stream().filter(Reply.SendText.class::isInstance)
                .map(Reply.SendText.class::cast).toList();
        assertThat(texts).hasSize(2);
        assertThat(texts.get(0).text()).contains("Balance topped up");
        assertThat(buttonTexts(List.of(texts.get(0)))).containsExactly("🏠 Menu");
        assertThat(lastText(paid)).contains("fox", "1:1", "left after this generation").doesNotContain("Not enough");
        h.press(U, button(paid, "Generate"));
        assertThat(h.lastJob(U).values()).containsEntry("aspect_ratio", "1:1").containsValue("fox");

        // placed: the way back is stale, and a later top-up offers no order
        assertThat(lastText(h.press(U, "*|@"))).contains("outdated");
        h.command(U, "topup");
        assertThat(buttonTexts(paysForAPack("charge-2"))).containsExactly("🏠 Menu");
    }

    /** The order waits while the user looks elsewhere (his balance, the menu) before paying. */
    @Test
    void theOrderWaitsWhileTheUserLooksAround() {
        List<Reply> confirm = unaffordableFox();
        h.press(U, button(confirm, "➕ Top up"));
        h.command(U, "balance");
        h.command(U, "menu");
        List<Reply> paid = h.send(U, new Event.SuccessfulPayment("charge-1", h.invoiceFor50Stars(U), "XTR", 50));
        assertThat(lastText(paid)).contains("fox", "1:1");
    }

    /** A payment Telegram delivers twice credits once and shows the order once. */
    @Test
    void aPaymentDeliveredTwiceShowsTheOrderOnce() {
        h.press(U, button(unaffordableFox(), "➕ Top up"));
        h.press(U, "*|y");
        String payload = h.press(U, "*|t|50").stream().filter(Reply.SendInvoice.class::isInstance)
                .map(i -> ((Reply.SendInvoice) i).payload()).findFirst().orElseThrow();
        assertThat(lastText(h.send(U, new Event.SuccessfulPayment("charge-1", payload, "XTR", 50)))).contains("fox");
        assertThat(h.send(U, new Event.SuccessfulPayment("charge-1", payload, "XTR", 50)))
                .noneMatch(Reply.SendText.class::isInstance);
    }

    /** «Отмена» of the card amount's screen is a step of the top-up: the order still waits for the Stars paid after. */
    @Test
    void cancellingTheCardTopUpKeepsTheOrder() {
        h.press(U, button(unaffordableFox(), "➕ Top up"));
        h.press(U, "*|y");
        List<Reply> amounts = h.press(U, "*|$");
        h.press(U, button(amounts, "Cancel"));
        assertThat(lastText(h.send(U, new Event.SuccessfulPayment("charge-1", h.invoiceFor50Stars(U), "XTR", 50))))
                .contains("fox", "1:1");
    }

    @Test
    void cancelDropsTheOrder() {
        List<Reply> confirm = unaffordableFox();
        h.press(U, button(confirm, "➕ Top up"));
        h.command(U, "cancel");
        List<Reply> paid = h.send(U, new Event.SuccessfulPayment("charge-1", h.invoiceFor50Stars(U), "XTR", 50));
        assertThat(buttonTexts(paid)).containsExactly("🏠 Menu");
        assertThat(lastText(h.press(U, "*|@"))).contains("outdated");
    }

    /** Money an admin credits by hand (as a card / SBP transfer he confirms) reaches the order the same way. */
    @Test
    void aTopUpAnAdminCreditsOffersTheOrderToo() {
        h.press(U, button(unaffordableFox(), "➕ Top up"));
        h.press(U, "*|y");
        List<Reply> credited = h.adminConfirmed("topup_user", U + " 100").stream().filter(r -> r.chatId() == U).toList();
        assertThat(lastText(credited)).contains("Balance topped up");
        assertThat(buttonTexts(credited)).containsExactly(BACK, "🏠 Menu");
    }
}
