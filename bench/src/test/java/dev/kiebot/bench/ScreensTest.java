package dev.kiebot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScreensTest {
    @Test
    void readsTheCallbackButtonsOfAnInlineKeyboardAsGsonWritesThem() {
        String markup = "{\"inline_keyboard\":[[{\"text\":\"\\uD83D\\uDDBC Images\",\"callback_data\":\"12|c|IMAGE\"},"
                + "{\"text\":\"Site\",\"url\":\"https://example.org\"}],[{\"text\":\"a \\\"b\\\" \\u003d c\","
                + "\"callback_data\":\"*|m\"}]]}";

        assertThat(Screens.buttons(markup)).containsExactly(new Screens.Button("🖼 Images", "12|c|IMAGE"),
                new Screens.Button("a \"b\" = c", "*|m"));
        assertThat(Screens.buttons("{\"remove_keyboard\":true}")).isEmpty();
        assertThat(Screens.buttons("")).isEmpty();
    }

    @Test
    void keepsEachChatsNewestKeyboardAndCountsItsAnswersOnlyOnceEnabled() {
        Screens screens = new Screens();
        String keyboard = "{\"inline_keyboard\":[[{\"text\":\"▶ Start\",\"callback_data\":\"3|g|nano\"}]]}";
        screens.message(5, 10, keyboard, false);
        assertThat(screens.of(5)).isEqualTo(Screens.Screen.NONE);

        screens.enable();
        long before = System.nanoTime();
        screens.message(5, 10, keyboard, false);
        screens.message(5, 11, "", false);
        screens.message(5, 12, "", true);
        screens.acknowledged(5);

        Screens.Screen s = screens.of(5);
        assertThat(s.messageId()).isEqualTo(10);
        assertThat(s.button("Start")).contains(new Screens.Button("▶ Start", "3|g|nano"));
        assertThat(List.of(s.texts(), s.photos(), s.acks(), s.answers())).containsExactly(2L, 1L, 1L, 4L);
        assertThat(s.atNanos()).isGreaterThanOrEqualTo(before);
        assertThat(screens.of(6)).isEqualTo(Screens.Screen.NONE);
    }

    /** The bot's ▶️ carries the emoji variation selector (U+FE0F) since d9f089ce; the soak asks for «▶ Start». */
    @Test
    void findsAButtonWithOrWithoutTheEmojiVariationSelector() {
        Screens.Button start = new Screens.Button("▶\uFE0F Start", "3|g|nano");
        Screens.Screen s = new Screens.Screen(10, List.of(start), 1, 0, 0, 0);
        assertThat(s.button("▶ Start")).contains(start);
        assertThat(s.button("▶\uFE0F Start")).contains(start);
        assertThat(new Screens.Screen(10, List.of(new Screens.Button("▶ Start", "3|g|nano")), 1, 0, 0, 0)
                .button("▶\uFE0F Start")).isPresent();
    }
}
