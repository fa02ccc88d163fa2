package dev.kiebot.core.reply;

import dev.kiebot.core.jobs.MediaKind;
import java.util.Optional;

/** Something the bot says or does in Telegram; the Messenger adapter turns it into a Bot API call. */
public sealed interface Reply {
    /** The chat it goes to: the outbox queues and paces a chat's replies in order. */
    long chatId();

    /**
     * A new message.
     *
     * @param topic the forum topic to post in (a supergroup's {@code message_thread_id}); absent: the chat itself,
     *              which in a forum is its General topic
     */
    record SendText(long chatId, String text, Keyboard keyboard, Optional<Long> topic) implements Reply {
        /**
         * @throws NullPointerException naming the component and what to give: refused here, where your code makes the
         *                              message for {@code shop.outbox().send}, not as a bare failure in the store or
         *                              the text "null" in the user's chat
         */
        public SendText {
            java.util.Objects.requireNonNull(text, "Reply.SendText: text, the message to send");
            java.util.Objects.requireNonNull(keyboard, "Reply.SendText: keyboard, Keyboard.NONE for a message without "
                    + "buttons");
            java.util.Objects.requireNonNull(topic, "Reply.SendText: topic, Optional.empty() outside a forum topic");
        }

        /** A message to the chat itself (in a forum: its General topic). */
        public SendText(long chatId, String text, Keyboard keyboard) {
            this(chatId, text, keyboard, Optional.empty());
        }
    }

    /**
     * Replaces the text and keyboard of a message the bot sent ({@code editMessageText}); "message is not modified"
     * counts as sent ({@link Delivery.Sent}), as {@link Messenger} says.
     */
    record EditText(long chatId, int messageId, String text, Keyboard keyboard) implements Reply {
    }

    /** Every callback query is answered, also stale ones, so the client's spinner stops. */
    record AnswerCallback(long chatId, String queryId, Optional<String> text, boolean alert) implements Reply {
    }

    /**
     * A result or a history re-send.
     *
     * @param source a URL or a Telegram file id
     */
    record SendMedia(long chatId, MediaKind kind, String source, String caption, Keyboard keyboard)
            implements Reply {
    }

    /** A Telegram Stars invoice ({@code currency = XTR}, empty provider token). */
    record SendInvoice(long chatId, String title, String description, String payload, long stars)
            implements Reply {
    }

    /**
     * The answer to {@code Event.PreCheckout} ({@code answerPreCheckoutQuery}), due within Telegram's 10 s: sent at
     * once after the update commits, never queued behind other replies.
     *
     * @param error what the user is told when {@code ok} is false
     */
    record AnswerPreCheckout(long chatId, String queryId, boolean ok, Optional<String> error) implements Reply {
    }

    /** "typing…", "upload_photo", ... while work is under way. */
    record ChatAction(long chatId, String action) implements Reply {
    }

    /**
     * A file the bot made itself (the admins' chart), uploaded with the message.
     *
     * @param content the file's bytes (the record keeps its own copy)
     */
    record UploadMedia(long chatId, MediaKind kind, byte[] content, String fileName, String caption,
                       Keyboard keyboard) implements Reply {
        public UploadMedia {
            content = content.clone();
        }

        @Override
        public byte[] content() {
            return content.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof UploadMedia u && chatId == u.chatId && kind == u.kind
                    && java.util.Arrays.equals(content, u.content) && fileName.equals(u.fileName)
                    && caption.equals(u.caption) && keyboard.equals(u.keyboard);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(chatId, kind, java.util.Arrays.hashCode(content), fileName, caption,
                    keyboard);
        }

        @Override
        public String toString() {
            return "UploadMedia[chatId=" + chatId + ", kind=" + kind + ", " + content.length + " bytes, fileName="
                    + fileName + ", caption=" + caption + "]";
        }
    }
}
