package dev.kiebot.core.conversation;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The chat's last text that may be the first part of a longer one. A Telegram client sends a text longer than one
 * message holds ({@link #MESSAGE_UNITS} UTF-16 code units) as several messages, one right after another: Telegram
 * Desktop cuts each part at the best line or word break past half the limit, the mobile apps cut at the limit itself,
 * and Telegram drops the blanks at the cut. The parts are one text to the user, so the conversation takes them as one:
 * the part after this one is appended where this one went (a field's answer, its length checked on the whole), or, where
 * it cannot be (a ticket, an admin's command), answered with what happened and what to do; where it answered nothing
 * the screen asks (the menu, the confirmation, a photo or an amount asked), its first part's hint is the whole's; never
 * taken as a new answer to whatever is asked by then, nor as a second order or ticket.
 *
 * <p>The rule is deterministic, from the messages alone (no timer): a text is a possible first part when it is longer
 * than half of what a message holds ({@link #mayBeFirstPart}); the next text of the chat continues it when it is a later
 * message sent at most {@link #WINDOW} after it ({@link #continuedBy}), by the message dates Telegram gives (whole
 * seconds), a part that begins with {@code /} too, which is no command ({@link Event.Command#asText}). A text whose
 * message id or date the adapter did not say continues nothing.
 *
 * <p>Core's own: kept in the {@link ChatSession} and stored through {@link ChatStateCodec}; a partner neither builds
 * nor reads it.
 *
 * @param messageId  the message of the last part, in its chat
 * @param sentAt     when the last part was sent (its message's date)
 * @param partLength the last part's length in UTF-16 code units, as Telegram counts a message: a part cut at the very
 *                   limit was cut inside a word (the mobile apps), one shorter at a break Telegram then dropped
 * @param use        where the text went
 * @param name       the field that took it ({@link Use#FIELD}, {@link Use#FIELD_REFUSED}) or the admin's command
 *                   ({@link Use#COMMAND}); {@code ""} otherwise
 * @param total      the whole text's length so far in characters as its writer sees them: what a refusal tells
 */
public record LongText(long messageId, Instant sentAt, int partLength, Use use, String name, int total) {
    /** What one Telegram message holds, in UTF-16 code units: a longer text is sent in parts. */
    public static final int MESSAGE_UNITS = 4096;
    /**
     * How long after a part the next one may be sent: a client sends the parts at once, so they carry the same date or
     * the next second's; a message typed by hand after a long one takes longer than this.
     */
    public static final Duration WINDOW = Duration.ofSeconds(3);

    /** Where the text went. */
    public enum Use {
        /** It answered the text field {@code name}, the order going on. */
        FIELD,
        /** It was refused for the text field {@code name} (too long), which is asked again. */
        FIELD_REFUSED,
        /** It opened a support ticket. */
        TICKET,
        /** It was refused for a support ticket (too long), which is asked again. */
        TICKET_REFUSED,
        /** It came with the admin's command {@code name} ({@code /reply}, {@code /broadcast}), which took it whole. */
        COMMAND,
        /**
         * It answered nothing the screen asks: the menu (at the menu, on a model's card), the confirmation's buttons, a
         * file, a choice or a number for the question asked, the amount or the receipt of a card top-up; or it came
         * with a command that does not take it (any but an admin's {@code /reply} and {@code /broadcast}). The screen's
         * hint came back under it («use the menu», «choose with the buttons», what is asked), or the command's answer,
         * which answers the parts after it too, so they are not answered again. A session stored when it was kept for the menu alone names it
         * {@code MENU}, which {@link ChatStateCodec} reads as this.
         */
        NOT_ASKED
    }

    /**
     * Checks that nothing is null.
     *
     * @param messageId  the last part's message
     * @param sentAt     never null
     * @param partLength UTF-16 code units
     * @param use        never null
     * @param name       {@code ""} when the use has none
     * @param total      characters so far
     * @throws NullPointerException naming the part left null
     */
    public LongText {
        Objects.requireNonNull(sentAt, "sentAt: the part's message date");
        Objects.requireNonNull(use, "use: where the text went");
        Objects.requireNonNull(name, "name: \"\" when the use has none");
    }

    /**
     * Whether a message of {@code raw} may be the first part of a longer text (one more part may follow it).
     *
     * @param raw the message's text as the platform gave it
     * @return true for more than half of {@link #MESSAGE_UNITS}
     */
    public static boolean mayBeFirstPart(String raw) {
        return raw.length() > MESSAGE_UNITS / 2;
    }

    /**
     * Text {@code typed}, gone to {@code use}, kept for its next part: empty when no part follows it by the rule (too
     * short for a first part, or its message id or date unknown).
     *
     * @param typed the text
     * @param use   where it went
     * @param name  the field that took it, or {@code ""}
     * @param total its length in characters as its writer sees them
     * @return the state to keep, if any
     */
    static Optional<LongText> first(Event.Text typed, Use use, String name, int total) {
        if (!mayBeFirstPart(typed.text()) || typed.messageId().isEmpty() || typed.sentAt().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LongText(typed.messageId().get(), typed.sentAt().get(), typed.text().length(), use, name,
                total));
    }

    /**
     * Text {@code typed}, answered with the hint of a screen that did not ask for it ({@link Use#NOT_ASKED}), kept
     * for its next part; empty as in {@link #first}. Public for the storefront's answer to a banned user, which is
     * such a hint and runs no conversation.
     *
     * @param typed the text
     * @return the state to keep, if any
     */
    public static Optional<LongText> notAsked(Event.Text typed) {
        return first(typed, Use.NOT_ASKED, "", TypedLength.of(typed.text()).seen());
    }

    /**
     * This text, answered with a hint ({@link Use#NOT_ASKED}), with its next part {@code tail} taken, which that
     * hint answered too: kept for a further part when {@code tail} may be followed by one.
     *
     * @param tail the next part ({@link #continuedBy(Event.Text)})
     * @return the state to keep, if any
     */
    public Optional<LongText> notAskedThen(Event.Text tail) {
        if (!mayBeFirstPart(tail.text()) || tail.messageId().isEmpty() || tail.sentAt().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(then(tail.messageId().get(), tail.sentAt().get(), tail.text(), Use.NOT_ASKED,
                total + TypedLength.of(tail.text()).seen()));
    }

    /**
     * Whether text {@code next} is the next part of this text: {@link #continuedBy(int, Instant)} by its message id
     * and date; never one whose id or date is not known.
     *
     * @param next the chat's next text
     * @return true for the next part
     */
    public boolean continuedBy(Event.Text next) {
        return next.messageId().isPresent() && next.sentAt().isPresent()
                && continuedBy(next.messageId().get(), next.sentAt().get());
    }

    /**
     * Whether message {@code id}, sent at {@code at}, is the next part of this text.
     *
     * @param id the next text's message id
     * @param at the next text's message date
     * @return true for a later message sent within {@link #WINDOW}
     */
    public boolean continuedBy(long id, Instant at) {
        return id > messageId && !at.isBefore(sentAt) && !at.isAfter(sentAt.plus(WINDOW));
    }

    /**
     * {@code before} (this text as taken so far) with the next part {@code tail} after it: as is after a part cut at the
     * limit (inside a word), on a new line after a part cut at a break (which Telegram dropped, a line break most often:
     * Telegram Desktop prefers one to a space).
     *
     * @param before the text as taken so far
     * @param tail   the next part
     * @return the two as one text
     */
    public String join(String before, String tail) {
        return partLength >= MESSAGE_UNITS ? before + tail : before + "\n" + tail;
    }

    /**
     * The same text, its next part ({@code id}, {@code at}, {@code raw}) taken: where a further part would go.
     *
     * @param id       the part's message id
     * @param at       the part's message date
     * @param raw      the part's text
     * @param now      where the whole text went now
     * @param totalNow the whole text's length now, in characters
     * @return the state to keep for a further part
     */
    public LongText then(long id, Instant at, String raw, Use now, int totalNow) {
        return new LongText(id, at, raw.length(), now, name, totalNow);
    }
}
