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
 * A look at the balance, the help, the history… while an order is being made keeps the order: the screen offers
 * «↩ Вернуться к генерации», which asks its question again or shows its confirmation; a top-up from a question offers it
 * once the money is in, as a top-up from the confirmation always did.
 */
class InfoScreensKeepTheOrderTest {
    private static final long U = 42;
    private static final String BACK = "↩ Back to my order";
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness().startedByAdminAnd(U);
        h.topUp(U, 10_000);
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
        assertThat(h.stores.jobs().recent(U, 5)).singleElement();
        assertThat(buttonTexts(first)).anyMatch(b -> b.contains("Generate"));
    }

    /** Every information screen keeps it, however many are looked at in a row; the menu between them too. */
    @Test
    void everyInformationScreenKeepsTheOrder() {
        foxAtTheShape();
        for (String command : List.of("status", "history", "payments", "terms", "help", "menu", "balance")) {
            List<Reply> screen = h.command(U, command);
            if (!command.equals("menu")) {
                assertThat(buttonTexts(screen)).as(command).startsWith(BACK);
            }
        }
        List<Reply> asked = h.press(U, button(h.command(U, "balance"), BACK));
        assertThat(lastText(asked)).contains("Frame shape");
        assertThat(buttonTexts(asked)).contains("16:9", "◀ Back").doesNotContain(BACK);
    }

    /** Topped up from a question: the message that the money arrived asks it again. */
    @Test
    void aTopUpFromAQuestionOffersItOnceTheMoneyIsIn() {
        foxAtTheShape();
        h.command(U, "topup");
        h.press(U, "*|y"); // the terms, before the first purchase
        String payload = h.press(U, "*|t|50").stream().filter(Reply.SendInvoice.class::isInstance)
                .map(i -> ((Reply.SendInvoice) i).payload()).findFirst().orElseThrow();
        List<Reply> paid = h.send(U, new Event.SuccessfulPayment("charge-1", payload, "XTR", 50));
        assertThat(buttonTexts(paid)).containsExactly(BACK, "🏠 Menu");
        List<Reply> asked = h.press(U, button(paid, BACK));
        assertThat(lastText(asked)).contains("Frame shape");
        assertThat(lastText(h.press(U, button(asked, "1:1")))).contains("fox", "1:1");
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
