package dev.kiebot.core.conversation;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.buttonTexts;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Balance;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stale button pressed while an order is being made (an option under an older question, the same option tapped
 * again on a slow network) keeps the order: a pop-up, and its current step again. «Сгенерировать» pressed again after
 * the order went is told so by a pop-up alone: no second job, no second hold, no menu burying the job's message.
 */
class StaleButtonsMidOrderTest {
    private static final long U = 42;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(U, "start");
        h.topUp(U, 10_000);
    }

    /** The single answer to the press: its pop-up's text, empty when it only stops the spinner. */
    private static String popUp(List<Reply> replies) {
        return replies.stream().filter(r -> r instanceof Reply.AnswerCallback).map(r -> (Reply.AnswerCallback) r)
                .reduce((a, b) -> {
                    throw new AssertionError("two answers in " + replies);
                }).orElseThrow(() -> new AssertionError("no answer in " + replies)).text().orElse("");
    }

    private static List<Reply> messages(List<Reply> replies) {
        return replies.stream().filter(r -> r instanceof Reply.SendText || r instanceof Reply.EditText).toList();
    }

    @Test
    void anOptionUnderAnOlderQuestionKeepsTheOrderAndAsksTheCurrentQuestionAgain() {
        h.press(U, "*|g|img/m9");
        List<Reply> shape = h.text(U, "fox");
        h.press(U, button(shape, "◀ Back")); // the description asked again: the frame shape's buttons are old now
        List<Reply> stale = h.press(U, button(shape, "16:9"));
        assertThat(popUp(stale)).contains("outdated", "Your answers are kept");
        assertThat(messages(stale)).singleElement().isInstanceOf(Reply.SendText.class);
        assertThat(lastText(stale)).contains("Description").doesNotContain("outdated", "Main menu");
        assertThat(buttonTexts(stale)).contains("↩️ Keep: fox");
        assertThat(h.session(U).state()).isInstanceOf(ChatState.Collecting.class);

        List<Reply> confirm = h.press(U, button(h.text(U, "a cat"), "9:16"));
        h.press(U, button(confirm, "Generate"));
        assertThat(h.lastJob(U).values()).containsEntry("prompt", "a cat").containsEntry("aspect_ratio", "9:16");
    }

    /** The last option tapped again after its answer moved on: the confirmation again, the order as it was. */
    @Test
    void theSameOptionTappedAgainShowsTheConfirmationAgain() {
        h.press(U, "*|g|img/m9");
        List<Reply> shape = h.text(U, "fox");
        h.press(U, button(shape, "16:9"));
        List<Reply> again = h.press(U, button(shape, "16:9"));
        assertThat(popUp(again)).contains("outdated");
        assertThat(lastText(again)).contains("fox", "16:9").doesNotContain("Main menu");
        h.press(U, button(again, "Generate"));
        assertThat(h.stores.jobs().recent(U, 5)).singleElement()
                .satisfies(j -> assertThat(j.values()).containsEntry("prompt", "fox").containsEntry("aspect_ratio",
                        "16:9"));
    }

    /** «Сгенерировать» of an older confirmation of the same order: the order's newest confirmation, no job. */
    @Test
    void anOlderConfirmationsGenerateShowsTheNewestOneAndStartsNothing() {
        List<Reply> first = h.foxImageToConfirm(U);
        List<Reply> shape = h.press(U, button(h.press(U, button(first, "Change")), "Frame shape"));
        List<Reply> second = h.press(U, button(shape, "16:9"));
        List<Reply> stale = h.press(U, button(first, "Generate"));
        assertThat(popUp(stale)).contains("outdated");
        assertThat(lastText(stale)).contains("fox", "16:9");
        assertThat(h.stores.jobs().recent(U, 5)).isEmpty();
        assertThat(h.balance(U)).isEqualTo(10_000);
        assertThat(buttonTexts(second)).anyMatch(b -> b.contains("Generate"));
    }

    /**
     * «Сгенерировать» again after its job started: a pop-up naming the job, no message (the job's status is the last
     * one in the chat), the chat where it was; one job, one hold, however often it is pressed.
     */
    @Test
    void generatePressedAgainAfterTheOrderWentNamesTheJobAndStartsNoOther() {
        String generate = button(h.foxImageToConfirm(U), "Generate");
        h.press(U, generate);
        String job = h.lastJob(U).id().display();
        h.work(10); // submitted: still running
        Balance wallet = h.stores.ledger().balance(AccountId.wallet(U));
        ChatSession before = h.session(U);
        for (int i = 0; i < 2; i++) {
            List<Reply> again = h.press(U, generate);
            assertThat(popUp(again)).isEqualTo("Generation " + job + " has already started — I will not start it a second time.");
            assertThat(messages(again)).isEmpty();
        }
        h.work(10);
        assertThat(h.session(U)).isEqualTo(before);
        assertThat(h.stores.jobs().recent(U, 5)).hasSize(1);
        assertThat(h.stores.ledger().balance(AccountId.wallet(U))).isEqualTo(wallet);
        assertThat(h.provider.submitted).hasSize(1);
    }

    /**
     * Two orders at one price running: the button names no job, and a guess named either; the pop-up names none, and
     * says where the running ones are.
     */
    @Test
    void generatePressedAgainWithTwoRunningAtItsPriceNamesNoJob() {
        String first = button(h.foxImageToConfirm(U), "Generate");
        h.press(U, first);
        h.press(U, button(h.foxImageToConfirm(U), "Generate"));
        h.work(10);
        assertThat(h.stores.jobs().recent(U, 5)).hasSize(2);
        List<Reply> again = h.press(U, first);
        assertThat(popUp(again))
                .isEqualTo("This generation has already started — I will not start it a second time. What is running now: /status.");
        assertThat(messages(again)).isEmpty();
        assertThat(h.stores.jobs().recent(U, 5)).hasSize(2);
    }

    /** The order cancelled: the pop-up says the order went (sent or cancelled: the button cannot tell), no menu either. */
    @Test
    void generatePressedAfterTheOrderWasCancelledSaysSoAlone() {
        List<Reply> confirm = h.foxImageToConfirm(U);
        h.press(U, button(confirm, "Cancel"));
        List<Reply> afterCancel = h.press(U, button(confirm, "Generate"));
        assertThat(popUp(afterCancel)).isEqualTo("This button is outdated: the generation has already been started or cancelled.");
        assertThat(messages(afterCancel)).isEmpty();
        assertThat(h.stores.jobs().recent(U, 5)).isEmpty();
        assertThat(h.balance(U)).isEqualTo(10_000);
    }

    /** With no order being made a stale button still gets the fresh menu, which says so. */
    @Test
    void withNoOrderAStaleButtonStillGetsTheFreshMenu() {
        List<Reply> confirm = h.foxImageToConfirm(U);
        List<Reply> list = h.press(U, button(confirm, "Change"));
        h.command(U, "menu");
        List<Reply> stale = h.press(U, button(list, "Description"));
        assertThat(popUp(stale)).isEmpty();
        assertThat(lastText(stale)).startsWith("This button is outdated. Here is the main menu.\n");
        assertThat(h.session(U).state()).isInstanceOf(ChatState.Menu.class);
    }
}
