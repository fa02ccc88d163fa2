package dev.kiebot.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What each chat of the soak sees last, as the fake Bot API received it: the newest message the bot sent or edited,
 * its inline buttons (label and callback data, read from {@code reply_markup}), and counters of the bot's texts,
 * photos and button answers, so a user of the soak presses what the bot offered (a versioned button carries the chat
 * session's version, which only the bot's own keyboard knows) and waits for the bot's answer. Off until
 * {@link #enable()}: the burst and load phases pay nothing for it. Memory: one entry per chat, the soak's few hundred.
 */
final class Screens {
    /** {@code {"text":"…", … "callback_data":"…"}}: pengrad writes a button's text first. */
    private static final Pattern BUTTON = Pattern.compile(
            "\\{\"text\":\"((?:[^\"\\\\]|\\\\.)*)\"[^{}]*?\"callback_data\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** A button on a chat's newest screen. */
    record Button(String label, String data) {
    }

    /**
     * One chat's newest screen and counters.
     *
     * @param messageId the message the buttons are on
     * @param buttons   its inline buttons; empty for a message without any
     * @param texts     sendMessage and editMessageText calls for the chat so far
     * @param photos    sendPhoto calls (a delivered result)
     * @param acks      answerCallbackQuery calls for the chat's presses
     * @param atNanos   when the last of them came
     */
    record Screen(int messageId, List<Button> buttons, long texts, long photos, long acks, long atNanos) {
        static final Screen NONE = new Screen(0, List.of(), 0, 0, 0, 0);

        Optional<Button> button(String labelPart) {
            // with or without the emoji variation selector (U+FE0F): the texts gave ▶ and ↩ one (d9f089ce) and the
            // soak's "▶ Start" was pressed no more, every chat starting again at /start with no generation made
            String part = labelPart.replace("\uFE0F", "");
            return buttons.stream().filter(b -> b.label().replace("\uFE0F", "").contains(part)).findFirst();
        }

        /** Bot output of any kind the soak waits for: a text, a photo or a press's answer. */
        long answers() {
            return texts + photos + acks;
        }
    }

    private volatile boolean enabled;
    private final ConcurrentHashMap<Long, Screen> byChat = new ConcurrentHashMap<>();

    void enable() {
        enabled = true;
    }

    Screen of(long chat) {
        return byChat.getOrDefault(chat, Screen.NONE);
    }

    /** A sendMessage/editMessageText ({@code photo} false) or sendPhoto ({@code photo} true) to {@code chat}. */
    void message(long chat, int messageId, String replyMarkup, boolean photo) {
        if (!enabled || chat == 0) {
            return;
        }
        List<Button> buttons = buttons(replyMarkup);
        byChat.compute(chat, (k, s) -> {
            Screen old = s == null ? Screen.NONE : s;
            // a message without buttons (a "working…" note) leaves the keyboard the user still sees
            boolean keep = buttons.isEmpty() && !old.buttons().isEmpty();
            return new Screen(keep ? old.messageId() : messageId, keep ? old.buttons() : buttons,
                    old.texts() + (photo ? 0 : 1), old.photos() + (photo ? 1 : 0), old.acks(), System.nanoTime());
        });
    }

    void acknowledged(long chat) {
        if (!enabled || chat == 0) {
            return;
        }
        byChat.compute(chat, (k, s) -> {
            Screen old = s == null ? Screen.NONE : s;
            return new Screen(old.messageId(), old.buttons(), old.texts(), old.photos(), old.acks() + 1,
                    System.nanoTime());
        });
    }

    /** The callback buttons of a {@code reply_markup} JSON, in order; empty for none or another keyboard. */
    static List<Button> buttons(String replyMarkup) {
        if (replyMarkup == null || !replyMarkup.contains("inline_keyboard")) {
            return List.of();
        }
        List<Button> buttons = new ArrayList<>();
        Matcher m = BUTTON.matcher(replyMarkup);
        while (m.find()) {
            buttons.add(new Button(unescape(m.group(1)), unescape(m.group(2))));
        }
        return List.copyOf(buttons);
    }

    /** A JSON string's body without its escapes (Gson writes {@code =} as {@code \u003d}, for one). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                sb.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    if (i + 4 < s.length()) {
                        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                }
                default -> sb.append(e);
            }
        }
        return sb.toString();
    }
}
