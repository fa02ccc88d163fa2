package dev.kiebot.core.conversation;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code /paysupport} ticket written in this chat a moment ago. A user who just wrote to support and then sends a
 * screenshot means it for the ticket; it was taken for the receipt of his card / SBP request (and reached the admins
 * as one, away from the ticket it explains) or answered «not marked paid yet». For {@link #FILES_FOLLOW} after the
 * ticket, a photo or a file where the screen asks for none goes to the admins as the ticket's.
 *
 * <p>Kept in the chat's {@link ChatSession} (no memory of the process: another instance, or the bot after a restart,
 * takes the file the same), and dropped when the user says he paid a request or makes one: a file then is a receipt.
 * Core's own: stored through {@link ChatStateCodec}; a partner neither builds nor reads it.
 *
 * @param at    when the ticket was written
 * @param album the album (Telegram's {@code media_group_id}) whose first file went to the ticket and was answered:
 *              its next files go there without a word; empty for none
 */
public record TicketJustOpened(Instant at, Optional<String> album) {
    /** How long after the ticket a file is taken for it: the time to find the screenshot and send it, to spare. */
    public static final Duration FILES_FOLLOW = Duration.ofMinutes(15);

    /**
     * Checks that nothing is null.
     *
     * @param at    never null
     * @param album {@code Optional.empty()} for none
     */
    public TicketJustOpened {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(album, "album: Optional.empty() for none");
    }

    /**
     * A ticket written at {@code at}, no file sent after it yet.
     *
     * @param at when the ticket was written
     */
    public TicketJustOpened(Instant at) {
        this(at, Optional.empty());
    }

    /**
     * Whether a file sent at {@code now} follows the ticket.
     *
     * @param now when the file came
     * @return true within {@link #FILES_FOLLOW} after the ticket
     */
    public boolean takesFileAt(Instant now) {
        return !now.isBefore(at) && !now.isAfter(at.plus(FILES_FOLLOW));
    }

    /**
     * Whether {@code media} is a file of the album already answered.
     *
     * @param media a file the user sent
     * @return true when it came in that album
     */
    public boolean answeredAlbum(Event.Media media) {
        return album.isPresent() && media.album().equals(album);
    }
}
