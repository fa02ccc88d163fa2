package dev.kiebot.core.conversation;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a typed text is, two ways: as its writer sees it (user-perceived characters: a family emoji 👨‍👩‍👧 or a
 * flag 🇷🇺 is one) and as a model's limit counts it (code points, as the provider's «characters»: the family is 5, the
 * flag 2). A text is told in the first and checked against a model's limit in the second, the stricter of the two.
 *
 * <p>Counted with the regex {@code \X} (extended grapheme clusters, emoji sequences included since Java 15), not
 * {@code BreakIterator.getCharacterInstance}: on Java 17 that one still splits a ZWJ sequence (the family is 5) and a
 * flag (2); it learnt grapheme clusters only in Java 20.
 *
 * @param seen    user-perceived characters
 * @param counted code points, what a model's limit counts
 */
record TypedLength(int seen, int counted) {
    private static final Pattern GRAPHEME = Pattern.compile("\\X");

    static TypedLength of(String text) {
        Matcher m = GRAPHEME.matcher(text);
        int seen = 0;
        while (m.find()) {
            seen++;
        }
        return new TypedLength(seen, text.codePointCount(0, text.length()));
    }
}
