package dev.kiebot.core.reply;

import java.util.List;
import java.util.Optional;

/** What happened to one reply. */
public sealed interface Delivery {
    /**
     * @param messageId the sent or edited message, when there is one
     * @param fileIds   Telegram file ids of sent media, kept for history re-sends
     */
    record Sent(Optional<Integer> messageId, List<String> fileIds) implements Delivery {
        public Sent {
            fileIds = List.copyOf(fileIds);
        }
    }

    /** The user blocked the bot (403): they are marked inactive. */
    record Blocked() implements Delivery {
    }

    /** It could not be delivered after the adapter's own retries; it surely did not arrive. */
    record Failed(String reason) implements Delivery {
    }

    /**
     * It may or may not have arrived (the connection dropped after the request was sent): sending it again,
     * or the same thing in another form, could show the user two copies.
     */
    record Uncertain(String reason) implements Delivery {
    }

    default Optional<Integer> messageId() {
        return this instanceof Sent s ? s.messageId() : Optional.empty();
    }
}
