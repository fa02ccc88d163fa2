package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.buttonTexts;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every first payer is short of money on the confirmation: it offers the smallest Stars package that covers what is
 * missing, and the terms, accepted once before the first payment, are accepted and that package paid in one press.
 * Before, the way was «Пополнить» → the terms → a separate «Спасибо» → the whole list of packages → the package.
 */
class FirstTopUpFromTheOrderTest {
    private static final long U = 42;
    private static final String BACK = "↩️ Back to my generation";

    /** Packages of 1 ⭐ (1.50 a Star: less than the fox image costs), 20 ⭐ and 1,000 ⭐. */
    private final ShopHarness h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
            .withAdmins(Set.of(ShopHarness.ADMIN)).withStars(List.of(1000L, 1L, 20L), 150))
            .startedByAdminAnd(U);

    private List<Reply> unaffordableFox() {
        h.press(U, "*|g|img/m9");
        List<Reply> confirm = h.press(U, button(h.text(U, "fox"), "1:1"));
        assertThat(lastText(confirm)).contains("Not enough");
        return confirm;
    }

    private static List<Reply> sent(List<Reply> replies, Class<? extends Reply> kind) {
        return replies.stream().filter(kind::isInstance).toList();
    }

    @Test
    void theShortfallOffersTheSmallestPackThatCoversIt() {
        List<Reply> confirm = unaffordableFox();
        assertThat(buttonTexts(confirm)).contains("➕ 30\u00a0₽ for 20\u00a0⭐", "➕ Top up")
                .noneMatch(b -> b.contains("1 ⭐") || b.contains("1,000 ⭐"));
    }

    @Test
    void theTermsAreAcceptedAndThePackPaidInOnePress() {
        List<Reply> terms = h.press(U, button(unaffordableFox(), "➕ 30\u00a0₽ for 20\u00a0⭐"));
        // under the order, which stays in sight
        assertThat(sent(terms, Reply.EditText.class)).isEmpty();
        assertThat(lastText(terms)).contains("accept the terms");
        assertThat(buttonTexts(terms)).contains(BACK, "✅ I accept and pay 30\u00a0₽");

        List<Reply> paying = h.press(U, button(terms, "✅ I accept and pay 30\u00a0₽"));
        assertThat(sent(paying, Reply.SendInvoice.class)).singleElement()
                .satisfies(i -> assertThat(((Reply.SendInvoice) i).stars()).isEqualTo(20));
        assertThat(sent(paying, Reply.SendText.class)).isEmpty();
        assertThat(h.stores.users().find(U).orElseThrow().termsAccepted()).isTrue();
    }

    /** The package paid straight from the confirmation (the terms accepted before): the order comes back by itself. */
    @Test
    void thePackPaidFromTheConfirmationBringsTheOrderBack() {
        h.command(U, "topup");
        h.press(U, "*|y");
        List<Reply> invoice = h.press(U, button(unaffordableFox(), "➕ 30\u00a0₽ for 20\u00a0⭐"));
        String payload = sent(invoice, Reply.SendInvoice.class).stream().map(i -> ((Reply.SendInvoice) i).payload())
                .findFirst().orElseThrow();
        List<Reply> paid = h.send(U, new dev.kiebot.core.conversation.Event.SuccessfulPayment("charge-1", payload,
                "XTR", 20));
        assertThat(lastText(paid)).contains("fox", "1:1").doesNotContain("Not enough");
        h.press(U, button(paid, "Generate"));
        assertThat(h.lastJob(U).values()).containsValue("fox");
    }

    /**
     * The order changed while the invoice waited («✏️ Изменить», «fox» → «cat»): the payment brings back the order as
     * it is now. Before, the one kept at the package's press came back and «Сгенерировать» charged for a fox.
     */
    @Test
    void theOrderChangedWhileTheInvoiceWaitedComesBackAsItIsNow() {
        h.command(U, "topup");
        h.press(U, "*|y");
        List<Reply> confirm = unaffordableFox();
        String payload = sent(h.press(U, button(confirm, "➕ 30\u00a0₽ for 20\u00a0⭐")), Reply.SendInvoice.class)
                .stream().map(i -> ((Reply.SendInvoice) i).payload()).findFirst().orElseThrow();
        List<Reply> edit = h.press(U, button(confirm, "✏️ Change"));
        h.press(U, button(edit, buttonTexts(edit).get(0)));
        assertThat(lastText(h.text(U, "cat"))).contains("cat");
        List<Reply> paid = h.send(U, new dev.kiebot.core.conversation.Event.SuccessfulPayment("charge-1", payload,
                "XTR", 20));
        assertThat(lastText(paid)).contains("cat").doesNotContain("fox");
        h.press(U, button(paid, "Generate"));
        assertThat(h.lastJob(U).values()).containsValue("cat").doesNotContainValue("fox");
    }

    /** A payment that credited nothing (an invoice never issued) brings back no order: the money did not come. */
    @Test
    void aPaymentThatCreditedNothingBringsNoOrderBack() {
        h.command(U, "topup");
        h.press(U, "*|y");
        h.press(U, button(unaffordableFox(), "➕ 30\u00a0₽ for 20\u00a0⭐"));
        long before = h.balance(U);
        List<Reply> paid = h.send(U, new dev.kiebot.core.conversation.Event.SuccessfulPayment("charge-x",
                "topup:never-issued", "XTR", 20));
        assertThat(h.balance(U)).isEqualTo(before);
        assertThat(paid).filteredOn(r -> r instanceof Reply.SendText || r instanceof Reply.EditText)
                .noneMatch(r -> lastText(List.of(r)).contains("fox"));
        assertThat(buttonTexts(paid)).doesNotContain("✏️ Change");
    }

    /** The plain «I accept»: the thanks and the packages are one message. */
    @Test
    void theThanksComeWithThePackages() {
        h.command(U, "topup");
        List<Reply> accepted = h.press(U, "*|y");
        assertThat(sent(accepted, Reply.SendText.class)).hasSize(1);
        assertThat(lastText(accepted)).contains("Thank you, the terms are accepted.", "Choose an amount");
    }

    /** /topup typed at a question offers the way back to the order, as /balance does. */
    @Test
    void theTopUpAskedAtAQuestionLeadsBackToIt() {
        h.command(U, "topup");
        h.press(U, "*|y");
        h.press(U, "*|g|img/m9");
        h.text(U, "fox");
        List<Reply> topUp = h.command(U, "topup");
        assertThat(buttonTexts(topUp)).startsWith(BACK);
        assertThat(lastText(h.press(U, button(topUp, BACK)))).contains("Frame shape");
    }
}
