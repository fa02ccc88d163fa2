package dev.kiebot.core.text;

import java.util.regex.Pattern;

/**
 * A user's words kept on the line they are shown in. Names and ticket texts are written by users and shown to admins
 * beside the bot's own facts («User: {name}», then «Amount: …»; a ticket above the list of the user's payments): a line
 * break of any kind could start a line of the bot's own, and a direction mark could turn the text after it around.
 */
public final class OneLine {
    /**
     * Line and paragraph breaks, other control characters, and the marks that change the direction of the text after
     * them. Letters, emoji and their joiners stay.
     */
    private static final Pattern UNSHOWABLE =
            Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]+");

    private OneLine() {
    }

    /**
     * {@code text} with every run of what {@link #UNSHOWABLE} names as one space; nothing else changes.
     *
     * @param text any text
     * @return it on one line, read in its own direction
     */
    public static String of(String text) {
        return UNSHOWABLE.matcher(text).replaceAll(" ");
    }
}
