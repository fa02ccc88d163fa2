package dev.kiebot.telegram;

import com.pengrad.telegrambot.request.BaseRequest;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Keyboard;
import java.util.List;

/**
 * A reply's inline keyboard as the {@code reply_markup} parameter of a Bot API request, written straight from core's
 * {@link Keyboard} into one string. Given pengrad's {@code InlineKeyboardMarkup} instead, pengrad turned it into the
 * same text with Gson's reflective writer at every call: a tenth of everything the reply senders allocated in a warm
 * burst (the menu's and the images button's keyboards hold a dozen to thirty Cyrillic labels; BENCHMARKS.md, section
 * 75). The text is the one Gson wrote, to the byte (ReplyMarkupTest compares them): the same fields in the same order,
 * the same escapes ({@code BotUtils.GSON} is HTML-safe), so Telegram reads exactly what it read before. pengrad sends a
 * parameter that is a {@code String} as it is.
 */
final class ReplyMarkup {
    /** The parameter pengrad's {@code replyMarkup(...)} sets. */
    static final String PARAMETER = "reply_markup";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ReplyMarkup() {
    }

    /** Sets {@code keyboard} as the request's {@code reply_markup}; nothing for an empty keyboard. */
    static void attach(BaseRequest<?, ?> request, Keyboard keyboard) {
        if (!keyboard.isEmpty()) {
            request.getParameters().put(PARAMETER, json(keyboard));
        }
    }

    /**
     * {@code {"inline_keyboard":[[{"text":…,"callback_data":…},{"text":…,"url":…}],…]}}: rows kept, empty rows left
     * out, a button's URL when it has one, else its callback data ({@link TelegramMessenger#markup}'s mapping).
     */
    static String json(Keyboard keyboard) {
        StringBuilder out = new StringBuilder(capacity(keyboard));
        out.append("{\"inline_keyboard\":[");
        boolean firstRow = true;
        for (List<Button> row : keyboard.rows()) {
            if (row.isEmpty()) {
                continue;
            }
            out.append(firstRow ? "[" : ",[");
            firstRow = false;
            boolean firstButton = true;
            for (Button b : row) {
                out.append(firstButton ? "{\"text\":" : ",{\"text\":");
                firstButton = false;
                string(out, b.text());
                if (b.url().isPresent()) {
                    out.append(",\"url\":");
                    string(out, b.url().get());
                } else {
                    out.append(",\"callback_data\":");
                    string(out, b.data().orElse(""));
                }
                out.append('}');
            }
            out.append(']');
        }
        return out.append("]}").toString();
    }

    /**
     * Room for the keyboard without growing, when nothing in it needs an escape: each button's characters, field names
     * and quotes, each row's brackets and commas. Counted without an {@code Optional} made per button.
     */
    private static int capacity(Keyboard keyboard) {
        int chars = 22;
        for (List<Button> row : keyboard.rows()) {
            chars += 3;
            for (Button b : row) {
                chars += 32 + b.text().length()
                        + (b.url().isPresent() ? b.url().get().length() : b.data().isPresent() ? b.data().get().length() : 0);
            }
        }
        return chars;
    }

    /**
     * A JSON string as Gson's HTML-safe writer escapes it: quote and backslash; control characters as {@code \t},
     * {@code \b}, {@code \n}, {@code \r}, {@code \f} or a backslash, {@code u} and four lowercase hex digits;
     * {@code < > & = '} and U+2028, U+2029 in that last form too; everything else as it is.
     */
    private static void string(StringBuilder out, String s) {
        out.append('"');
        int plain = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String escape = escape(c);
            if (escape == null) {
                continue;
            }
            out.append(s, plain, i);
            if (escape.isEmpty()) {
                out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
                        .append(HEX[c & 0xf]);
            } else {
                out.append(escape);
            }
            plain = i + 1;
        }
        out.append(s, plain, s.length()).append('"');
    }

    /** The escape of {@code c}: null when it goes as it is, empty for the form with four hex digits. */
    private static String escape(char c) {
        if (c >= 0x80) {
            return c == '\u2028' || c == '\u2029' ? "" : null;
        }
        return switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\t' -> "\\t";
            case '\b' -> "\\b";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\f' -> "\\f";
            case '<', '>', '&', '=', '\'' -> "";
            default -> c < 0x20 ? "" : null;
        };
    }
}
