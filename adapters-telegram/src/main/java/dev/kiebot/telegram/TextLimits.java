package dev.kiebot.telegram;

import java.util.ArrayList;
import java.util.List;

/** Bot API text limits (counted in UTF-16 code units, like Java strings) and safe cutting. */
final class TextLimits {
    static final int MESSAGE = 4096;
    static final int CAPTION = 1024;
    static final int CALLBACK_ANSWER = 200;
    static final int INVOICE_TITLE = 32;
    static final int INVOICE_DESCRIPTION = 255;
    /** A command's description in the command menu ({@code setMyCommands} refuses the whole list over it). */
    static final int COMMAND_DESCRIPTION = 256;
    static final String ELLIPSIS = "\u2026";

    private TextLimits() {
    }

    /** Cuts to at most {@code max} characters, ending with an ellipsis when something was cut. */
    static String truncate(String text, int max) {
        if (text == null) {
            return "";
        }
        if (text.length() <= max) {
            return text;
        }
        int cut = safeCut(text, max - 1);
        return text.substring(0, cut) + ELLIPSIS;
    }

    /**
     * Splits a long text into chunks of at most {@code max} characters, preferring line breaks,
     * then spaces, in the second half of each chunk; never splits a surrogate pair.
     */
    static List<String> split(String text, int max) {
        return chunks(text, max).stream().map(Chunk::text).toList();
    }

    /**
     * One message of a split text, and where it starts in the text. Splitting {@code text.substring(start)} gives
     * this chunk and the ones after it again, the same: each cut looks only at what follows the previous one. So what
     * is still to send after some of the chunks went out is the text from the next one's start.
     */
    record Chunk(int start, String text) {
    }

    /** {@link #split}, with where each chunk starts. */
    static List<Chunk> chunks(String text, int max) {
        List<Chunk> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        int i = 0;
        int n = text.length();
        while (n - i > max) {
            int end = i + max;
            int brk = text.lastIndexOf('\n', end - 1);
            if (brk <= i + max / 2) {
                brk = text.lastIndexOf(' ', end - 1);
            }
            int next;
            if (brk > i + max / 2) {
                end = brk;
                next = brk + 1;
            } else {
                end = safeCut(text, end);
                next = end;
            }
            String chunk = text.substring(i, end);
            if (!chunk.isBlank()) {
                out.add(new Chunk(i, chunk));
            }
            i = next;
        }
        String rest = text.substring(i);
        if (!rest.isBlank()) {
            out.add(new Chunk(i, rest));
        }
        return out;
    }

    /** An index ≤ {@code at} that does not fall between the halves of a surrogate pair. */
    private static int safeCut(String text, int at) {
        if (at > 0 && at < text.length() && Character.isHighSurrogate(text.charAt(at - 1))
                && Character.isLowSurrogate(text.charAt(at))) {
            return at - 1;
        }
        return at;
    }
}
