package dev.kiebot.core.broadcast;

import java.time.Instant;
import java.util.Optional;

/**
 * An admin's message to every active user, worked through in the background.
 *
 * @param id                the store's number for it, shown as {@code #7}
 * @param adminId           the admin who wrote it
 * @param chatId            the admin's chat, where progress and the final counts are reported
 * @param text              the message, at most {@value #TEXT_MAX} characters, sent as written
 * @param state             where it stands
 * @param recipients        users it goes to, fixed when it was queued (0 while a draft)
 * @param progressMessageId the admin's message edited with the progress, when known
 * @param createdAt         when it was drafted
 */
public record Broadcast(long id, long adminId, long chatId, String text, BroadcastState state, int recipients,
                        Optional<Long> progressMessageId, Instant createdAt) {
    /** The longest text of a broadcast: one Telegram message, sent as the admin wrote it. */
    public static final int TEXT_MAX = 4000;

    /**
     * How admins name it.
     *
     * @return {@code #} and its number
     */
    public String display() {
        return "#" + id;
    }
}
