package dev.kiebot.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * A fast fake of the Telegram Bot API on {@code 127.0.0.1}: every method the bot calls answers at once with a
 * valid {@code {"ok":true,"result":...}} (the shapes pengrad parses), without validation or bookkeeping beyond
 * what the benchmark measures: which chat got which answer when ({@link ChatAnswers}), and the updates waiting
 * for {@code getUpdates} ({@link UpdateQueue}). Unknown methods answer {@code true} and are counted, so a new
 * call in the bot shows up in {@link #callsByMethod()} instead of failing the run.
 */
final class FakeBotApi implements AutoCloseable {
    /** Shaped like a bot token (the bot validates the shape); 7 digits, so it cannot be a real one. */
    static final String TOKEN = "7000001:BenchFakeTokenNotReal_abcdefghijk";
    static final long BOT_ID = 7_000_001L;
    /** Long polls hold a thread each; every other call takes microseconds. */
    private static final int THREADS = 32;
    private static final int ACCEPT_BACKLOG = 1024;
    private static final int QUEUE_CAPACITY = 200_000;

    private final HttpServer server;
    private final ExecutorService threads;
    private static final String METHOD_PREFIX = "/bot" + TOKEN + "/";
    private final ChatAnswers answers = new ChatAnswers();
    private final Screens screens = new Screens();
    private final UpdateQueue updates = new UpdateQueue(QUEUE_CAPACITY);
    private final AtomicInteger messageIds = new AtomicInteger(1000);
    private final ConcurrentHashMap<String, LongAdder> calls = new ConcurrentHashMap<>();
    /**
     * The url the bot last set ({@code setWebhook}), empty after {@code deleteWebhook}: answered by
     * {@code getWebhookInfo}, as Telegram does. An empty url answered always told the webhook runner's look (every
     * 5 min) that the webhook was taken, and any bench run idle that long logged a WARN and then an ERROR.
     */
    private final AtomicReference<String> webhookUrl = new AtomicReference<>("");

    private FakeBotApi() throws IOException {
        // without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed ACK:
        // every call then took ~40 ms, and the bot's four senders could not go past ~80 replies/s
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ACCEPT_BACKLOG);
        AtomicInteger n = new AtomicInteger();
        threads = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "fake-bot-api-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    static FakeBotApi start() {
        try {
            return new FakeBotApi();
        } catch (IOException e) {
            throw new BenchFailure("cannot start the fake Bot API: " + e.getMessage());
        }
    }

    /** What the child's {@code TELEGRAM_API_URL} is set to. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    ChatAnswers answers() {
        return answers;
    }

    UpdateQueue updates() {
        return updates;
    }

    /** Each chat's newest screen: recorded only once {@link Screens#enable()}d (the soak). */
    Screens screens() {
        return screens;
    }

    /** Calls received so far, by method name as the bot spelt it. */
    Map<String, Long> callsByMethod() {
        Map<String, Long> m = new TreeMap<>();
        calls.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    @Override
    public void close() {
        updates.close();
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long receivedNanos = System.nanoTime();
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            if (!path.startsWith(METHOD_PREFIX)) {
                respond(exchange, 404, "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}");
                return;
            }
            String method = path.substring(METHOD_PREFIX.length());
            calls.computeIfAbsent(method, k -> new LongAdder()).increment();
            ApiRequest request = ApiRequest.parse(exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body);
            respond(exchange, 200, "{\"ok\":true,\"result\":" + result(method, request, receivedNanos) + "}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            respond(exchange, 500, "{\"ok\":false,\"error_code\":500,\"description\":\"fake: " + e.getClass().getSimpleName()
                    + "\"}");
        } finally {
            exchange.close();
        }
    }

    private String result(String method, ApiRequest r, long receivedNanos) throws InterruptedException {
        long chat = r.longParam("chat_id", 0);
        switch (method.toLowerCase(Locale.ROOT)) {
            case "getme":
                return botUserJson();
            case "getupdates":
                return updates.poll(r.longParam("offset", 0), (int) r.longParam("limit", UpdateQueue.LIMIT_MAX),
                        Duration.ofSeconds(Math.max(0, r.longParam("timeout", 0))));
            case "sendmessage":
            case "editmessagetext": {
                answers.record(chat, true, receivedNanos);
                int id = method.equalsIgnoreCase("sendMessage") ? messageIds.incrementAndGet()
                        : (int) r.longParam("message_id", 1);
                screens.message(chat, id, r.param("reply_markup"), false);
                return message(chat, id, "");
            }
            case "answercallbackquery": {
                long of = BenchUpdates.chatOfQuery(r.param("callback_query_id"));
                answers.record(of, false, receivedNanos);
                screens.acknowledged(of);
                return "true";
            }
            case "sendphoto": {
                int id = messageIds.incrementAndGet();
                screens.message(chat, id, r.param("reply_markup"), true);
                return message(chat, id, ",\"photo\":[" + file("photo", 1280) + "]");
            }
            case "sendvideo":
            case "sendaudio":
            case "senddocument":
            case "sendanimation":
            case "sendvoice": {
                String kind = method.substring(4).toLowerCase(Locale.ROOT);
                return message(chat, messageIds.incrementAndGet(), ",\"" + kind + "\":" + file(kind, 0));
            }
            case "sendinvoice":
                return message(chat, messageIds.incrementAndGet(), ",\"invoice\":{\"title\":\"Stars\",\"description\":"
                        + "\"Stars\",\"start_parameter\":\"\",\"currency\":\"XTR\",\"total_amount\":1}");
            case "setwebhook":
                webhookUrl.set(r.param("url"));
                return "true";
            case "deletewebhook":
                webhookUrl.set("");
                return "true";
            case "getwebhookinfo":
                return "{\"url\":" + jsonString(webhookUrl.get())
                        + ",\"has_custom_certificate\":false,\"pending_update_count\":0}";
            case "getfile":
                return "{\"file_id\":\"bench-file\",\"file_unique_id\":\"bench-file\",\"file_size\":1,"
                        + "\"file_path\":\"documents/bench-file.bin\"}";
            default:
                // sendChatAction, setMyCommands, answerPreCheckoutQuery, ...
                return "true";
        }
    }

    static String botUserJson() {
        return "{\"id\":" + BOT_ID + ",\"is_bot\":true,\"first_name\":\"Bench Bot\",\"username\":\"kiebot_bench_bot\","
                + "\"can_join_groups\":true,\"can_read_all_group_messages\":false,\"supports_inline_queries\":false}";
    }

    private static String message(long chat, int messageId, String extraFields) {
        return "{\"message_id\":" + messageId + ",\"from\":" + botUserJson() + ",\"chat\":{\"id\":" + chat
                + ",\"type\":\"private\",\"first_name\":\"Bench\"},\"date\":" + Instant.now().getEpochSecond()
                + extraFields + "}";
    }

    private static String file(String kind, int side) {
        String id = "bench-" + kind;
        return "{\"file_id\":\"" + id + "\",\"file_unique_id\":\"" + id + "\",\"file_size\":1"
                + (side > 0 ? ",\"width\":" + side + ",\"height\":" + side : "") + "}";
    }

    private static String jsonString(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
