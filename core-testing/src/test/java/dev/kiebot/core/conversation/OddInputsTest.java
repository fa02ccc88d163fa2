package dev.kiebot.core.conversation;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A Russian user doing odd things mid-order: what the bot answers, and that the order survives. */
class OddInputsTest {
    private static final long U = 42;
    private static final String FAMILY = "👨‍👩‍👧"; // one character to the eye, five code points
    private static final String FLAG = "🇷🇺"; // one to the eye, two code points
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness().speaking("ru");
        h.command(U, "start");
    }

    private static String plain(List<Reply> r) {
        return lastText(r).replace('\u00A0', ' ');
    }

    /**
     * A prompt's length is told as the user counts it: a family emoji or a flag is one character, not five or two. A
     * text short enough to the eye but over the model's limit in its own count is still refused, and says why.
     */
    @Test
    void aPromptIsMeasuredInCharactersAsSeenAndTheModelsLimitStillHolds() {
        h.press(U, "*|g|img/m9");
        assertThat(plain(h.text(U, "а".repeat(1000) + FLAG)))
                .startsWith("Текст слишком длинный: 1001 символ, а можно не больше 1000 символов.");
        assertThat(plain(h.text(U, "а".repeat(999) + FAMILY)))
                .startsWith("Для этой модели текст слишком длинный: эмодзи, флаги и некоторые значки она считает за "
                        + "несколько символов. Для неё в тексте 1004 символа (на глаз — 1000), а можно не больше 1000 "
                        + "символов.");
        ChatState.Collecting c = (ChatState.Collecting) h.session(U).state();
        assertThat(c.field()).isZero();
        assertThat(plain(h.text(U, "а".repeat(995) + FAMILY))).contains("Формат кадра");
        assertThat(((ChatState.Collecting) h.session(U).state()).values()).containsEntry("prompt",
                "а".repeat(995) + FAMILY);
    }
}
