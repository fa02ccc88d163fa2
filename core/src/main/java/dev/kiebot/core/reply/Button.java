package dev.kiebot.core.reply;

import java.util.Optional;

/**
 * An inline keyboard button: either callback data (≤ 64 bytes) or a URL.
 *
 * @param text the label the user reads
 * @param data what a press sends back ({@code Event.Callback.data}); empty for a link
 * @param url  the address the button opens; empty for a callback button
 */
public record Button(String text, Optional<String> data, Optional<String> url) {
    /** The most callback data a button carries, in UTF-8 bytes (Telegram's limit). */
    public static final int MAX_DATA_BYTES = 64;

    /**
     * Checks the values.
     *
     * @param text the label, never null
     * @param data the callback data, at most {@link #MAX_DATA_BYTES} of UTF-8; present exactly when {@code url} is not
     * @param url  the link; present exactly when {@code data} is not
     * @throws NullPointerException     naming the component left null (a null label would reach the user as "null")
     * @throws IllegalArgumentException for a button with both data and a URL, or neither, or data over
     *                                  {@link #MAX_DATA_BYTES}
     */
    public Button {
        java.util.Objects.requireNonNull(text, "Button: text, the label the user reads");
        java.util.Objects.requireNonNull(data, "Button: data, Optional.empty() for a link (or use Button.link)");
        java.util.Objects.requireNonNull(url, "Button: url, Optional.empty() for a callback (or use Button.callback)");
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

    /**
     * A button that sends {@code data} back as an {@code Event.Callback} when pressed (at most 64 bytes of UTF-8). The
     * shop knows only its own buttons' data ({@link CallbackAction}): on a message of yours
     * ({@code shop.outbox().send}), a press that reaches {@code Storefront.serve} is answered as an outdated button,
     * so take your buttons' presses in your adapter before it, or give your messages {@link #link} buttons.
     *
     * @param text the label
     * @param data what a press sends back
     * @return the button
     * @throws IllegalArgumentException for data over {@link #MAX_DATA_BYTES}
     */
    public static Button callback(String text, String data) {
        return new Button(text, Optional.of(data), Optional.empty());
    }

    /**
     * A button that opens {@code url}; pressing it sends the bot nothing.
     *
     * @param text the label
     * @param url  an address the platform can open ({@code https://…}, {@code https://t.me/…})
     * @return the button
     */
    public static Button link(String text, String url) {
        return new Button(text, Optional.empty(), Optional.of(url));
    }
}
