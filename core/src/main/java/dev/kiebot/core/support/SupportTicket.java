package dev.kiebot.core.support;

import dev.kiebot.core.text.OneLine;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A user's payment problem, written after {@code /paysupport}.
 *
 * @param id        the store's number for it, shown as {@code #5}
 * @param userId    who wrote it
 * @param text      what he wrote, at most {@value #TEXT_MAX} code points
 * @param createdAt when
 */
public record SupportTicket(long id, long userId, String text, Instant createdAt) {
    /**
     * Longest problem description kept (one Telegram message, with room for the admins' header), in code points as the
     * store counts them (PostgreSQL's {@code length}): a flag is two, a family emoji five.
     */
    public static final int TEXT_MAX = 3000;

    /** Any line break: {@code \\R} knows them all, the line and paragraph separators included. */
    private static final Pattern LINE_BREAK = Pattern.compile("\\R");
    /** What the bot's own lines never start with, so a quoted line cannot pass for one of them. */
    static final String QUOTE = "┃ ";

    /**
     * Checks that nothing is null.
     *
     * @param id        the store's number
     * @param userId    who wrote it
     * @param text      never null
     * @param createdAt never null
     */
    public SupportTicket {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /**
     * How users and admins name it.
     *
     * @return {@code #} and its number
     */
    public String display() {
        return "#" + id;
    }

    /**
     * The text as admins read it, above the bot's own facts about the user (their payments, with refund buttons, and
     * generations): each of its lines behind «┃ ». Written by the user, it could otherwise hold a
     * «Payments:» section of its own, with a payment that never was, and an admin could credit or refund by hand
     * what it shows.
     *
     * @return the text, each line behind «┃ »
     */
    public String quoted() {
        return quote(text);
    }

    /**
     * Any text quoted as {@link #quoted} quotes a ticket's: an admin's answer shown under it, say.
     *
     * @param text any text
     * @return each of its lines behind «┃ »
     */
    public static String quote(String text) {
        return LINE_BREAK.splitAsStream(text)
                .map(line -> QUOTE + OneLine.of(line).stripTrailing())
                .collect(Collectors.joining("\n"));
    }

    /**
     * The text on one line, for a list of tickets: every break and run of blanks one space, nothing unshowable.
     *
     * @return the text on one line
     */
    public String flattened() {
        return OneLine.of(text).replaceAll("\\s+", " ").strip();
    }
}
