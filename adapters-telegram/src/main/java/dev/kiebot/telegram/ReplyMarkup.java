package dev.kiebot.telegram;

import com.google.gson.stream.JsonWriter;
import com.pengrad.telegrambot.request.BaseRequest;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Keyboard;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A reply's inline keyboard as the {@code reply_markup} parameter of a Bot API request, written straight from core's
 * {@link Keyboard} into one string. Given pengrad's {@code InlineKeyboardMarkup} instead, pengrad turned it into the
 * same text with Gson's reflective writer at every call: a tenth of everything the reply senders allocated in a warm
 * burst (the menu's and the images button's keyboards hold a dozen to thirty Cyrillic labels; BENCHMARKS.md, section
 * 75). Written here with Gson's own streaming writer, HTML-safe as {@code BotUtils.GSON} is, so the text is the one Gson
 * wrote, to the byte (ReplyMarkupTest compares them): the same fields in the same order, the same escapes, and Telegram
 * reads exactly what it read before. pengrad sends a parameter that is a {@code String} as it is.
 */
final class ReplyMarkup {
    /** The parameter pengrad's {@code replyMarkup(...)} sets. */
    static final String PARAMETER = "reply_markup";

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
        StringWriter text = new StringWriter(capacity(keyboard));
        try (JsonWriter out = new JsonWriter(text)) {
            out.setHtmlSafe(true);
            out.beginObject().name("inline_keyboard").beginArray();
            for (List<Button> row : keyboard.rows()) {
                if (row.isEmpty()) {
                    continue;
                }
                out.beginArray();
                for (Button b : row) {
                    out.beginObject().name("text").value(b.text());
                    if (b.url().isPresent()) {
                        out.name("url").value(b.url().get());
                    } else {
                        out.name("callback_data").value(b.data().orElse(""));
                    }
                    out.endObject();
                }
                out.endArray();
            }
            out.endArray().endObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return text.toString();
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
}
