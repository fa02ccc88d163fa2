package dev.kiebot.core.conversation;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.buttonTexts;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A look at the balance, the help, the history, the menu, a category or a model's card while an order is being made
 * keeps the order: the screen offers
 * «↩️ Вернуться к генерации», which asks its question again or shows its confirmation; a top-up from a question offers it
 * once the money is in, as a top-up from the confirmation always did.
 */
class InfoScreensKeepTheOrderTest {
    private static final long U = 42;
    private static final String BACK = "↩️ Back to my generation";
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness().startedByAdminAnd(U);
        h.topUp(U, 10_000);
    }

    private ChatState.Collecting collecting() {
        return (ChatState.Collecting) h.session(U).state();
    }

    /** img/m9 with its description given: the frame shape is asked. */
    private void foxAtTheShape() {
        h.press(U, "*|g|img/m9");
        assertThat(lastText(h.text(U, "fox"))).contains("Frame shape");
    }

    @Test
    void theBalanceAskedAtAQuestionLeadsBackToIt() {
        foxAtTheShape();
        List<Reply> balance = h.command(U, "balance");
        assertThat(lastText(balance)).contains("Balance");
        assertThat(buttonTexts(balance).get(0)).isEqualTo(BACK);

        List<Reply> asked = h.press(U, button(balance, BACK));
        assertThat(lastText(asked)).contains("Frame shape");
        List<Reply> confirm = h.press(U, button(asked, "16:9"));
        assertThat(lastText(confirm)).contains("fox", "16:9");
        h.press(U, button(confirm, "Generate"));
        assertThat(h.lastJob(U).values()).containsEntry("prompt", "fox").containsEntry("aspect_ratio", "16:9")
                .doesNotContainKey(KeptOrder.ASKED);
        // resumed, then placed: the button is stale
        assertThat(lastText(h.press(U, button(balance, BACK)))).contains("outdated");
    }

    @Test
    void theHelpAskedAtTheConfirmationLeadsBackToIt() {
        List<Reply> first = h.foxImageToConfirm(U);
        List<Reply> help = h.command(U, "help");
        assertThat(buttonTexts(help)).startsWith(BACK);
        List<Reply> confirm = h.press(U, button(help, BACK));
        assertThat(lastText(confirm)).contains("fox", "1:1");
        h.press(U, button(confirm, "Generate"));
        assertThat(h.stores.jobs().recent(U, 5)).hasSize(1);
        assertThat(buttonTexts(first)).anyMatch(b -> b.contains("Generate"));
    }

    /** Every information screen keeps it, however many are looked at in a row; the menu between them too. */
    @Test
    void everyInformationScreenKeepsTheOrder() {
        foxAtTheShape();
        for (String command : List.of("status", "history", "payments", "terms", "help", "menu", "popular", "balance")) {
            assertThat(buttonTexts(h.command(U, command))).as(command).startsWith(BACK);
        }
        List<Reply> asked = h.press(U, button(h.command(U, "balance"), BACK));
        assertThat(lastText(asked)).contains("Frame shape");
        assertThat(buttonTexts(asked)).contains("16:9", "◀ Back").doesNotContain(BACK);
    }

    /** /menu asked at a question (it dropped the order, description and all) offers the way back to it. */
    @Test
    void theMenuAskedAtAQuestionLeadsBackToIt() {
        foxAtTheShape();
        List<Reply> menu = h.command(U, "menu");
        assertThat(lastText(menu)).contains("Main menu");
        assertThat(buttonTexts(menu).get(0)).isEqualTo(BACK);
        List<Reply> asked = h.press(U, button(menu, BACK));
        assertThat(lastText(asked)).contains("Frame shape");
        assertThat(lastText(h.press(U, button(asked, "16:9")))).contains("fox", "16:9");
    }

    /**
     * The confirmation, then a walk through the shop by its buttons: «🏠 Menu», a category, its next page, another
     * model's card. Each screen offers the way back; the confirmation comes back as it was.
     */
    @Test
    void browsingFromTheConfirmationKeepsTheOrder() {
        h.foxImageToConfirm(U);
        List<Reply> menu = h.press(U, "*|m");
        assertThat(buttonTexts(menu)).startsWith(BACK);
        List<Reply> category = h.press(U, button(menu, "Images"));
        assertThat(buttonTexts(category)).startsWith(BACK);
        List<Reply> next = h.press(U, button(category, "➡"));
        assertThat(buttonTexts(next)).startsWith(BACK);
        List<Reply> card = h.press(U, "*|v|img/m3");
        assertThat(lastText(card)).contains("Image img/m3").doesNotContain("You have started");
        assertThat(buttonTexts(card)).startsWith(BACK);
        List<Reply> confirm = h.press(U, button(card, BACK));
        assertThat(lastText(confirm)).contains("fox", "1:1");
        h.press(U, button(confirm, "Generate"));
        assertThat(h.lastJob(U).modelId()).isEqualTo("img/m9");
    }

    /** The card of the model being ordered says so: the way back goes on, «Generate» begins anew. */
    @Test
    void theSameModelsCardOffersToGoOn() {
        foxAtTheShape();
        List<Reply> card = h.press(U, "*|v|img/m9");
        assertThat(lastText(card)).contains("You have already started a generation with this model", BACK, "▶️ Start");
        assertThat(buttonTexts(card)).startsWith(BACK);
        assertThat(lastText(h.press(U, button(card, BACK)))).contains("Frame shape");

        List<Reply> again = h.press(U, button(h.press(U, "*|v|img/m9"), "▶️ Start"));
        assertThat(again.stream().filter(Reply.SendText.class::isInstance).map(r -> ((Reply.SendText) r).text()))
                .anyMatch(t -> t.contains("Your unfinished generation with “Image img/m9” is cancelled"));
        assertThat(lastText(again)).contains("Description");
        assertThat(h.session(U).waitingOrder()).isEmpty();
        assertThat(collecting().values()).doesNotContainKey("prompt");
    }

    /** Another model's order begun from its card replaces the order kept: said once, and offered no more. */
    @Test
    void anotherModelsOrderReplacesTheOrderKept() {
        foxAtTheShape();
        List<Reply> card = h.press(U, "*|v|img/m3");
        List<Reply> started = h.press(U, button(card, "▶️ Start"));
        assertThat(started.stream().filter(Reply.SendText.class::isInstance).map(r -> ((Reply.SendText) r).text()))
                .anyMatch(t -> t.contains("Your unfinished generation with “Image img/m9” is cancelled"));
        assertThat(h.session(U).waitingOrder()).isEmpty();
        assertThat(lastText(h.text(U, "owl"))).contains("Frame shape");
        List<Reply> balance = h.command(U, "balance");
        List<Reply> asked = h.press(U, button(balance, BACK));
        assertThat(lastText(h.press(U, button(asked, "1:1")))).contains("owl").doesNotContain("fox");
    }

    /** «✖ Cancel» under a question is a «no» to the order: the menu after it offers nothing to go back to. */
    @Test
    void cancelUnderAQuestionKeepsNothing() {
        foxAtTheShape();
        List<Reply> shape = h.command(U, "balance");
        List<Reply> asked = h.press(U, button(shape, BACK));
        List<Reply> cancelled = h.press(U, button(asked, "Cancel"));
        assertThat(lastText(cancelled)).contains("Cancelled");
        assertThat(buttonTexts(cancelled)).doesNotContain(BACK);
        assertThat(buttonTexts(h.command(U, "menu"))).doesNotContain(BACK);
        assertThat(h.session(U).waitingOrder()).isEmpty();
    }

    /** Topped up from a question: the message that the money arrived asks it again. */
    @Test
    void aTopUpFromAQuestionBringsTheQuestionBackOnceTheMoneyIsIn() {
        foxAtTheShape();
        h.command(U, "topup");
        h.press(U, "*|y"); // the terms, before the first purchase
        String payload = h.press(U, "*|t|50").stream().filter(Reply.SendInvoice.class::isInstance)
                .map(i -> ((Reply.SendInvoice) i).payload()).findFirst().orElseThrow();
        List<Reply> paid = h.send(U, new Event.SuccessfulPayment("charge-1", payload, "XTR", 50));
        // the order comes back by itself under the payment's notice: no «↩️» to press
        assertThat(buttonTexts(paid)).doesNotContain(BACK).contains("🏠 Menu");
        assertThat(lastText(paid)).contains("Frame shape");
        assertThat(lastText(h.press(U, button(paid, "1:1")))).contains("fox", "1:1");
    }

    /** /cancel after a look at the help drops the order: its button is stale, and nothing more is offered. */
    @Test
    void cancelDropsTheOrderKept() {
        foxAtTheShape();
        List<Reply> help = h.command(U, "help");
        h.command(U, "cancel");
        assertThat(lastText(h.press(U, button(help, BACK)))).contains("outdated");
        assertThat(buttonTexts(h.command(U, "balance"))).doesNotContain(BACK);
        assertThat(h.session(U).waitingOrder()).isEqualTo(Optional.empty());
    }
}
