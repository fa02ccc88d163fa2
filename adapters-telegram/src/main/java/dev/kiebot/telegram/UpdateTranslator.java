package dev.kiebot.telegram;

import com.pengrad.telegrambot.model.Animation;
import com.pengrad.telegrambot.model.Audio;
import com.pengrad.telegrambot.model.CallbackQuery;
import com.pengrad.telegrambot.model.Chat;
import com.pengrad.telegrambot.model.ChatMember;
import com.pengrad.telegrambot.model.ChatMemberUpdated;
import com.pengrad.telegrambot.model.Document;
import com.pengrad.telegrambot.model.Message;
import com.pengrad.telegrambot.model.PhotoSize;
import com.pengrad.telegrambot.model.PreCheckoutQuery;
import com.pengrad.telegrambot.model.RefundedPayment;
import com.pengrad.telegrambot.model.Sticker;
import com.pengrad.telegrambot.model.SuccessfulPayment;
import com.pengrad.telegrambot.model.Update;
import com.pengrad.telegrambot.model.User;
import com.pengrad.telegrambot.model.Video;
import com.pengrad.telegrambot.model.VideoNote;
import com.pengrad.telegrambot.model.Voice;
import com.pengrad.telegrambot.model.message.MaybeInaccessibleMessage;
import com.pengrad.telegrambot.utility.BotUtils;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.ChatKind;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translates Telegram updates (pengrad {@link Update} or raw webhook JSON) into core {@link Incoming}
 * events. Pure and thread-safe.
 *
 * <p>Every {@link Incoming} says the kind of chat it came from ({@link ChatKind}, Telegram's {@code chat.type}): the
 * core serves private chats only and gives a group one short answer. Rules:
 * <ul>
 *   <li>Private chats: every message kind becomes an event (unknown kinds become {@link Event.Unknown}), but for
 *       notices about the chat itself (a pin, the auto-delete timer, a background, write access allowed), which
 *       are nothing said to the bot.</li>
 *   <li>Groups/supergroups: commands not addressed to another bot ({@code /cmd} and {@code /cmd@ourbot}; Telegram
 *       hands a bot in privacy mode a plain {@code /cmd} only when it is likely meant for it) and replies to the
 *       bot's own messages; payments always. Channels: nothing.</li>
 *   <li>{@code /cmd@otherbot} is not ours: {@code Unknown("foreign_command")} in private chats, nothing in groups.</li>
 *   <li>Messages' texts and commands carry the message's id and date ({@link Event.Text#messageId},
 *       {@link Event.Text#sentAt}): the parts of a long text a client sent as several messages are taken as one (see
 *       {@code LongText}). An edited text becomes
 *       {@link Event.EditedText} with that id, told apart from a new answer; so does an edited command (never
 *       run); an edited file becomes {@link Event.EditedMedia} (the file it carries now, with its caption); without
 *       an id, {@code Unknown("edited_<kind>")}. An
 *       edit of anything else (a live location moving, a poll, a payment notice) is nothing said to the bot.</li>
 *   <li>Forwarded messages: a command in one is not the sender's ({@code Unknown("forwarded_command")} in private
 *       chats, nothing in groups), so an admin passing on somebody's message never runs it; forwarded text and
 *       files are inputs like any other.</li>
 *   <li>Messages sent through a bot's inline mode ({@code via_bot}): a command in one is that bot's words, not the
 *       sender's ({@code Unknown("inline_bot_command")} in private chats, nothing in groups); their text is an input
 *       like any other.</li>
 *   <li>{@code my_chat_member} in a private chat: {@code kicked} = blocked, {@code member} = unblocked; in a group:
 *       the bot added ({@code MembershipChanged(false)}, so the group hears once where the bot works), nothing
 *       else.</li>
 * </ul>
 */
public final class UpdateTranslator {
    private static final Logger log = LoggerFactory.getLogger(UpdateTranslator.class);
    /** Frames of an update that could not be read, in its line: from where it failed to this class. */
    private static final int WHERE_FRAMES_MAX = 8;
    private static final Pattern COMMAND =
            Pattern.compile("^/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]{1,64}))?(?:\\s+([\\s\\S]*))?$");

    /**
     * The kinds of update this translator reads, for {@code setWebhook}'s and {@code getUpdates}' {@code allowed_updates}
     * ({@link WebhookRegistration#setWebhook}): Telegram sends no others. Left out, Telegram keeps the list the last
     * registration gave: one without {@code my_chat_member} (an older code's) and the bot never hears it was blocked.
     */
    public static final List<String> ALLOWED_UPDATES = List.of("message", "edited_message", "callback_query",
            "pre_checkout_query", "my_chat_member");

    private final String botUsername;
    private final long botUserId;

    /**
     * @param botUsername the bot's username without '@' (from {@code getMe}); blank when unknown, in
     *                    which case every {@code /cmd@name} is taken as addressed to us
     * @param botUserId   the bot's user id (from {@code getMe}), 0 when unknown; used to recognise
     *                    replies to the bot's messages in groups
     */
    public UpdateTranslator(String botUsername, long botUserId) {
        String u = botUsername == null ? "" : botUsername.trim();
        this.botUsername = u.startsWith("@") ? u.substring(1) : u;
        this.botUserId = botUserId;
    }

    public UpdateTranslator(String botUsername) {
        this(botUsername, 0);
    }

    /** The bot's username without '@', when known: the core links a group to the bot's private chat with it. */
    public Optional<String> botUsername() {
        return botUsername.isEmpty() ? Optional.empty() : Optional.of(botUsername);
    }

    /** Parses raw update JSON (webhook body or stored inbox payload); empty when malformed or not for us. */
    public Optional<Incoming> parse(String json) {
        Optional<Update> update = parseUpdate(json);
        if (update.isEmpty()) {
            return Optional.empty();
        }
        try {
            return translate(update.get());
        } catch (RuntimeException e) {
            // the type and where, never the message: it may quote the update (a name, a text)
            log.warn("update ignored, its content could not be read ({} at {}): its sender gets no answer. Telegram's "
                    + "own updates should never do this: report it with this line", e.getClass().getSimpleName(),
                    where(e));
            return Optional.empty();
        }
    }

    /**
     * The frames of {@code e} from where it was thrown to the first in this class, at most {@value #WHERE_FRAMES_MAX}:
     * {@code Objects.requireNonNull:235 < Event$Media.<init>:273 < … < UpdateTranslator.message:300}, what a bug report
     * needs.
     */
    private static String where(Throwable e) {
        StackTraceElement[] stack = e.getStackTrace();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(stack.length, WHERE_FRAMES_MAX); i++) {
            String type = stack[i].getClassName();
            out.append(i == 0 ? "" : " < ").append(type.substring(type.lastIndexOf('.') + 1)).append('.')
                    .append(stack[i].getMethodName()).append(':').append(stack[i].getLineNumber());
            if (type.equals(UpdateTranslator.class.getName())) {
                break;
            }
        }
        return out.length() == 0 ? "no frames" : out.toString();
    }

    /** {@link BotUtils#parseUpdate(String)} that never throws. */
    public static Optional<Update> parseUpdate(String json) {
        if (json == null || json.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(BotUtils.parseUpdate(json));
        } catch (RuntimeException e) {
            log.debug("malformed update JSON: {}", e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    /**
     * Update JSON for the inbox when updates arrive through long polling as pengrad objects
     * (Bot API field names; {@link #parse} and {@link #chatIdOf(String)} read it back).
     */
    public static String toJson(Update update) {
        return BotUtils.toJson(update);
    }

    /**
     * What the inbox files an update under: its id and the chat it belongs to, and when it happened by its own date
     * ({@link #sentAtOf}), by which the door refuses one too old to be Telegram's delivery.
     *
     * @param updateId Telegram's {@code update_id}
     * @param chatId   the chat it belongs to ({@link #chatIdOf(Update)})
     * @param sentAt   its own date; empty for a kind that carries none (a button press, a pre-checkout)
     */
    public record UpdateKey(long updateId, long chatId, Optional<Instant> sentAt) {
    }

    /** The {@link UpdateKey} of raw update JSON, read with one parse; empty when it is not an update. */
    public static Optional<UpdateKey> keyOf(String json) {
        Optional<Update> u = parseUpdate(json);
        if (u.isEmpty() || u.get().updateId() == null) {
            return Optional.empty();
        }
        long chat;
        try {
            chat = chatIdOf(u.get());
        } catch (RuntimeException e) {
            chat = 0;
        }
        return Optional.of(new UpdateKey(u.get().updateId(), chat, sentAtOf(u.get())));
    }

    /**
     * When the update happened by its own date, for the kind {@link #translate} reads it as: a message's {@code date}
     * (a payment's and a refund's notice are messages), an edit's {@code edit_date} (its {@code date} is the message's
     * first sending, which may be days before: a user may edit an old message), a membership change's {@code date}.
     * A button press carries none of its own (the message it is under is the bot's, pressed however old), nor does a
     * pre-checkout; nor does a message Telegram sent without one, which then cannot be told old by it.
     *
     * @param u a parsed update
     * @return its own date; empty for a kind that carries none
     */
    public static Optional<Instant> sentAtOf(Update u) {
        Integer seconds;
        if (u.message() != null || u.channelPost() != null) {
            seconds = firstNonNull(u.message(), u.channelPost()).date();
        } else if (u.editedMessage() != null || u.editedChannelPost() != null) {
            Message m = firstNonNull(u.editedMessage(), u.editedChannelPost());
            seconds = m.editDate() != null ? m.editDate() : m.date();
        } else if (u.callbackQuery() != null || u.preCheckoutQuery() != null) {
            seconds = null; // translated as the press or the query: the date of a message beside them is not theirs
        } else if (u.myChatMember() != null) {
            seconds = u.myChatMember().date();
        } else if (u.chatMember() != null) {
            seconds = u.chatMember().date();
        } else {
            seconds = null;
        }
        return seconds == null ? Optional.empty() : Optional.of(Instant.ofEpochSecond(seconds));
    }

    /** The {@code update_id} of raw update JSON, when it has one. */
    public static OptionalLong updateIdOf(String json) {
        Optional<Update> u = parseUpdate(json);
        if (u.isEmpty() || u.get().updateId() == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(u.get().updateId());
    }

    /**
     * The chat an update belongs to, for per-chat ordering in the inbox: the message's chat, a
     * callback's message chat, else the user (pre-checkout, inline callbacks), else 0.
     */
    public static long chatIdOf(String json) {
        Optional<Update> u = parseUpdate(json);
        if (u.isEmpty()) {
            return 0;
        }
        try {
            return chatIdOf(u.get());
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** {@link #chatIdOf(String)} for a parsed update. */
    public static long chatIdOf(Update u) {
        Message m = firstNonNull(u.message(), u.editedMessage(), u.channelPost(), u.editedChannelPost());
        if (m != null) {
            return chatOr(m.chat(), m.from());
        }
        if (u.callbackQuery() != null) {
            MaybeInaccessibleMessage mm = u.callbackQuery().maybeInaccessibleMessage();
            return mm != null ? chatOr(mm.chat(), u.callbackQuery().from()) : userId(u.callbackQuery().from());
        }
        if (u.preCheckoutQuery() != null) {
            return userId(u.preCheckoutQuery().from());
        }
        if (u.shippingQuery() != null) {
            return userId(u.shippingQuery().from());
        }
        if (u.myChatMember() != null) {
            return chatOr(u.myChatMember().chat(), u.myChatMember().from());
        }
        if (u.chatMember() != null) {
            return chatOr(u.chatMember().chat(), u.chatMember().from());
        }
        if (u.chatJoinRequest() != null) {
            return chatOr(u.chatJoinRequest().chat(), u.chatJoinRequest().from());
        }
        if (u.inlineQuery() != null) {
            return userId(u.inlineQuery().from());
        }
        if (u.chosenInlineResult() != null) {
            return userId(u.chosenInlineResult().from());
        }
        if (u.pollAnswer() != null) {
            return userId(u.pollAnswer().user());
        }
        if (u.messageReaction() != null) {
            return chatOr(u.messageReaction().chat(), u.messageReaction().user());
        }
        return 0;
    }

    /** Translates one update; empty when it is not addressed to the bot or carries nothing the core handles. */
    public Optional<Incoming> translate(Update u) {
        if (u == null || u.updateId() == null) {
            return Optional.empty();
        }
        long id = u.updateId();
        if (u.message() != null) {
            return message(id, u.message(), false);
        }
        if (u.editedMessage() != null) {
            return message(id, u.editedMessage(), true);
        }
        if (u.callbackQuery() != null) {
            return callback(id, u.callbackQuery());
        }
        if (u.preCheckoutQuery() != null) {
            PreCheckoutQuery q = u.preCheckoutQuery();
            if (q.from() == null || q.id() == null) {
                return Optional.empty();
            }
            // no chat: Telegram asks the payer, whose private chat it is answered in
            return Optional.of(new Incoming(id, actor(q.from(), q.from().id()),
                    new Event.PreCheckout(q.id(), nz(q.invoicePayload()), nz(q.currency()),
                            q.totalAmount() == null ? 0 : q.totalAmount())).in(ChatKind.PRIVATE));
        }
        if (u.myChatMember() != null) {
            return membership(id, u.myChatMember());
        }
        return Optional.empty();
    }

    private Optional<Incoming> message(long updateId, Message m, boolean edited) {
        if (!edited && m.refundedPayment() != null && m.chat() != null && chatKind(m.chat()) == ChatKind.PRIVATE) {
            return Optional.of(refundedPayment(updateId, m.chat(), m.refundedPayment()));
        }
        if (m.chat() == null || m.from() == null || Boolean.TRUE.equals(m.from().isBot())) {
            return Optional.empty();
        }
        ChatKind kind = chatKind(m.chat());
        Optional<Event> event = messageEvent(m, edited, kind);
        return event.map(e -> inTopic(m, new Incoming(updateId, actor(m.from(), m.chat().id()), e).in(kind)));
    }

    /**
     * Telegram's notice that Stars went back is a service message of the bot's own: its {@code from} is the bot that
     * returned them (MTProto's {@code messageActionPaymentRefunded.peer}), not the payer. Read as any message, it was
     * dropped as a bot's, so no refund was ever taken from a wallet by it: a refund made outside the bot, or one whose
     * admin's hold expired or could not be settled, left the user the Stars and the credit both. The payer is the
     * private chat's user (its id is his).
     */
    private static Incoming refundedPayment(long updateId, Chat chat, RefundedPayment p) {
        Actor payer = new Actor(chat.id(), chat.id(), nz(chat.firstName()), opt(chat.username()), Optional.empty());
        return new Incoming(updateId, payer, new Event.RefundedPayment(nz(p.telegramPaymentChargeId()),
                nz(p.invoicePayload()), nz(p.currency()), p.totalAmount() == null ? 0 : p.totalAmount()))
                .in(ChatKind.PRIVATE);
    }

    /**
     * A message in a forum topic is answered there. Only a topic message's thread counts: a reply thread in a
     * supergroup that is no forum has an id as well, and the Bot API takes {@code message_thread_id} for forum
     * supergroups only.
     */
    private static Incoming inTopic(Message m, Incoming in) {
        return Boolean.TRUE.equals(m.isTopicMessage()) && m.messageThreadId() != null
                ? in.inTopic(m.messageThreadId()) : in;
    }

    private Optional<Event> messageEvent(Message m, boolean edited, ChatKind kind) {
        // money first: payments are credited whatever the chat
        if (!edited && m.successfulPayment() != null) {
            SuccessfulPayment p = m.successfulPayment();
            // the library reads a missing total_amount as 0 (a primitive): core takes 0 as no amount given
            return Optional.of(new Event.SuccessfulPayment(
                    nz(p.telegramPaymentChargeId()), nz(p.invoicePayload()), nz(p.currency()), p.totalAmount()));
        }
        if (!edited && m.refundedPayment() != null) {
            RefundedPayment p = m.refundedPayment();
            return Optional.of(new Event.RefundedPayment(nz(p.telegramPaymentChargeId()), nz(p.invoicePayload()),
                    nz(p.currency()), p.totalAmount() == null ? 0 : p.totalAmount()));
        }
        if (kind == ChatKind.CHANNEL) {
            return Optional.empty(); // a channel's posts are nobody talking to the bot
        }
        if (!edited && chatNotice(m)) {
            return Optional.empty();
        }
        boolean group = kind != ChatKind.PRIVATE;
        String text = m.text();
        Matcher cmd = text == null ? null : COMMAND.matcher(text);
        if (cmd != null && cmd.matches()) {
            String target = cmd.group(2);
            if (target != null && !isUs(target)) {
                return group ? Optional.empty() : Optional.of(new Event.Unknown("foreign_command"));
            }
            if (edited) {
                // never run: a command edited into a message is no command typed now (an edited "/topup_user" must
                // not act); told like any other edit
                return Optional.of(edit(m, text, "edited_command"));
            }
            if (m.forwardOrigin() != null) {
                // someone else's words passed on: an admin forwarding a user's "/topup_user 42 5000" (or a group
                // member someone's "/start") did not type the command, so it is not run as theirs
                return group ? Optional.empty() : Optional.of(new Event.Unknown("forwarded_command"));
            }
            if (m.viaBot() != null) {
                // a result of another bot's inline mode: that bot wrote the text, and its preview may have shown
                // something else, so an admin picking a harmless-looking result never runs "/topup_user" unawares
                return group ? Optional.empty() : Optional.of(new Event.Unknown("inline_bot_command"));
            }
            String args = cmd.group(3) == null ? "" : cmd.group(3).trim();
            // with the text as written: a part of a long text that begins with «/» is that text's, not a command
            Event.Command command = new Event.Command(cmd.group(1).toLowerCase(Locale.ROOT), args).written(text);
            return Optional.of(m.messageId() == null || m.date() == null ? command
                    : command.sent(m.messageId(), Instant.ofEpochSecond(m.date())));
        }
        if (group && !isReplyToUs(m)) {
            return Optional.empty();
        }
        if (text != null) {
            if (edited) {
                // a correction of a message sent before, not a new answer to what is asked now: the core tells the
                // edit of the description (it changes it) from any other (no answer at all) by the message's id
                return Optional.of(m.messageId() == null ? new Event.Unknown("edited_text")
                        : new Event.EditedText(m.messageId(), text));
            }
            Event.Text said = new Event.Text(text);
            said = m.messageId() == null ? said : said.inMessage(m.messageId());
            return Optional.of(m.date() == null ? said : said.sentAt(Instant.ofEpochSecond(m.date())));
        }
        Optional<Event.Media> media = media(m);
        if (media.isPresent()) {
            // a caption edited or a file replaced is an edit too, with the file the message carries now: the core
            // tells a new file (it replaces the order's) from the caption edited alone by the file's unique id.
            // Sent as the caption's edit alone, a replaced photo was dropped and the old one paid for
            Event.Media now = media.get().withCaption(m.caption());
            if (edited) {
                return Optional.of(m.messageId() == null
                        ? new Event.Unknown("edited_" + now.type().name().toLowerCase(Locale.ROOT))
                        : new Event.EditedMedia(m.messageId(), now.inMessage(m.messageId())));
            }
            return Optional.of(inMessage(m, now.inAlbum(m.mediaGroupId())));
        }
        if (edited) {
            // an edit of what the bot never takes asks nothing: a live location moves by editing its message every
            // few seconds for up to eight hours, and each edit drew a hint with the menu (or the question again)
            // and used up the user's rate, so his real messages were then refused as too many
            return Optional.empty();
        }
        return Optional.of(new Event.Unknown(otherKind(m)));
    }

    /** {@code media} as sent in message {@code m}: an edit of its caption names that message, and changes the description. */
    private static Event.Media inMessage(Message m, Event.Media media) {
        return m.messageId() == null ? media : media.inMessage(m.messageId());
    }

    /** An edit of message {@code m}, which now reads {@code text}; {@code kind} for the log when it has no id. */
    private static Event edit(Message m, String text, String kind) {
        return m.messageId() == null ? new Event.Unknown(kind) : new Event.EditedText(m.messageId(), text);
    }

    private Optional<Incoming> callback(long updateId, CallbackQuery q) {
        if (q.from() == null || q.id() == null) {
            return Optional.empty();
        }
        MaybeInaccessibleMessage mm = q.maybeInaccessibleMessage();
        boolean inChat = mm != null && mm.chat() != null && mm.chat().id() != null;
        long chatId = inChat ? mm.chat().id() : q.from().id();
        Optional<Long> messageId = mm == null ? Optional.empty()
                : Optional.ofNullable(mm.messageId()).map(Integer::longValue);
        Incoming in = new Incoming(updateId, actor(q.from(), chatId),
                new Event.Callback(q.id(), q.data() == null ? "" : q.data(), messageId));
        // a press on an inline-mode message has no chat: it is answered as the presser's, in their private chat
        return Optional.of(inChat ? in.in(chatKind(mm.chat())) : in.in(ChatKind.PRIVATE));
    }

    private Optional<Incoming> membership(long updateId, ChatMemberUpdated c) {
        if (c.chat() == null || c.from() == null || c.newChatMember() == null) {
            return Optional.empty();
        }
        ChatKind kind = chatKind(c.chat());
        ChatMember.Status status = c.newChatMember().status();
        Optional<Event> event = switch (kind) {
            case PRIVATE -> status == ChatMember.Status.kicked ? Optional.of(new Event.MembershipChanged(true))
                    : status == ChatMember.Status.member ? Optional.of(new Event.MembershipChanged(false))
                    : Optional.empty();
            // only the moment the bot joins: a promotion, a restriction or the bot leaving says nothing to the group
            case GROUP, SUPERGROUP -> isIn(status) && (c.oldChatMember() == null || !isIn(c.oldChatMember().status()))
                    ? Optional.of(new Event.MembershipChanged(false)) : Optional.empty();
            case CHANNEL -> Optional.empty();
        };
        return event.map(e -> new Incoming(updateId, actor(c.from(), c.chat().id()), e).in(kind));
    }

    /** Whether the bot takes part in a group with this status. */
    private static boolean isIn(ChatMember.Status status) {
        return status == ChatMember.Status.member || status == ChatMember.Status.administrator;
    }

    /** Telegram's clip duration in seconds; 0 when absent. */
    private static int seconds(Integer duration) {
        return duration == null || duration < 0 ? 0 : duration;
    }

    /**
     * The media a message carries; animation before document (Telegram sends both for GIFs). With Telegram's
     * {@code file_unique_id}: the file id differs each time a file is sent, the unique id does not, and core tells by it
     * one receipt sent for two card / SBP requests.
     */
    static Optional<Event.Media> media(Message m) {
        PhotoSize[] photo = m.photo();
        if (photo != null && photo.length > 0) {
            PhotoSize best = largest(photo);
            return Optional.of(new Event.Media(MediaType.PHOTO, best.fileId(), size(best.fileSize()),
                    Optional.of("image/jpeg"), Optional.empty()).withUniqueId(best.fileUniqueId()));
        }
        Animation an = m.animation();
        if (an != null) {
            return Optional.of(new Event.Media(MediaType.ANIMATION, an.fileId(), size(an.fileSize()),
                    opt(an.mimeType()), opt(an.fileName())).withUniqueId(an.fileUniqueId()));
        }
        Document d = m.document();
        if (d != null) {
            // a file some clients send without its type (a picture from a file manager): told by its name, as its
            // download is, or a JPEG was refused as «Нужно фото»
            Optional<String> type = opt(d.mimeType()).or(() -> opt(d.fileName()).flatMap(Downloads::mimeFromName));
            return Optional.of(new Event.Media(MediaType.DOCUMENT, d.fileId(), size(d.fileSize()),
                    type, opt(d.fileName())).withUniqueId(d.fileUniqueId()));
        }
        Audio a = m.audio();
        if (a != null) {
            return Optional.of(new Event.Media(MediaType.AUDIO, a.fileId(), size(a.fileSize()),
                    opt(a.mimeType()), opt(a.fileName()), seconds(a.duration())).withUniqueId(a.fileUniqueId()));
        }
        Voice v = m.voice();
        if (v != null) {
            return Optional.of(new Event.Media(MediaType.VOICE, v.fileId(), size(v.fileSize()),
                    Optional.of(v.mimeType() == null ? "audio/ogg" : v.mimeType()), Optional.empty(),
                    seconds(v.duration())).withUniqueId(v.fileUniqueId()));
        }
        Video vid = m.video();
        if (vid != null) {
            return Optional.of(new Event.Media(MediaType.VIDEO, vid.fileId(), size(vid.fileSize()),
                    opt(vid.mimeType()), opt(vid.fileName()), seconds(vid.duration()))
                    .withUniqueId(vid.fileUniqueId()));
        }
        VideoNote vn = m.videoNote();
        if (vn != null) {
            return Optional.of(new Event.Media(MediaType.VIDEO_NOTE, vn.fileId(), size(vn.fileSize()),
                    Optional.of("video/mp4"), Optional.empty(), seconds(vn.duration()))
                    .withUniqueId(vn.fileUniqueId()));
        }
        Sticker s = m.sticker();
        if (s != null) {
            String mime = Boolean.TRUE.equals(s.isAnimated()) ? "application/x-tgsticker"
                    : Boolean.TRUE.equals(s.isVideo()) ? "video/webm" : "image/webp";
            return Optional.of(new Event.Media(MediaType.STICKER, s.fileId(), size(s.fileSize()),
                    Optional.of(mime), Optional.empty()).withUniqueId(s.fileUniqueId()));
        }
        return Optional.empty();
    }

    private static PhotoSize largest(PhotoSize[] sizes) {
        PhotoSize best = sizes[sizes.length - 1];
        for (PhotoSize p : sizes) {
            if (area(p) > area(best) || (area(p) == area(best) && size(p.fileSize()) > size(best.fileSize()))) {
                best = p;
            }
        }
        return best;
    }

    private static long area(PhotoSize p) {
        return (long) (p.width() == null ? 0 : p.width()) * (p.height() == null ? 0 : p.height());
    }

    /** A short name for a message kind the core does not handle specially. */
    static String otherKind(Message m) {
        if (m.venue() != null) {
            return "venue";
        }
        if (m.location() != null) {
            return "location";
        }
        if (m.contact() != null) {
            return "contact";
        }
        if (m.poll() != null) {
            return "poll";
        }
        if (m.dice() != null) {
            return "dice";
        }
        if (m.game() != null) {
            return "game";
        }
        if (m.story() != null) {
            return "story";
        }
        if (m.invoice() != null) {
            return "invoice";
        }
        if (m.paidMedia() != null) {
            return "paid_media";
        }
        if (m.webAppData() != null) {
            return "web_app_data";
        }
        if (m.usersShared() != null || m.chatShared() != null) {
            return "shared";
        }
        return "other";
    }

    /**
     * A service message about the chat itself rather than words to the bot: a pin, the auto-delete timer, a
     * background, the write access a Mini App or the login widget asked for, members and topics. In a private chat it
     * comes from the user (Telegram delivers it as a regular update), who wrote nothing the bot could answer: the
     * refusal and menu it got made the pin of a result look like a mistake, and mid-order asked the field again.
     */
    static boolean chatNotice(Message m) {
        return m.pinnedMessage() != null || m.messageAutoDeleteTimerChanged() != null || m.chatBackgroundSet() != null
                || m.writeAccessAllowed() != null || m.connectedWebsite() != null
                || m.newChatMembers() != null || m.leftChatMember() != null
                || m.forumTopicCreated() != null || m.forumTopicEdited() != null || m.forumTopicClosed() != null
                || m.forumTopicReopened() != null;
    }

    private boolean isUs(String target) {
        return botUsername.isEmpty() || botUsername.equalsIgnoreCase(target);
    }

    private boolean isReplyToUs(Message m) {
        Message r = m.replyToMessage();
        if (r == null || r.from() == null) {
            return false;
        }
        User f = r.from();
        if (botUserId != 0 && f.id() != null) {
            return f.id() == botUserId;
        }
        if (!botUsername.isEmpty() && f.username() != null) {
            return botUsername.equalsIgnoreCase(f.username());
        }
        return Boolean.TRUE.equals(f.isBot());
    }

    /**
     * Telegram's {@code chat.type}. Telegram always sends it; should it be missing (or a type newer than this
     * library, which Gson leaves null), the id decides: a private chat's id is its user's id, positive, while groups' and channels' are
     * negative, so a typeless group is never served as a private chat.
     */
    static ChatKind chatKind(Chat c) {
        Chat.Type t = c.type();
        if (t == null) {
            return c.id() != null && c.id() > 0 ? ChatKind.PRIVATE : ChatKind.SUPERGROUP;
        }
        return switch (t) {
            case Private -> ChatKind.PRIVATE;
            case group -> ChatKind.GROUP;
            case supergroup -> ChatKind.SUPERGROUP;
            case channel -> ChatKind.CHANNEL;
        };
    }

    private static Actor actor(User from, long chatId) {
        return new Actor(from.id(), chatId, nz(from.firstName()), opt(from.username()), opt(from.languageCode()));
    }

    private static long chatOr(Chat chat, User from) {
        if (chat != null && chat.id() != null) {
            return chat.id();
        }
        return userId(from);
    }

    private static long userId(User u) {
        return u == null || u.id() == null ? 0 : u.id();
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... xs) {
        for (T x : xs) {
            if (x != null) {
                return x;
            }
        }
        return null;
    }

    private static long size(Long s) {
        return s == null ? 0 : s;
    }

    private static Optional<String> opt(String s) {
        return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
