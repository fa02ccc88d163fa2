package dev.kiebot.telegram.fake;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Builds realistic Telegram update JSON (as the Bot API sends it to webhooks and in getUpdates).
 *
 * <p>Every method returns one complete update with a fresh {@code update_id}. Ids are deterministic:
 * a callback query built for update {@code N} has id {@code "cbq-N"}, a pre-checkout query {@code "pcq-N"}.
 * Users are private-chat users whose chat id equals their user id, first name {@code "User<id>"},
 * username {@code "user<id>"} and language {@link #language(String) language} (default {@code "en"}).
 *
 * <p>Obtain one bound to a server with {@link FakeTelegramServer#updates()} (shares its message ids) or
 * stand-alone with {@code new FakeUpdates()}.
 */
public final class FakeUpdates {
    private final LongSupplier updateIds;
    private final IntSupplier messageIds;
    private final long botId;
    private final String botUsername;
    private volatile String language = "en";

    public FakeUpdates() {
        this(new AtomicLong(10_000)::incrementAndGet, new AtomicInteger(1)::incrementAndGet,
                FakeTelegramServer.DEFAULT_BOT_ID, FakeTelegramServer.DEFAULT_BOT_USERNAME);
    }

    FakeUpdates(LongSupplier updateIds, IntSupplier messageIds, long botId, String botUsername) {
        this.updateIds = updateIds;
        this.messageIds = messageIds;
        this.botId = botId;
        this.botUsername = botUsername;
    }

    /** The {@code language_code} of users in the updates built from now on ({@code null}: none). */
    public FakeUpdates language(String languageCode) {
        this.language = languageCode;
        return this;
    }

    // ---- messages in private chats ---------------------------------------------------------------

    /** A text message; text starting with '/' gets a {@code bot_command} entity like the real thing. */
    public String text(long userId, String text) {
        return update("message", message(userId, userId, "private", text));
    }

    /**
     * A long text as a client sends it when it is longer than one message holds: one message per part, with
     * consecutive ids and one date, in order (deliver them in the order given).
     */
    public List<String> splitText(long userId, String... parts) {
        long date = now();
        List<String> out = new ArrayList<>();
        for (String part : parts) {
            JsonObject m = message(userId, userId, "private", part);
            m.addProperty("date", date);
            out.add(update("message", m));
        }
        return out;
    }

    /** {@code /name args} (args may be empty). */
    public String command(long userId, String name, String args) {
        return text(userId, "/" + name + (args == null || args.isEmpty() ? "" : " " + args));
    }

    /** An edited text message. */
    public String editedText(long userId, String text) {
        JsonObject m = message(userId, userId, "private", text);
        m.addProperty("edit_date", now() + 5);
        return update("edited_message", m);
    }

    /**
     * A text message {@code userId} forwarded to the bot from {@code originUserId}: the words are the origin's, the
     * sender only passed them on ({@code forward_origin} of type {@code user}).
     */
    public String forwardedText(long userId, long originUserId, String text) {
        JsonObject m = message(userId, userId, "private", text);
        JsonObject origin = new JsonObject();
        origin.addProperty("type", "user");
        origin.add("sender_user", user(originUserId));
        origin.addProperty("date", now() - 60);
        m.add("forward_origin", origin);
        return update("message", m);
    }

    /**
     * A text message {@code userId} sent through another bot's inline mode ({@code via_bot}): the user picked one of
     * that bot's results, whose text the other bot wrote, not the user (its preview may have shown something else).
     */
    public String viaBotText(long userId, long inlineBotId, String text) {
        JsonObject m = message(userId, userId, "private", text);
        JsonObject bot = new JsonObject();
        bot.addProperty("id", inlineBotId);
        bot.addProperty("is_bot", true);
        bot.addProperty("first_name", "Inline" + inlineBotId);
        bot.addProperty("username", "inline" + inlineBotId + "_bot");
        m.add("via_bot", bot);
        return update("message", m);
    }

    /** A photo in three sizes; the largest has {@code fileId} and {@code fileSize}. */
    public String photo(long userId, String fileId, long fileSize, String caption) {
        return update("message", photoMessage(userId, fileId, fileSize, caption));
    }

    /**
     * {@link #photo}, one file of album {@code album} (its {@code media_group_id}): Telegram sends each file of an
     * album as a message of its own, the caption on whichever the user captioned.
     */
    public String albumPhoto(long userId, String album, String fileId, long fileSize, String caption) {
        JsonObject m = photoMessage(userId, fileId, fileSize, caption);
        m.addProperty("media_group_id", album);
        return update("message", m);
    }

    private JsonObject photoMessage(long userId, String fileId, long fileSize, String caption) {
        JsonObject m = message(userId, userId, "private", null);
        JsonArray sizes = new JsonArray();
        sizes.add(photoSize(fileId + "-s", 90, 67, fileSize / 50));
        sizes.add(photoSize(fileId + "-m", 320, 240, fileSize / 8));
        sizes.add(photoSize(fileId, 1280, 960, fileSize));
        m.add("photo", sizes);
        if (caption != null) {
            m.addProperty("caption", caption);
        }
        return m;
    }

    public String document(long userId, String fileId, String fileName, String mimeType, long fileSize) {
        JsonObject d = file(fileId, fileSize);
        d.addProperty("file_name", fileName);
        d.addProperty("mime_type", mimeType);
        return privateMessage(userId, "document", d);
    }

    public String audio(long userId, String fileId, String fileName, String mimeType, long fileSize) {
        JsonObject a = file(fileId, fileSize);
        a.addProperty("duration", 183);
        a.addProperty("performer", "Artist");
        a.addProperty("title", "Song");
        a.addProperty("file_name", fileName);
        a.addProperty("mime_type", mimeType);
        return privateMessage(userId, "audio", a);
    }

    public String voice(long userId, String fileId, long fileSize) {
        JsonObject v = file(fileId, fileSize);
        v.addProperty("duration", 4);
        v.addProperty("mime_type", "audio/ogg");
        return privateMessage(userId, "voice", v);
    }

    public String video(long userId, String fileId, String fileName, long fileSize) {
        JsonObject v = file(fileId, fileSize);
        v.addProperty("width", 1280);
        v.addProperty("height", 720);
        v.addProperty("duration", 10);
        v.addProperty("file_name", fileName);
        v.addProperty("mime_type", "video/mp4");
        return privateMessage(userId, "video", v);
    }

    public String videoNote(long userId, String fileId, long fileSize) {
        JsonObject v = file(fileId, fileSize);
        v.addProperty("length", 240);
        v.addProperty("duration", 7);
        return privateMessage(userId, "video_note", v);
    }

    public String sticker(long userId, String fileId) {
        JsonObject s = file(fileId, 24_000);
        s.addProperty("type", "regular");
        s.addProperty("width", 512);
        s.addProperty("height", 512);
        s.addProperty("emoji", "\uD83D\uDE00");
        s.addProperty("set_name", "TestPack");
        s.addProperty("is_animated", false);
        s.addProperty("is_video", false);
        return privateMessage(userId, "sticker", s);
    }

    /** A GIF: like Telegram, both {@code animation} and {@code document} are present. */
    public String animation(long userId, String fileId, long fileSize) {
        JsonObject m = message(userId, userId, "private", null);
        JsonObject a = file(fileId, fileSize);
        a.addProperty("width", 320);
        a.addProperty("height", 240);
        a.addProperty("duration", 3);
        a.addProperty("file_name", "funny.mp4");
        a.addProperty("mime_type", "video/mp4");
        m.add("animation", a);
        m.add("document", a.deepCopy());
        return update("message", m);
    }

    public String location(long userId, double latitude, double longitude) {
        JsonObject l = new JsonObject();
        l.addProperty("latitude", latitude);
        l.addProperty("longitude", longitude);
        return privateMessage(userId, "location", l);
    }

    public String contact(long userId, String phone) {
        JsonObject c = new JsonObject();
        c.addProperty("phone_number", phone);
        c.addProperty("first_name", "Friend");
        return privateMessage(userId, "contact", c);
    }

    public String dice(long userId) {
        JsonObject d = new JsonObject();
        d.addProperty("emoji", "\uD83C\uDFB2");
        d.addProperty("value", 4);
        return privateMessage(userId, "dice", d);
    }

    /**
     * The user pinned the bot's message {@code messageId} in his private chat: a service message from the user whose
     * {@code pinned_message} is the bot's message (without its own reply).
     */
    public String pinned(long userId, int messageId) {
        JsonObject m = message(userId, userId, "private", null);
        m.add("pinned_message", earlierBotMessage(messageId, userId, "private", userId));
        return update("message", m);
    }

    // ---- groups ---------------------------------------------------------------------------------

    /** A text message in a supergroup {@code chatId} (negative). */
    public String groupText(long chatId, long userId, String text) {
        return update("message", message(chatId, userId, "supergroup", text));
    }

    /** A text message in the forum topic {@code topic} (its thread id) of the forum supergroup {@code chatId}. */
    public String topicText(long chatId, long topic, long userId, String text) {
        JsonObject m = message(chatId, userId, "supergroup", text);
        m.getAsJsonObject("chat").addProperty("is_forum", true);
        m.addProperty("message_thread_id", topic);
        m.addProperty("is_topic_message", true);
        return update("message", m);
    }

    /** A text message in a supergroup replying to the bot's message {@code replyToMessageId}. */
    public String groupReplyToBot(long chatId, long userId, String text, int replyToMessageId) {
        JsonObject m = message(chatId, userId, "supergroup", text);
        m.add("reply_to_message", earlierBotMessage(replyToMessageId, chatId, "supergroup", userId));
        return update("message", m);
    }

    /** The bot's message {@code messageId} of a minute ago in chat {@code chatId}, as a message quotes it. */
    private JsonObject earlierBotMessage(int messageId, long chatId, String chatType, long userId) {
        JsonObject r = new JsonObject();
        r.addProperty("message_id", messageId);
        r.add("from", botUser());
        r.add("chat", chat(chatId, chatType, userId));
        r.addProperty("date", now() - 60);
        r.addProperty("text", "an earlier bot message");
        return r;
    }

    // ---- callbacks, payments, membership ---------------------------------------------------------

    /** A button press on the bot's message {@code messageId}; query id {@code "cbq-<update_id>"}. */
    public String callback(long userId, int messageId, String data) {
        return callback(userId, messageId, data, false);
    }

    /** Like {@link #callback} but the message is too old to be accessible ({@code date} 0). */
    public String callbackOnInaccessibleMessage(long userId, int messageId, String data) {
        return callback(userId, messageId, data, true);
    }

    private String callback(long userId, int messageId, String data, boolean inaccessible) {
        long id = updateIds.getAsLong();
        JsonObject q = new JsonObject();
        q.addProperty("id", "cbq-" + id);
        q.add("from", user(userId));
        JsonObject m = new JsonObject();
        m.addProperty("message_id", messageId);
        m.add("chat", chat(userId, "private", userId));
        if (inaccessible) {
            m.addProperty("date", 0);
        } else {
            m.add("from", botUser());
            m.addProperty("date", now() - 30);
            m.addProperty("text", "menu");
        }
        q.add("message", m);
        q.addProperty("chat_instance", "-" + (1_000_000L + userId));
        if (data != null) {
            q.addProperty("data", data);
        }
        return wrap(id, "callback_query", q);
    }

    /** A pre-checkout query for a Stars invoice; query id {@code "pcq-<update_id>"}. */
    public String preCheckout(long userId, String payload, long stars) {
        long id = updateIds.getAsLong();
        JsonObject q = new JsonObject();
        q.addProperty("id", "pcq-" + id);
        q.add("from", user(userId));
        q.addProperty("currency", "XTR");
        q.addProperty("total_amount", stars);
        q.addProperty("invoice_payload", payload);
        return wrap(id, "pre_checkout_query", q);
    }

    public String successfulPayment(long userId, String payload, long stars, String chargeId) {
        JsonObject p = starsPayment(payload, stars, chargeId);
        p.addProperty("provider_payment_charge_id", "");
        return privateMessage(userId, "successful_payment", p);
    }

    /** Telegram's notice of a refund in the payer's private chat: a service message whose {@code from} is the bot. */
    public String refundedPayment(long userId, String payload, long stars, String chargeId) {
        JsonObject m = message(userId, userId, "private", null);
        m.add("from", botUser());
        m.add("refunded_payment", starsPayment(payload, stars, chargeId));
        return update("message", m);
    }

    /** The user blocked the bot ({@code my_chat_member}, new status {@code kicked}). */
    public String blocked(long userId) {
        return membership(userId, "member", "kicked");
    }

    /** The user unblocked / restarted the bot (new status {@code member}). */
    public String unblocked(long userId) {
        return membership(userId, "kicked", "member");
    }

    private String membership(long userId, String oldStatus, String newStatus) {
        JsonObject c = new JsonObject();
        c.add("chat", chat(userId, "private", userId));
        c.add("from", user(userId));
        c.addProperty("date", now());
        JsonObject o = new JsonObject();
        o.add("user", botUser());
        o.addProperty("status", oldStatus);
        JsonObject n = new JsonObject();
        n.add("user", botUser());
        n.addProperty("status", newStatus);
        if (newStatus.equals("kicked")) {
            n.addProperty("until_date", 0);
        }
        c.add("old_chat_member", o);
        c.add("new_chat_member", n);
        return update("my_chat_member", c);
    }

    // ---- building blocks -------------------------------------------------------------------------

    /** A message in the user's private chat whose content is {@code value} under {@code field} (a file, a place...). */
    private String privateMessage(long userId, String field, JsonObject value) {
        JsonObject m = message(userId, userId, "private", null);
        m.add(field, value);
        return update("message", m);
    }

    private String update(String field, JsonObject value) {
        return wrap(updateIds.getAsLong(), field, value);
    }

    private static String wrap(long updateId, String field, JsonObject value) {
        JsonObject u = new JsonObject();
        u.addProperty("update_id", updateId);
        u.add(field, value);
        return u.toString();
    }

    private JsonObject message(long chatId, long userId, String chatType, String text) {
        JsonObject m = new JsonObject();
        m.addProperty("message_id", messageIds.getAsInt());
        m.add("from", user(userId));
        m.add("chat", chat(chatId, chatType, userId));
        m.addProperty("date", now());
        if (text != null) {
            m.addProperty("text", text);
            if (text.startsWith("/")) {
                int end = 1;
                while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                    end++;
                }
                JsonArray entities = new JsonArray();
                JsonObject e = new JsonObject();
                e.addProperty("offset", 0);
                e.addProperty("length", end);
                e.addProperty("type", "bot_command");
                entities.add(e);
                m.add("entities", entities);
            }
        }
        return m;
    }

    private JsonObject user(long id) {
        JsonObject u = new JsonObject();
        u.addProperty("id", id);
        u.addProperty("is_bot", false);
        u.addProperty("first_name", "User" + id);
        u.addProperty("username", "user" + id);
        if (language != null) {
            u.addProperty("language_code", language);
        }
        return u;
    }

    private JsonObject botUser() {
        JsonObject u = new JsonObject();
        u.addProperty("id", botId);
        u.addProperty("is_bot", true);
        u.addProperty("first_name", "Kie Test Bot");
        u.addProperty("username", botUsername);
        return u;
    }

    private static JsonObject chat(long chatId, String type, long userId) {
        JsonObject c = new JsonObject();
        c.addProperty("id", chatId);
        c.addProperty("type", type);
        if (type.equals("private")) {
            c.addProperty("first_name", "User" + userId);
            c.addProperty("username", "user" + userId);
        } else {
            c.addProperty("title", "Test group");
        }
        return c;
    }

    /** What a Stars payment and its refund both carry: {@code stars} ⭐ for the invoice {@code payload}. */
    private static JsonObject starsPayment(String payload, long stars, String chargeId) {
        JsonObject p = new JsonObject();
        p.addProperty("currency", "XTR");
        p.addProperty("total_amount", stars);
        p.addProperty("invoice_payload", payload);
        p.addProperty("telegram_payment_charge_id", chargeId);
        return p;
    }

    private static JsonObject file(String fileId, long size) {
        JsonObject f = new JsonObject();
        f.addProperty("file_id", fileId);
        f.addProperty("file_unique_id", "u" + Integer.toHexString(fileId.hashCode()));
        if (size > 0) {
            f.addProperty("file_size", size);
        }
        return f;
    }

    private static JsonObject photoSize(String fileId, int w, int h, long size) {
        JsonObject p = file(fileId, size);
        p.addProperty("width", w);
        p.addProperty("height", h);
        return p;
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }
}
