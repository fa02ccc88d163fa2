package dev.kiebot.core.conversation;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * The album (Telegram's {@code media_group_id}) whose first file was answered as a card / SBP receipt. Telegram sends
 * each file of an album as a message of its own, and three screenshots of one payment got three answers; now the
 * album's first file is answered (the receipt taken, or the question which request it is for), and the files after it
 * are taken for the same request without a word, or let go with the question asked once. An album the screen takes
 * none of (photos at the menu) is kept so too, with no request: its first file's answer speaks for the rest.
 *
 * <p>Kept in the chat's {@link ChatSession} for the next event only, as a long text's first part is: an album's files
 * come one after another, and any other event ends it. No memory of the process: another instance, or the bot after a
 * restart, takes the album's next file the same. Core's own: stored through {@link ChatStateCodec}; a partner neither
 * builds nor reads it.
 *
 * @param album     the album's id as Telegram sent it
 * @param requestId the request its files went to; empty when the user was asked which of his requests they are for
 */
public record ReceiptAlbum(String album, OptionalLong requestId) {
    /**
     * Checks that nothing is null.
     *
     * @param album     never null
     * @param requestId {@code OptionalLong.empty()} when the user was asked which request
     */
    public ReceiptAlbum {
        Objects.requireNonNull(album, "album");
        Objects.requireNonNull(requestId, "requestId: OptionalLong.empty() when the user was asked which request");
    }

    /**
     * Whether {@code media} is one of this album's files.
     *
     * @param media a file the user sent
     * @return true when it came in this album
     */
    public boolean has(Event.Media media) {
        return media.album().filter(album::equals).isPresent();
    }
}
