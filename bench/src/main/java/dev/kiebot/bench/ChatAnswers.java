package dev.kiebot.bench;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each chat of the current burst got its answer, as seen by the fake Bot API.
 *
 * <p>Two moments per chat, both the time the fake <em>received</em> the bot's call:
 * <ul>
 *   <li><b>replied</b>: the first {@code sendMessage} or {@code editMessageText} to the chat, i.e. the user sees
 *       text. This is the figure the benchmark waits for and the end of its CPU window.</li>
 *   <li><b>acknowledged</b>: the first {@code sendMessage}, {@code editMessageText} or {@code answerCallbackQuery}
 *       for the chat (a button press is acknowledged when its spinner stops).</li>
 * </ul>
 * Only the chats of the burst being tracked are recorded, so memory stays bounded however much else the bot
 * sends (e.g. during the fixed-time load).
 */
final class ChatAnswers {
    /** Printed with the results. */
    static final String DEFINITION = """
            a chat is "replied" when the fake Bot API received the first sendMessage or editMessageText with its \
            chat_id; "acknowledged" when it received the first sendMessage, editMessageText or answerCallbackQuery \
            for it (a callback query id names its chat); times count from the moment the first update of the \
            burst was handed over (webhook: first POST sent; polling: all N queued for getUpdates)""";

    private volatile long firstChat;
    private volatile int chats;
    private final ConcurrentHashMap<Long, Long> replied = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Long> acknowledged = new ConcurrentHashMap<>();

    /** Starts tracking chats {@code firstChat .. firstChat + chats - 1}, forgetting earlier ones. */
    synchronized void track(long firstChat, int chats) {
        this.chats = 0;
        replied.clear();
        acknowledged.clear();
        this.firstChat = firstChat;
        this.chats = chats;
    }

    /** A call reached the fake at {@code receivedNanos}; {@code text} for sendMessage/editMessageText. */
    void record(long chatId, boolean text, long receivedNanos) {
        if (chatId < firstChat || chatId >= firstChat + chats) {
            return;
        }
        acknowledged.putIfAbsent(chatId, receivedNanos);
        if (text) {
            replied.putIfAbsent(chatId, receivedNanos);
        }
    }

    int repliedCount() {
        return replied.size();
    }

    /** Waits until every tracked chat was replied to, or until {@code deadlineNanos}; polls every 10 ms. */
    void awaitAllReplied(long deadlineNanos) throws InterruptedException {
        while (replied.size() < chats && System.nanoTime() < deadlineNanos) {
            Thread.sleep(10);
        }
    }

    /** Seconds from {@code startNanos} to each chat's reply (sorted; chats without one are missing). */
    double[] replySeconds(long startNanos) {
        return secondsSince(replied, startNanos);
    }

    double[] acknowledgeSeconds(long startNanos) {
        return secondsSince(acknowledged, startNanos);
    }

    int trackedChats() {
        return chats;
    }

    private static double[] secondsSince(ConcurrentHashMap<Long, Long> at, long startNanos) {
        double[] s = at.values().stream().mapToDouble(n -> (n - startNanos) / 1e9).toArray();
        Arrays.sort(s);
        return s;
    }
}
