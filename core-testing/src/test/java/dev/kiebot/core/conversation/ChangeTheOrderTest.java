package dev.kiebot.core.conversation;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.buttonTexts;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A typo in the prompt or a wrong option needs no new order: «Изменить» on the confirmation asks one field again and
 * keeps the rest; «Назад» under a question asks the one before it.
 */
class ChangeTheOrderTest {
    private static final long U = 42;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(U, "start");
        h.topUp(U, 10_000);
    }

    /** img/m9 asks a description, then a frame shape. @return the confirmation of «fox», 16:9 */
    private List<Reply> foxConfirmed() {
        h.press(U, "*|g|img/m9");
        List<Reply> confirm = h.press(U, button(h.text(U, "fox"), "16:9"));
        assertThat(lastText(confirm)).contains("fox", "16:9");
        return confirm;
    }

    @Test
    void oneFieldIsChangedAndTheRestKept() {
        List<Reply> list = h.press(U, button(foxConfirmed(), "Change"));
        assertThat(list).last().isInstanceOf(Reply.EditText.class); // in place of the confirmation
        assertThat(lastText(list)).contains("What would you like to change?");
        assertThat(buttonTexts(list)).containsExactly("Description", "Frame shape", "↩ Back to my order");

        List<Reply> asked = h.press(U, button(list, "Description"));
        assertThat(lastText(asked)).contains("Description");
        List<Reply> confirm = h.text(U, "a cat");
        // the frame shape was answered: not asked again
        assertThat(lastText(confirm)).contains("a cat", "16:9").doesNotContain("fox");
        h.press(U, button(confirm, "Generate"));
        assertThat(h.lastJob(U).values()).containsEntry("prompt", "a cat").containsEntry("aspect_ratio", "16:9");
    }

    @Test
    void aPricedOptionChangedIsPricedAgainAndTheListLeadsBackUnchanged() {
        List<Reply> list = h.press(U, button(foxConfirmed(), "Change"));
        List<Reply> back = h.press(U, button(list, "Back to my order"));
        assertThat(back).last().isInstanceOf(Reply.EditText.class);
        assertThat(lastText(back)).contains("fox", "16:9");

        List<Reply> shape = h.press(U, button(h.press(U, button(back, "Change")), "Frame shape"));
        List<Reply> confirm = h.press(U, button(shape, "1:1"));
        assertThat(lastText(confirm)).contains("fox", "1:1");
    }

    @Test
    void backAsksTheFieldBeforeAgain() {
        List<Reply> first = h.press(U, "*|g|img/m9");
        assertThat(buttonTexts(first)).doesNotContain("◀ Back"); // nothing before the first field
        List<Reply> shape = h.text(U, "fox");
        List<Reply> again = h.press(U, button(shape, "◀ Back"));
        assertThat(lastText(again)).contains("Description");
        List<Reply> shapeAgain = h.text(U, "a cat");
        assertThat(lastText(shapeAgain)).contains("Frame shape");
        assertThat(lastText(h.press(U, button(shapeAgain, "9:16")))).contains("a cat", "9:16");
    }

    /** The list's buttons belong to that confirmation: once the order is placed they are stale. */
    @Test
    void theListIsStaleOnceTheOrderIsPlaced() {
        List<Reply> confirm = foxConfirmed();
        List<Reply> list = h.press(U, button(confirm, "Change"));
        h.press(U, button(h.press(U, button(list, "Back to my order")), "Generate"));
        assertThat(lastText(h.press(U, button(list, "Description")))).contains("outdated");
    }
}
