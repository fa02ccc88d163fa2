package dev.kiebot.core.conversation;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.testing.ShopHarness;
import org.junit.jupiter.api.Test;

/**
 * The confirmation recalls a typed answer in its first 80 characters: 200 each made Suno's lyrics, style and title a
 * confirmation longer than a phone's screen, with the «Generate» button under it.
 */
class ConfirmationRecallsTextsShortTest {
    private static final long U = 42;

    @Test
    void aLongPromptIsRecalledByItsStart() {
        ShopHarness h = new ShopHarness();
        h.command(U, "start");
        h.topUp(U, 100_000);
        String prompt = "a red fox in the snow at dawn, ".repeat(6).strip();
        h.press(U, "*|g|img/m9");
        String confirmation = lastText(h.press(U, button(h.text(U, prompt), "1:1")));
        assertThat(confirmation).contains(prompt.substring(0, 79).stripTrailing() + "…")
                .doesNotContain(prompt.substring(0, 80));
    }
}
