package dev.kiebot.core.conversation;

import dev.kiebot.core.reply.FileSource;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Something a user did, already translated from Telegram's update format. Every field is required ({@code ""} or
 * {@code Optional.empty()} where the platform gave nothing): a null is refused here, with what to pass instead,
 * rather than failing deep in the handling, where it would be rolled back into an apology for every such update.
 */
public sealed interface Event {

    /**
     * {@code /name args}; the name is lower-case without the slash or {@code @botname}.
     *
     * @param name      the command, lower-case, without the slash or {@code @botname} ({@code start}); given with its
     *                  slash or in capitals ({@code /Start}), it is taken as that
     * @param args      the rest of the message after the command, {@code ""} when it came alone
     * @param messageId the message's id in its chat, when the adapter said
     * @param sentAt    when the message was sent (its date), when the adapter said: with the id, a command whose text
     *                  Telegram sent in parts ({@link LongText}) is told apart from the part after it
     * @param text      the message's text as the user wrote it ({@code /Name@bot args} with its own spaces and line
     *                  breaks): a part of a long text that merely begins with {@code /} is that text, not a command
     *                  ({@link #asText()}); {@code /name args} when the adapter did not say
     */
    record Command(String name, String args, Optional<Long> messageId, Optional<Instant> sentAt, String text)
            implements Event {
        /**
         * Checks that nothing is null, and takes a name given as typed ({@code /Start}) for the command it names
         * ({@code start}): a translator that passed the slash through, or the user's capitals, would otherwise give a
         * bot that answers every command with "unknown command".
         *
         * @param name      the command's name ({@code start}); one leading slash is dropped and the rest lower-cased
         * @param args      {@code ""} when the command came alone
         * @param messageId {@code Optional.empty()} when not known
         * @param sentAt    {@code Optional.empty()} when not known
         * @param text      the message's text, as written
         * @throws NullPointerException naming the component left null, and what to give instead
         */
        public Command {
            name = bare(name);
            Objects.requireNonNull(args, "Command: args, \"\" when the command came alone");
            Objects.requireNonNull(messageId, "Command: messageId, Optional.empty() when not known");
            Objects.requireNonNull(sentAt, "Command: sentAt, Optional.empty() when not known");
            Objects.requireNonNull(text, "Command: text, the message as written (\"/\" + name + \" \" + args when "
                    + "not known)");
        }

        /**
         * A command whose message's text is not known: {@code /name args}.
         *
         * @param name      lower-case, without the slash
         * @param args      {@code ""} when the command came alone
         * @param messageId {@code Optional.empty()} when not known
         * @param sentAt    {@code Optional.empty()} when not known
         */
        public Command(String name, String args, Optional<Long> messageId, Optional<Instant> sentAt) {
            this(name, args, messageId, sentAt, "/" + bare(name) + (args == null || args.isEmpty() ? "" : " " + args));
        }

        /** The command {@code name} names: without one leading slash, in lower case. */
        private static String bare(String name) {
            Objects.requireNonNull(name, "Command: name, lower-case without the slash (\"start\")");
            String bare = name.startsWith("/") ? name.substring(1) : name;
            return bare.toLowerCase(java.util.Locale.ROOT);
        }

        /**
         * A command whose message is not known (the form before split texts were joined).
         *
         * @param name lower-case, without the slash
         * @param args {@code ""} when the command came alone
         */
        public Command(String name, String args) {
            this(name, args, Optional.empty(), Optional.empty());
        }

        /**
         * The same command, sent as message {@code id} of its chat at {@code at} (the message's date).
         *
         * @param id the message's id in its chat
         * @param at the message's date, as the platform gave it
         * @return a new command; this one is unchanged
         */
        public Command sent(long id, Instant at) {
            return new Command(name, args, Optional.of(id), Optional.of(at), text);
        }

        /**
         * The same command, its message's text as the user wrote it.
         *
         * @param written the message's text, the slash and any {@code @botname} in it
         * @return a new command; this one is unchanged
         */
        public Command written(String written) {
            return new Command(name, args, messageId, sentAt, written);
        }

        /**
         * The first word of the arguments: all a {@code /start} link's parameter is (Telegram's deep link puts only the
         * payload there), where a {@code /start r_…} typed by hand may have more words after it, which say nothing.
         *
         * @return the arguments up to the first space or line break, stripped; {@code ""} when the command came alone
         */
        public String firstArg() {
            // (?U): a no-break space or another Unicode space ends the word too
            return args.strip().split("(?U)\\s+", 2)[0];
        }

        /**
         * This message as a text: what it is when it is the next part of a long text Telegram sent as several messages
         * and the part merely begins with {@code /} ({@link LongText}).
         *
         * @return the text with this message's id and date
         */
        public Text asText() {
            return new Text(text, messageId, sentAt);
        }
    }

    /**
     * A message's text that is not a command: a prompt, a field's value, an amount, a search.
     *
     * @param text      the message's text, as the user wrote it
     * @param messageId the message's id in its chat, when the adapter said: an edit of it ({@link EditedText}) names it
     * @param sentAt    when the message was sent (Telegram's {@code date}), when the adapter said: with the id, the
     *                  parts of a text Telegram sent as several messages are taken as one ({@link LongText})
     */
    record Text(String text, Optional<Long> messageId, Optional<Instant> sentAt) implements Event {
        /**
         * Checks that nothing is null.
         *
         * @param text      the text (a message without text is an {@link Unknown})
         * @param messageId {@code Optional.empty()} when not known
         * @param sentAt    {@code Optional.empty()} when not known
         * @throws NullPointerException naming the component left null, and what to give instead
         */
        public Text {
            Objects.requireNonNull(text, "Text: text (a message without text is an Event.Unknown)");
            Objects.requireNonNull(messageId, "Text: messageId, Optional.empty() when not known");
            Objects.requireNonNull(sentAt, "Text: sentAt, Optional.empty() when not known");
        }

        /**
         * A text whose date is not known (the form before split texts were joined).
         *
         * @param text      the message's text
         * @param messageId {@code Optional.empty()} when not known
         */
        public Text(String text, Optional<Long> messageId) {
            this(text, messageId, Optional.empty());
        }

        /**
         * A text whose message is not known (the form before edits were told apart).
         *
         * @param text the message's text
         */
        public Text(String text) {
            this(text, Optional.empty());
        }

        /**
         * The same text, sent as message {@code id} of its chat.
         *
         * @param id the message's id in its chat
         * @return a new text; this one is unchanged
         */
        public Text inMessage(long id) {
            return new Text(text, Optional.of(id), sentAt);
        }

        /**
         * The same text, its message sent at {@code at} (Telegram's {@code date}).
         *
         * @param at the message's date
         * @return a new text; this one is unchanged
         */
        public Text sentAt(Instant at) {
            return new Text(text, messageId, Optional.of(at));
        }
    }

    /**
     * A message sent before, its text changed by the user (Telegram's {@code edited_message}): not a new answer to
     * whatever is asked now, but a correction of the message {@code messageId}.
     *
     * @param messageId the edited message's id in its chat ({@link Text#messageId()} or {@link Media#messageId()} of
     *                  the message it was)
     * @param text      the message's text (or a file's caption) as it reads now
     */
    record EditedText(long messageId, String text) implements Event {
        /**
         * Checks the text.
         *
         * @param messageId the edited message's id
         * @param text      never null
         * @throws NullPointerException naming the component left null, and what to give instead
         */
        public EditedText {
            Objects.requireNonNull(text, "EditedText: text, the message's text as it reads now");
        }
    }

    /**
     * A message with a file sent before, edited by the user (Telegram's {@code edited_message}): its file replaced, or
     * its caption changed, or both; the platform sends the whole message either way. Where the message gave a file of
     * the order being made (before «Сгенерировать»), a new file replaces it and the order is shown again; a caption
     * changed alone is taken as an {@link EditedText} of the message is. Sent as an {@link EditedText} (the form
     * before files were told apart), a replaced file went unnoticed and the old one was paid for.
     *
     * @param messageId the edited message's id in its chat ({@link Media#messageId()} of the message it was)
     * @param media     the file the message carries now, with its caption ({@link Media#caption()}, empty for none)
     *                  and, where the platform says it, its {@link Media#uniqueId()}: by it a caption edit is told
     *                  apart from a new file
     */
    record EditedMedia(long messageId, Media media) implements Event {
        /**
         * Checks the file.
         *
         * @param messageId the edited message's id
         * @param media     never null
         * @throws NullPointerException naming the component left null, and what to give instead
         */
        public EditedMedia {
            Objects.requireNonNull(media, "EditedMedia: media, the file the message carries now");
        }

        /**
         * The edit as one of the message's text: its caption as it reads now.
         *
         * @return an {@link EditedText} of the message, {@code ""} for no caption
         */
        public EditedText asText() {
            return new EditedText(messageId, media.caption().orElse(""));
        }
    }

    /**
     * A file the user sent.
     *
     * @param type    what kind of file, as the platform sent it
     * @param fileId  Telegram's file id (download through {@link FileSource})
     * @param size    bytes, 0 when Telegram did not say
     * @param mimeType the file's media type, when the platform said
     * @param fileName the file's name, when the platform said
     * @param seconds length of an audio, voice or video clip, 0 when Telegram did not say
     * @param caption text sent with the file; it answers the next text field (a photo + its prompt)
     * @param album   the album the file came in (Telegram's {@code media_group_id}): an album's files come as separate
     *                messages, and those past what the field asked takes are left out of the order, not taken as the
     *                answers to the questions after it
     * @param messageId the message's id in its chat, when the adapter said: an edit of its caption ({@link EditedText})
     *                  names it, and changes the description the caption gave
     * @param uniqueId  the platform's id of the file's content, when the adapter said (Telegram's
     *                  {@code file_unique_id}): unlike {@code fileId}, which differs each time the file is sent, it stays
     *                  the same when the file is sent again or forwarded, so one receipt sent for two card / SBP
     *                  requests is told apart from two receipts
     */
    record Media(MediaType type, String fileId, long size, Optional<String> mimeType,
                 Optional<String> fileName, int seconds, Optional<String> caption, Optional<String> album,
                 Optional<Long> messageId, Optional<String> uniqueId)
            implements Event {

        /**
         * Checks that nothing is null.
         *
         * @param type      never null: {@link MediaType#DOCUMENT} for any other file
         * @param fileId    never null
         * @param size      bytes, 0 when not known
         * @param mimeType  {@code Optional.empty()} when not known
         * @param fileName  {@code Optional.empty()} when not known
         * @param seconds   0 when not known
         * @param caption   {@code Optional.empty()} for none
         * @param album     {@code Optional.empty()} for a file sent alone
         * @param messageId {@code Optional.empty()} when not known
         * @param uniqueId  {@code Optional.empty()} when not known
         * @throws NullPointerException naming the component left null, and what to give instead
         */
        public Media {
            Objects.requireNonNull(type, "Media: type (MediaType.DOCUMENT for any other file)");
            Objects.requireNonNull(fileId, "Media: fileId, what FileSource downloads the file by");
            Objects.requireNonNull(mimeType, "Media: mimeType, Optional.empty() when not known");
            Objects.requireNonNull(fileName, "Media: fileName, Optional.empty() when not known");
            Objects.requireNonNull(caption, "Media: caption, Optional.empty() for none");
            Objects.requireNonNull(album, "Media: album, Optional.empty() for a file sent alone");
            Objects.requireNonNull(messageId, "Media: messageId, Optional.empty() when not known");
            Objects.requireNonNull(uniqueId, "Media: uniqueId, Optional.empty() when not known");
        }

        /**
         * A file whose content's id is not known (the form before receipts were compared; kept for adapters written
         * then).
         *
         * @param type      what kind of file
         * @param fileId    the platform's file id
         * @param size      bytes, 0 when not known
         * @param mimeType  {@code Optional.empty()} when not known
         * @param fileName  {@code Optional.empty()} when not known
         * @param seconds   a clip's length, 0 when not known
         * @param caption   {@code Optional.empty()} for none
         * @param album     {@code Optional.empty()} for a file sent alone
         * @param messageId {@code Optional.empty()} when not known
         */
        public Media(MediaType type, String fileId, long size, Optional<String> mimeType, Optional<String> fileName,
                     int seconds, Optional<String> caption, Optional<String> album, Optional<Long> messageId) {
            this(type, fileId, size, mimeType, fileName, seconds, caption, album, messageId, Optional.empty());
        }

        /**
         * A file whose message is not known (the form before a caption's edits were told apart).
         *
         * @param type     what kind of file
         * @param fileId   the platform's file id
         * @param size     bytes, 0 when not known
         * @param mimeType {@code Optional.empty()} when not known
         * @param fileName {@code Optional.empty()} when not known
         * @param seconds  a clip's length, 0 when not known
         * @param caption  {@code Optional.empty()} for none
         * @param album    {@code Optional.empty()} for a file sent alone
         */
        public Media(MediaType type, String fileId, long size, Optional<String> mimeType, Optional<String> fileName,
                     int seconds, Optional<String> caption, Optional<String> album) {
            this(type, fileId, size, mimeType, fileName, seconds, caption, album, Optional.empty());
        }

        /**
         * A file sent alone (the form before albums were carried; kept for adapters written then).
         *
         * @param type     what kind of file
         * @param fileId   the platform's file id
         * @param size     bytes, 0 when not known
         * @param mimeType {@code Optional.empty()} when not known
         * @param fileName {@code Optional.empty()} when not known
         * @param seconds  a clip's length, 0 when not known
         * @param caption  {@code Optional.empty()} for none
         */
        public Media(MediaType type, String fileId, long size, Optional<String> mimeType, Optional<String> fileName,
                     int seconds, Optional<String> caption) {
            this(type, fileId, size, mimeType, fileName, seconds, caption, Optional.empty());
        }

        /**
         * A file sent alone, without a caption.
         *
         * @param type     what kind of file
         * @param fileId   the platform's file id
         * @param size     bytes, 0 when not known
         * @param mimeType {@code Optional.empty()} when not known
         * @param fileName {@code Optional.empty()} when not known
         * @param seconds  a clip's length, 0 when not known
         */
        public Media(MediaType type, String fileId, long size, Optional<String> mimeType, Optional<String> fileName,
                     int seconds) {
            this(type, fileId, size, mimeType, fileName, seconds, Optional.empty());
        }

        /**
         * A file without a known duration (photos, documents).
         *
         * @param type     what kind of file
         * @param fileId   the platform's file id
         * @param size     bytes, 0 when not known
         * @param mimeType {@code Optional.empty()} when not known
         * @param fileName {@code Optional.empty()} when not known
         */
        public Media(MediaType type, String fileId, long size, Optional<String> mimeType, Optional<String> fileName) {
            this(type, fileId, size, mimeType, fileName, 0, Optional.empty());
        }

        /**
         * The same file with the text sent with it.
         *
         * @param text the caption; null or blank for none
         * @return a new media event; this one is unchanged
         */
        public Media withCaption(String text) {
            return new Media(type, fileId, size, mimeType, fileName, seconds,
                    Optional.ofNullable(text).filter(t -> !t.isBlank()), album, messageId, uniqueId);
        }

        /**
         * The same file, come in album {@code id} (Telegram's {@code media_group_id}; null or blank: alone).
         *
         * @param id the album's id, or null
         * @return a new media event; this one is unchanged
         */
        public Media inAlbum(String id) {
            return new Media(type, fileId, size, mimeType, fileName, seconds, caption,
                    Optional.ofNullable(id).filter(a -> !a.isBlank()), messageId, uniqueId);
        }

        /**
         * The same file, sent as message {@code id} of its chat.
         *
         * @param id the message's id in its chat
         * @return a new media event; this one is unchanged
         */
        public Media inMessage(long id) {
            return new Media(type, fileId, size, mimeType, fileName, seconds, caption, album, Optional.of(id),
                    uniqueId);
        }

        /**
         * The same file, with the platform's id of its content (Telegram's {@code file_unique_id}).
         *
         * @param id the content's id; null or blank: not known
         * @return a new media event; this one is unchanged
         */
        public Media withUniqueId(String id) {
            return new Media(type, fileId, size, mimeType, fileName, seconds, caption, album, messageId,
                    Optional.ofNullable(id).filter(u -> !u.isBlank()));
        }
    }

    /**
     * An inline button press; {@code messageId} is the message the button belongs to.
     *
     * @param queryId   the platform's id of the press, which its answer ({@code Reply.AnswerCallback}) names
     * @param data      the button's callback data, as the shop made it ({@code ""} when it carried none)
     * @param messageId the message the button belongs to, when the platform said: a press on an older screen is
     *                  told apart by it
     */
    record Callback(String queryId, String data, Optional<Long> messageId) implements Event {
        /**
         * Checks that nothing is null.
         *
         * @param queryId   never null
         * @param data      {@code ""} when the button carried none
         * @param messageId {@code Optional.empty()} when the message is not known
         * @throws NullPointerException naming the component left null, and what to give instead
         */
        public Callback {
            Objects.requireNonNull(queryId, "Callback: queryId, what the press is answered by");
            Objects.requireNonNull(data, "Callback: data, \"\" when the button carried none");
            Objects.requireNonNull(messageId, "Callback: messageId, Optional.empty() when the message is not known");
        }
    }

    /**
     * Telegram asks whether a Stars invoice may be paid; must be answered within 10 s. The answer
     * ({@code Reply.AnswerPreCheckout}) goes at once after the update commits.
     *
     * @param queryId     the platform's id of the question, which the answer names
     * @param payload     {@code invoice_payload}, as the shop's invoice gave it
     * @param currency    {@code XTR} for Stars
     * @param totalAmount Stars, not minor units
     */
    record PreCheckout(String queryId, String payload, String currency, long totalAmount) implements Event {
        /**
         * Checks that nothing is null.
         *
         * @param queryId     never null
         * @param payload     {@code ""} when the platform gave none (refused)
         * @param currency    {@code ""} when the platform gave none (refused)
         * @param totalAmount Stars
         * @throws NullPointerException naming the component left null, and what to give instead
         */
        public PreCheckout {
            Objects.requireNonNull(queryId, "PreCheckout: queryId, what the question is answered by");
            Objects.requireNonNull(payload, "PreCheckout: payload, \"\" when the platform gave none (refused)");
            Objects.requireNonNull(currency, "PreCheckout: currency, \"\" when the platform gave none (refused)");
        }
    }

    /**
     * A Stars invoice was paid (Telegram's {@code successful_payment}), reported as Telegram sent it: the shop checks
     * the payload, currency and amount against its own invoice and credits the wallet once per {@code chargeId}; a
     * payment that does not match is kept for an admin's refund, never credited.
     *
     * <p>Core cannot ask the platform whether the Stars were paid: it credits on your word. Make one only from an
     * update your door authenticated as the platform's (Telegram's webhook: the {@code X-Telegram-Bot-Api-Secret-Token}
     * header equal to the {@code secret_token} you registered, as kiebot's runner checks it; long polling asks Telegram
     * itself): whoever can post to an open door credits himself a payment he never made.
     *
     * @param chargeId    {@code telegram_payment_charge_id}: what a refund names
     * @param payload     {@code invoice_payload}, as the shop's {@link dev.kiebot.core.reply.Reply.SendInvoice} gave it
     * @param currency    {@code currency} ({@code XTR} for Stars)
     * @param totalAmount {@code total_amount}: Stars, not minor units; 0 when the platform gave none (not credited: the
     *                    user and the admins are told, and the payment is kept for a refund)
     */
    record SuccessfulPayment(String chargeId, String payload, String currency, long totalAmount)
            implements Event {
        /**
         * Checks that nothing is null.
         *
         * @param chargeId    never null
         * @param payload     {@code ""} when the platform gave none (not credited)
         * @param currency    {@code ""} when the platform gave none (not credited)
         * @param totalAmount Stars; 0 when the platform gave none (not credited)
         * @throws NullPointerException naming the component left null, and what to give instead
         */
        public SuccessfulPayment {
            requirePaymentFields("SuccessfulPayment", chargeId, payload, currency);
        }
    }

    /**
     * Telegram gave a Stars payment back (its {@code refunded_payment}: an admin's refund, or one made outside the
     * bot); the fields as in {@link SuccessfulPayment}. The shop takes what the payment credited off the wallet once.
     *
     * @param chargeId    {@code telegram_payment_charge_id} of the payment given back
     * @param payload     {@code invoice_payload} of that payment
     * @param currency    {@code XTR} for Stars
     * @param totalAmount Stars given back, not minor units
     */
    record RefundedPayment(String chargeId, String payload, String currency, long totalAmount)
            implements Event {
        /**
         * Checks that nothing is null.
         *
         * @param chargeId    never null
         * @param payload     {@code ""} when the platform gave none
         * @param currency    {@code ""} when the platform gave none
         * @param totalAmount Stars
         * @throws NullPointerException naming the component left null, and what to give instead
         */
        public RefundedPayment {
            requirePaymentFields("RefundedPayment", chargeId, payload, currency);
        }
    }

    /**
     * The user blocked ({@code blocked = true}) or unblocked the bot.
     *
     * @param blocked true when the user blocked the bot (Telegram's {@code my_chat_member}, {@code kicked} in a private
     *                chat); false when they unblocked it, or the bot was added to a group
     */
    record MembershipChanged(boolean blocked) implements Event {
    }

    /**
     * Anything else (stickers in text states, locations, contacts, polls, ...): still answered.
     *
     * @param kind a word for the log: what the platform sent ({@code sticker}, {@code poll})
     */
    record Unknown(String kind) implements Event {
        /**
         * Checks the kind.
         *
         * @param kind never null
         * @throws NullPointerException naming the component left null, and what to give instead
         */
        public Unknown {
            Objects.requireNonNull(kind, "Unknown: kind, a word for the log (\"sticker\", \"poll\")");
        }
    }

    /** The fields a payment and its refund share, checked in one place. */
    private static void requirePaymentFields(String event, String chargeId, String payload, String currency) {
        Objects.requireNonNull(chargeId, event + ": chargeId, the platform's id of the charge");
        Objects.requireNonNull(payload, event + ": payload, \"\" when the platform gave none (not credited)");
        Objects.requireNonNull(currency, event + ": currency, \"\" when the platform gave none (not credited)");
    }
}
