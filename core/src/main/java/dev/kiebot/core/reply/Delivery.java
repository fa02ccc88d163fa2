package dev.kiebot.core.reply;

import java.util.List;
import java.util.Optional;

/** What happened to one reply. */
public sealed interface Delivery {
    /**
     * @param messageId the platform's id of the sent or edited message, when there is one: a job's status is edited
     *                  in it later, and a button pressed on it comes back in {@code Event.Callback.messageId}
     * @param fileIds   the platform's ids of sent media (Telegram file ids), kept for history re-sends
     */
    record Sent(Optional<Integer> messageId, List<String> fileIds) implements Delivery {
        public Sent {
            fileIds = List.copyOf(fileIds);
        }
    }

    /** The user blocked the bot (403): they are marked inactive. */
    record Blocked() implements Delivery {
    }

    /**
     * It could not be delivered after the adapter's own retries; it surely did not arrive. The shop logs it and does
     * not send it again (only a job's result goes once more, as a text with its link): retry inside the adapter.
     */
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
