package dev.kiebot.bench;

import java.time.Instant;

/**
 * Telegram update JSON as the Bot API sends it, for private chats whose chat id equals the user id.
 *
 * <p>The burst mix ({@link #burst}) is what a crowd arriving at once does: a third sends {@code /start}, a
 * third presses "menu" and a third opens the image category on an earlier bot message. The button data are
 * core's evergreen callback data ({@code *|<action>[|<arg>]}, see core's {@code CallbackData}), which work on
 * any message without an earlier conversation, so every chat needs exactly one update.
 */
final class BenchUpdates {
    /** Evergreen "main menu" button. */
    static final String MENU = "*|m";
    /** Evergreen "category: images" button. */
    static final String IMAGE_CATEGORY = "*|c|IMAGE";
    /** The message id the button presses refer to; the fake accepts edits of any message. */
    private static final int EARLIER_MESSAGE_ID = 7;

    private BenchUpdates() {
    }

    /** The {@code index}-th update of a burst: {@code /start}, "menu" or "images", in turn. */
    static String burst(long updateId, long chatId, int index) {
        return switch (index % 3) {
            case 0 -> start(updateId, chatId);
            case 1 -> button(updateId, chatId, MENU);
            default -> button(updateId, chatId, IMAGE_CATEGORY);
        };
    }

    static String start(long updateId, long chatId) {
        return "{\"update_id\":" + updateId + ",\"message\":{\"message_id\":" + (updateId % 1_000_000 + 1)
                + ",\"from\":" + user(chatId) + ",\"chat\":" + chat(chatId) + ",\"date\":" + now()
                + ",\"text\":\"/start\",\"entities\":[{\"offset\":0,\"length\":6,\"type\":\"bot_command\"}]}}";
    }

    /** A button press; the query id names the chat ({@link #chatOfQuery}) so its answer can be attributed. */
    static String button(long updateId, long chatId, String data) {
        return "{\"update_id\":" + updateId + ",\"callback_query\":{\"id\":\"" + queryId(chatId, updateId)
                + "\",\"from\":" + user(chatId) + ",\"message\":{\"message_id\":" + EARLIER_MESSAGE_ID
                + ",\"from\":" + FakeBotApi.botUserJson() + ",\"chat\":" + chat(chatId) + ",\"date\":" + (now() - 30)
                + ",\"text\":\"menu\"},\"chat_instance\":\"-" + chatId + "\",\"data\":\"" + data + "\"}}";
    }

    /** A {@code /name} command (the soak: {@code /menu}, {@code /history}). */
    static String command(long updateId, long chatId, String name) {
        String text = "/" + name;
        return "{\"update_id\":" + updateId + ",\"message\":{\"message_id\":" + (updateId % 1_000_000 + 1)
                + ",\"from\":" + user(chatId) + ",\"chat\":" + chat(chatId) + ",\"date\":" + now()
                + ",\"text\":" + Report.quote(text) + ",\"entities\":[{\"offset\":0,\"length\":" + text.length()
                + ",\"type\":\"bot_command\"}]}}";
    }

    /** A plain text message (the soak's prompts). */
    static String text(long updateId, long chatId, String text) {
        return "{\"update_id\":" + updateId + ",\"message\":{\"message_id\":" + (updateId % 1_000_000 + 1)
                + ",\"from\":" + user(chatId) + ",\"chat\":" + chat(chatId) + ",\"date\":" + now()
                + ",\"text\":" + Report.quote(text) + "}}";
    }

    /** A press of a button the bot put on message {@code messageId} (the soak presses what the bot offered). */
    static String button(long updateId, long chatId, int messageId, String data) {
        return "{\"update_id\":" + updateId + ",\"callback_query\":{\"id\":\"" + queryId(chatId, updateId)
                + "\",\"from\":" + user(chatId) + ",\"message\":{\"message_id\":" + messageId
                + ",\"from\":" + FakeBotApi.botUserJson() + ",\"chat\":" + chat(chatId) + ",\"date\":" + (now() - 30)
                + ",\"text\":\"menu\"},\"chat_instance\":\"-" + chatId + "\",\"data\":" + Report.quote(data) + "}}";
    }

    static String queryId(long chatId, long updateId) {
        return "q" + chatId + "-" + updateId;
    }

    /** The chat a {@link #queryId} was made for; 0 for any other id. */
    static long chatOfQuery(String queryId) {
        int dash = queryId.indexOf('-');
        if (!queryId.startsWith("q") || dash < 2) {
            return 0;
        }
        try {
            return Long.parseLong(queryId.substring(1, dash));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String user(long id) {
        return "{\"id\":" + id + ",\"is_bot\":false,\"first_name\":\"Bench\",\"username\":\"bench" + id
                + "\",\"language_code\":\"en\"}";
    }

    private static String chat(long id) {
        return "{\"id\":" + id + ",\"type\":\"private\",\"first_name\":\"Bench\",\"username\":\"bench" + id + "\"}";
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }
}
