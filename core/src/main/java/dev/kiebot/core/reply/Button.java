package dev.kiebot.core.reply;

import java.util.Optional;

/** An inline keyboard button: either callback data (≤ 64 bytes) or a URL. */
public record Button(String text, Optional<String> data, Optional<String> url) {
    /** The most callback data a button carries, in UTF-8 bytes (Telegram's limit). */
    public static final int MAX_DATA_BYTES = 64;

    public Button {
        if (data.isPresent() == url.isPresent()) {
            throw new IllegalArgumentException("a button has either callback data or a URL");
        }
        data.ifPresent(d -> {
            if (d.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_DATA_BYTES) {
                throw new IllegalArgumentException("callback data over " + MAX_DATA_BYTES + " bytes (Telegram's limit): "
                        + d + "; keep what the button stands for in your store and put its id in the data");
            }
        });
    }

    /** A button that sends {@code data} back as an {@code Event.Callback} when pressed (at most 64 bytes of UTF-8). */
    public static Button callback(String text, String data) {
        return new Button(text, Optional.of(data), Optional.empty());
    }

    /** A button that opens {@code url}; pressing it sends the bot nothing. */
    public static Button link(String text, String url) {
        return new Button(text, Optional.empty(), Optional.of(url));
    }
}
