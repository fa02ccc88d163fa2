package dev.kiebot.core.text;

/** A user's text shortened to fit a line of a screen or a caption. */
public final class Snippet {
    private Snippet() {
    }

    /**
     * {@code text} itself when it has at most {@code max} characters, else its start and "…", at most {@code max} in
     * all; never cut inside a surrogate pair (an emoji half would show as a broken glyph), and no space before the "…".
     *
     * @param text the user's text
     * @param max  the most characters shown, the "…" included
     * @return the text, shortened if need be
     */
    public static String of(String text, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, got " + max);
        }
        if (text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end).stripTrailing() + "…";
    }
}
