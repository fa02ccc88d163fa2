package dev.kiebot.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import com.pengrad.telegrambot.request.EditMessageText;
import com.pengrad.telegrambot.request.SendMessage;
import com.pengrad.telegrambot.utility.BotUtils;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Keyboard;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyMarkupTest {

    /** Telegram reads what it read when pengrad's Gson wrote the keyboard: the same text, to the byte. */
    @Test
    void writesWhatPengradsGsonWrote() {
        List<Keyboard> keyboards = new ArrayList<>(List.of(
                Keyboard.of(List.of(Button.callback("🏠 Меню", "*|m"))),
                new Keyboard(List.<List<Button>>of(
                        List.of(Button.callback("Картинки", "*|c|IMAGE"), Button.callback("Видео", "v1:cat:video")),
                        List.of(),
                        List.of(Button.link("Условия <&>='\"\\", "https://example.org/terms?a=1&b=<2>#'x'")),
                        List.of())),
                new Keyboard(List.<List<Button>>of(List.of(), List.of())),
                imagesScreen()));
        // every UTF-16 unit, lone surrogates included, 512 to a label
        for (int from = 0; from < 0x10000; from += 512) {
            StringBuilder label = new StringBuilder();
            for (int c = from; c < from + 512; c++) {
                label.append((char) c);
            }
            keyboards.add(Keyboard.of(List.of(Button.callback(label.toString(), "d"),
                    Button.link(label.toString(), "https://x.example/" + label))));
        }
        for (Keyboard k : keyboards) {
            assertThat(ReplyMarkup.json(k)).isEqualTo(BotUtils.GSON.toJson(TelegramMessenger.markup(k)));
        }
    }

    @Test
    void attachesTheTextThatPengradSendsAsItIs() {
        Keyboard k = imagesScreen();
        SendMessage send = new SendMessage(7L, "hi");
        ReplyMarkup.attach(send, k);
        assertThat(send.getParameters()).containsEntry(ReplyMarkup.PARAMETER, ReplyMarkup.json(k));
        EditMessageText edit = new EditMessageText(7L, 3, "hi");
        ReplyMarkup.attach(edit, Keyboard.NONE);
        assertThat(edit.getParameters()).doesNotContainKey(ReplyMarkup.PARAMETER);
    }

    /**
     * The keyboard's share of a reply's request, counted: attached, then made the form's value as pengrad makes it (a
     * String as it is, anything else through its Gson). With pengrad's {@code InlineKeyboardMarkup} the images screen's
     * keyboard cost a request 41-42 KB (this test's loop, the bot's JVM flags: the objects, and Gson's writer growing
     * its buffer as the Cyrillic labels come); written here, 17-18 KB: the request itself (2.3 KB), then about three
     * times the text's UTF-16 size (the builder's Latin-1 start, its UTF-16 copy at the first Cyrillic letter, the
     * string's Latin-1 attempt, the string).
     */
    @Test
    void aKeyboardCostsARequestFourTimesItsTextAtMost() {
        Keyboard k = imagesScreen();
        int textBytes = ReplyMarkup.json(k).length() * 2; // Cyrillic: UTF-16
        for (int i = 0; i < 3_000; i++) { // loaded and compiled
            formValue(k);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int requests = 2_000;
        long before = threads.getCurrentThreadAllocatedBytes();
        long chars = 0;
        for (int i = 0; i < requests; i++) {
            chars += formValue(k).length();
        }
        long perRequest = (threads.getCurrentThreadAllocatedBytes() - before) / requests;
        assertThat(chars).isEqualTo((long) requests * textBytes / 2);
        assertThat(perRequest).as("bytes allocated per request for its keyboard of %d UTF-16 bytes", textBytes)
                .isLessThan(4L * textBytes + 4096);
    }

    /** The keyboard's form value as pengrad's {@code TelegramBotClient.toParamValue} makes it of the parameter. */
    private static String formValue(Keyboard k) {
        SendMessage req = new SendMessage(7L, "text");
        ReplyMarkup.attach(req, k);
        Object value = req.getParameters().get(ReplyMarkup.PARAMETER);
        return value instanceof String s ? s : BotUtils.GSON.toJson(value);
    }

    /** Like the images button's screen: 34 models two to a row, their prices, and the way back. */
    private static Keyboard imagesScreen() {
        List<List<Button>> rows = new ArrayList<>();
        for (int i = 0; i < 34; i += 2) {
            rows.add(List.of(Button.callback("🖼 Модель " + i + " · от " + (i + 3) + " ⭐", "*|d|model-" + i),
                    Button.callback("🖼 Модель " + (i + 1) + " · от " + (i + 4) + " ⭐", "*|d|model-" + (i + 1))));
        }
        rows.add(List.of(Button.callback("⬅️ Назад", "*|m"), Button.link("Помощь", "https://example.org/help")));
        return new Keyboard(rows);
    }
}
