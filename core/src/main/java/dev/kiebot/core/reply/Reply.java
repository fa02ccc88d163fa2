package dev.kiebot.core.reply;

import dev.kiebot.core.jobs.MediaKind;
import java.util.Optional;

/**
 * Something the bot says or does in Telegram; the Messenger adapter turns it into a Bot API call. Every text is
 * plain text in the user's language (no markup to parse), and may be longer than a platform's message holds: the
 * {@link Messenger} fits it (see there).
 */
public sealed interface Reply {
    /**
     * The chat it goes to: the outbox queues and paces a chat's replies in order.
     *
     * @return the platform's chat id; in a private chat, the user's id
     */
    long chatId();

    /**
     * A new message.
     *
     * @param chatId   the chat it goes to
     * @param text     the message, plain text
     * @param keyboard the inline buttons under it; {@link Keyboard#NONE} for none
     * @param topic    the forum topic to post in (a supergroup's {@code message_thread_id}); absent: the chat itself,
     *                 which in a forum is its General topic
     */
    record SendText(long chatId, String text, Keyboard keyboard, Optional<Long> topic) implements Reply {
        /**
         * Checks the values.
         *
         * @param chatId   the chat it goes to
         * @param text     never null
         * @param keyboard never null: {@link Keyboard#NONE} for a message without buttons
         * @param topic    never null: {@code Optional.empty()} outside a forum topic
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

        /**
         * A message to the chat itself (in a forum: its General topic).
         *
         * @param chatId   the chat it goes to
         * @param text     the message, plain text
         * @param keyboard the inline buttons under it; {@link Keyboard#NONE} for none
         */
        public SendText(long chatId, String text, Keyboard keyboard) {
            this(chatId, text, keyboard, Optional.empty());
        }
    }

    /**
     * Replaces the text and keyboard of a message the bot sent ({@code editMessageText}); "message is not modified"
     * counts as sent ({@link Delivery.Sent}), as {@link Messenger} says.
     *
     * @param chatId    the chat of the message
     * @param messageId the platform's id of the message, as a {@link Delivery.Sent} gave it
     * @param text      the new text, plain
     * @param keyboard  the new buttons; {@link Keyboard#NONE} removes them
     */
    record EditText(long chatId, long messageId, String text, Keyboard keyboard) implements Reply {
    }

    /**
     * Every callback query is answered, also stale ones, so the client's spinner stops. Sent at once after the update
     * commits, not queued, and not at all once Telegram's window for it (about 15 s) has passed.
     *
     * @param chatId  the chat of the pressed button
     * @param queryId the platform's id of the press ({@code Event.Callback.queryId})
     * @param text    a short notice to show, if any (Telegram shows at most 200 characters)
     * @param alert   whether the notice is a dialog the user must close, rather than a toast
     */
    record AnswerCallback(long chatId, String queryId, Optional<String> text, boolean alert) implements Reply {
    }

    /**
     * A result or a history re-send.
     *
     * @param chatId   the chat it goes to
     * @param kind     how to send it: a photo, a video, audio or a document
     * @param source   a URL or a Telegram file id
     * @param caption  plain text under the media, possibly empty
     * @param keyboard the inline buttons under it; {@link Keyboard#NONE} for none
     * @param tooLarge what the user reads above the file's link when the file is too large for the platform to take
     *                 (a Telegram bot sends at most 50 MB), in the user's language: why a link came, and to save the
     *                 file soon (the provider keeps it for a limited time); empty: the link alone
     */
    record SendMedia(long chatId, MediaKind kind, String source, String caption, Keyboard keyboard,
                     Optional<String> tooLarge) implements Reply {
        /**
         * Checks the values.
         *
         * @param chatId   the chat it goes to
         * @param kind     how to send it
         * @param source   a URL or a Telegram file id
         * @param caption  plain text under the media, possibly empty
         * @param keyboard the inline buttons under it
         * @param tooLarge never null: {@code Optional.empty()} for the link alone
         * @throws NullPointerException for a null {@code tooLarge}, naming what to give
         */
        public SendMedia {
            java.util.Objects.requireNonNull(tooLarge, "Reply.SendMedia: tooLarge, Optional.empty() for the link alone");
        }

        /**
         * A media message whose link, should the file be too large for the platform, comes without a word of why.
         *
         * @param chatId   the chat it goes to
         * @param kind     how to send it
         * @param source   a URL or a Telegram file id
         * @param caption  plain text under the media, possibly empty
         * @param keyboard the inline buttons under it
         */
        public SendMedia(long chatId, MediaKind kind, String source, String caption, Keyboard keyboard) {
            this(chatId, kind, source, caption, keyboard, Optional.empty());
        }
    }

    /**
     * A Telegram Stars invoice ({@code currency = XTR}, empty provider token).
     *
     * @param chatId      the chat it goes to
     * @param title       the invoice's title (Telegram: at most 32 characters)
     * @param description what is bought
     * @param payload     the shop's id of the invoice, which the payment brings back ({@code Event.PreCheckout},
     *                    {@code Event.SuccessfulPayment}); send it unchanged
     * @param stars       the price in Stars (whole Stars: Telegram's XTR has no minor unit)
     */
    record SendInvoice(long chatId, String title, String description, String payload, long stars)
            implements Reply {
    }

    /**
     * The answer to {@code Event.PreCheckout} ({@code answerPreCheckoutQuery}), due within Telegram's 10 s: sent at
     * once after the update commits, never queued behind other replies.
     *
     * @param chatId  the paying user's chat
     * @param queryId the platform's id of the pre-checkout query
     * @param ok      whether the payment may go ahead
     * @param error   what the user is told when {@code ok} is false
     */
    record AnswerPreCheckout(long chatId, String queryId, boolean ok, Optional<String> error) implements Reply {
    }

    /**
     * "uploading a photo…" while work is under way: the platform shows it for a moment (Telegram's
     * {@code sendChatAction}).
     *
     * @param chatId   the chat that sees it
     * @param activity what the bot is doing, in the platform's words; a platform without such a thing answers
     *                 {@link Delivery.Sent}
     */
    record ChatAction(long chatId, Activity activity) implements Reply {
        /**
         * Checks the values.
         *
         * @param chatId   the chat that sees it
         * @param activity never null
         * @throws NullPointerException for a null activity
         */
        public ChatAction {
            java.util.Objects.requireNonNull(activity,
                    "Reply.ChatAction: activity, what the bot is doing, e.g. Activity.UPLOADING_PHOTO");
        }
    }

    /**
     * A file the bot made itself (the admins' chart), uploaded with the message.
     *
     * @param chatId   the chat it goes to
     * @param kind     how to send it: a photo (the chart) or a document (an export)
     * @param content  the file's bytes (the record keeps its own copy)
     * @param fileName the name to upload it under, with its extension
     * @param caption  plain text under the media, possibly empty
     * @param keyboard the inline buttons under it; {@link Keyboard#NONE} for none
     */
    @SuppressWarnings("ArrayRecordComponent") // copied in and out, and equals/hashCode compare the bytes
    record UploadMedia(long chatId, MediaKind kind, byte[] content, String fileName, String caption,
                       Keyboard keyboard) implements Reply {
        /**
         * Copies the content, so the caller's array may change afterwards.
         *
         * @param chatId   the chat it goes to
         * @param kind     how to send it
         * @param content  the file's bytes, copied
         * @param fileName the name to upload it under
         * @param caption  plain text under the media
         * @param keyboard the inline buttons under it
         */
        public UploadMedia {
            content = content.clone();
        }

        /**
         * The file's bytes.
         *
         * @return a copy: changing it changes nothing here
         */
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
