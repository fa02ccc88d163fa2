package dev.kiebot.telegram.fake;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.pengrad.telegrambot.TelegramBot;
import dev.kiebot.telegram.TelegramBots;
import dev.kiebot.testing.Patience;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A fake Telegram Bot API server for tests, speaking the real wire format on {@code 127.0.0.1}.
 *
 * <h2>Wire format</h2>
 * Requests go to {@code <apiUrl>/bot<token>/<method>} as {@code application/x-www-form-urlencoded}
 * (JSON strings inside fields such as {@code reply_markup}), {@code multipart/form-data} (uploads),
 * JSON bodies or GET query strings. Answers are {@code {"ok":true,"result":...}} or
 * {@code {"ok":false,"error_code":N,"description":"..."[,"parameters":{...}]}} with the matching HTTP
 * status. A wrong token gets 401 "Unauthorized", an unknown method 404 "Not Found". A client that sends
 * {@code Expect: 100-continue} gets "100 Continue" when the fake starts reading the body, as from nginx in
 * front of api.telegram.org (see {@link BareHttpServer}).
 * Files: {@code <apiUrl>/file/bot<token>/<file_path>}. Test media: {@code <apiUrl>/media/<name>}.
 *
 * <h2>Methods</h2>
 * <ul>
 *   <li>{@code sendMessage}, {@code editMessageText} (remembers messages per chat; an edit with the same
 *       text and keyboard answers 400 "message is not modified"; {@link #strictEdits(boolean)} makes edits of
 *       unknown messages answer "message to edit not found"), {@code answerCallbackQuery},
 *       {@code sendPhoto/sendVideo/sendAudio/sendDocument} (URL, file id or upload; new files get ids
 *       {@code file-<n>}; URLs on 127.0.0.1/localhost are really fetched, others are accepted as is; a
 *       {@code sendDocument} by URL takes only GIF, PDF and ZIP, as Telegram's does),
 *       {@code sendInvoice} (validates Stars rules), {@code answerPreCheckoutQuery}, {@code sendChatAction},
 *       {@code getMe}, {@code setWebhook/deleteWebhook/getWebhookInfo}, {@code getFile}, {@code getUpdates},
 *       {@code refundStarPayment} (a charge is refunded once; again it answers 400 "CHARGE_ALREADY_REFUNDED",
 *       see {@link #refundedCharges()}; a refund of a payment {@link #starPayment} listed lists its refund too),
 *       {@code getStarTransactions} (the transactions {@link #starPayment} and {@link #starRefund} listed, in that
 *       order, as {@code StarTransactions} JSON; {@code offset} and {@code limit} 1-100 as Telegram takes them),
 *       {@code setMyCommands}/{@code getMyCommands} per language (checked as
 *       Telegram does; setMyCommands also for one chat's scope, see {@link #commands(long, String)}), and a few no-ops ({@code deleteMessage}, ...).</li>
 *   <li>Validations mirror Telegram's: empty or over-4096 texts, over-1024 captions, callback data over
 *       64 bytes, invalid chat action, unknown file ids for {@code getFile}, a photo (a PNG, by URL or uploaded)
 *       whose width and height exceed 10000 together or whose sides differ more than 20 times (400
 *       "PHOTO_INVALID_DIMENSIONS").</li>
 * </ul>
 *
 * <h2>Updates</h2>
 * {@link #enqueue(String)} queues raw update JSON (build it with {@link #updates()}); {@code getUpdates}
 * honours {@code offset} (confirming earlier updates), {@code limit} and {@code timeout} (a long poll waits
 * at most {@link #longPollCap(Duration)}, default 1 s, and returns at once when an update arrives). Like the
 * real server: 409 while a webhook is set, and a newer {@code getUpdates} terminates a waiting one with 409.
 * {@link #deliverToWebhook(String)} POSTs an update to the registered webhook with its secret header.
 *
 * <h2>Scripted failures</h2>
 * {@link #failNext(String, int, Failure)} and {@link #failWhen(String, Predicate, Failure)} with
 * {@link Failure#tooManyRequests(int)}, {@link Failure#blocked()}, {@link Failure#badRequest(String)},
 * {@link Failure#serverError()} (500 as JSON), {@link Failure#badGatewayPage()} (nginx's HTML 502),
 * {@link Failure#raw(int, String, String)}, {@link Failure#delay(Duration)}, {@link Failure#heldUntil} and three
 * ways to lose the connection, which differ only in what the fake has done when it closes it (the client is never
 * told):
 * <ul>
 *   <li>{@link Failure#dropBefore()}: closed before the request body is read, so nothing was done; a client
 *       that sent {@code Expect: 100-continue} never got "100 Continue" and knows its body never left.</li>
 *   <li>{@link Failure#disconnect()}: the request was read, then the connection closed without doing anything
 *       (a server that died mid-request).</li>
 *   <li>{@link Failure#dropAfter()}: the request was carried out (the message is in the chat), then the
 *       connection closed before the answer.</li>
 * </ul>
 * A drop before the body decides on the method and the query string only (it cannot see the body's fields).
 * {@link #failNextTo(long, String, int, Failure)} and {@link #failNext(String, int, Predicate, Failure)} aim a
 * fault at one chat's (or one kind of) call, so that another chat's call of the same method arriving first passes
 * untouched instead of taking it. Such a rule sees the body, so its drop before the body applies only to a request
 * that sent its body without waiting ({@code editMessageText}, ...: no {@code Expect: 100-continue}), which cannot
 * tell whether the fake read it; a request that waits for "100 Continue" (a one-shot send) holds its fields back,
 * passes such a rule untouched and leaves it armed.
 * {@link #answerExpectContinue(boolean)} switches off "100 Continue" to act like a Bot API server without a
 * proxy in front. {@link #block(long)} makes every send to a chat answer 403 "bot was blocked by the user".
 *
 * <h2>Inspection</h2>
 * Every request is recorded as a {@link Call} (method, params, uploads, the answer):
 * {@link #calls()}, {@link #callsTo(String)}, {@link #awaitCall(String, Predicate, Duration)},
 * {@link #awaitCalls(String, int, Duration)}, {@link #lastTextTo(long)}, {@link #textsTo(long)},
 * {@link #messages(long)} (what the chat shows, including messages whose answer was lost), {@link #transcript(long)}.
 * A wait's timeout is a {@link Patience}: the time the JVM was kept from running (a loaded CI box) does not count, and
 * it ends at three times the timeout of the clock at most.
 *
 * <p>Thread-safe. Start with {@link #start()}, stop with {@link #close()} (try-with-resources).
 */
public final class FakeTelegramServer implements AutoCloseable {
    /** A token in Telegram's format; {@link #start()} expects it. */
    public static final String DEFAULT_TOKEN = "1234567:AAFakeTokenForTests_abcdefghijklmnop";
    public static final long DEFAULT_BOT_ID = 1234567L;
    public static final String DEFAULT_BOT_USERNAME = "kie_test_bot";

    private static final Set<String> CHAT_ACTIONS = Set.of("typing", "upload_photo", "record_video", "upload_video",
            "record_voice", "upload_voice", "upload_document", "choose_sticker", "find_location", "record_video_note",
            "upload_video_note");
    private static final Set<String> NO_OP_METHODS = Set.of("deletemycommands", "setmydescription",
            "setmyshortdescription", "setmyname", "setchatmenubutton", "deletemessage", "deletemessages",
            "close", "logout", "setmessagereaction", "pinchatmessage", "unpinchatmessage");
    private static final Set<String> SEND_METHODS = Set.of("sendmessage", "editmessagetext", "sendphoto", "sendvideo",
            "sendaudio", "senddocument", "sendinvoice", "sendchataction", "editmessagereplymarkup", "sendanimation",
            "sendvoice", "sendsticker", "copymessage", "forwardmessage");

    // ---- public value types ----------------------------------------------------------------------

    /** An uploaded file part of a multipart request. */
    public record Upload(String field, String fileName, String contentType, byte[] bytes) {
    }

    /** One entry of the bot's command menu, as {@code setMyCommands} stored it. */
    public record FakeCommand(String command, String description) {
    }

    /** One inline keyboard button as the fake received it. */
    public record FakeButton(String text, Optional<String> callbackData, Optional<String> url) {
    }

    /** A message as the chat currently shows it (after edits). */
    public record FakeMessage(long chatId, int messageId, String kind, String text, Optional<String> fileId,
                              List<List<FakeButton>> buttons) {
    }

    /** One recorded request and the fake's answer. */
    public static final class Call {
        private final long seq;
        private final String method;
        private final Map<String, String> params;
        private final Map<String, Upload> uploads;
        private final Instant at;
        private volatile int status;
        private volatile String responseBody = "";
        private volatile boolean answered;
        private volatile boolean dropped;

        Call(long seq, String method, Map<String, String> params, Map<String, Upload> uploads) {
            this.seq = seq;
            this.method = method;
            this.params = Collections.unmodifiableMap(params);
            this.uploads = Collections.unmodifiableMap(uploads);
            this.at = Instant.now();
        }

        public long seq() {
            return seq;
        }

        public String method() {
            return method;
        }

        /** Text fields as sent (JSON fields such as {@code reply_markup} as JSON strings). */
        public Map<String, String> params() {
            return params;
        }

        public String param(String name) {
            return params.get(name);
        }

        public Map<String, Upload> uploads() {
            return uploads;
        }

        public Optional<Upload> upload(String field) {
            return Optional.ofNullable(uploads.get(field));
        }

        public boolean isUpload() {
            return !uploads.isEmpty();
        }

        public Instant at() {
            return at;
        }

        /** {@code chat_id} as a number, 0 when absent or not numeric. */
        public long chatId() {
            return parseLong(params.get("chat_id"), 0);
        }

        public String text() {
            return params.get("text");
        }

        public String caption() {
            return params.get("caption");
        }

        /** The keyboard sent in {@code reply_markup} (empty when none). */
        public List<List<FakeButton>> buttons() {
            return parseButtons(params.get("reply_markup"));
        }

        /** Callback data of the first button whose text contains {@code textFragment}. */
        public Optional<String> callbackData(String textFragment) {
            for (List<FakeButton> row : buttons()) {
                for (FakeButton b : row) {
                    if (b.text().contains(textFragment) && b.callbackData().isPresent()) {
                        return b.callbackData();
                    }
                }
            }
            return Optional.empty();
        }

        /** The {@code reply_markup} field parsed as JSON, if any. */
        public Optional<JsonObject> replyMarkup() {
            String rm = params.get("reply_markup");
            if (rm == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(JsonParser.parseString(rm).getAsJsonObject());
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }

        /** Whether the fake has finished handling it (answered or dropped the connection). */
        public boolean answered() {
            return answered;
        }

        /** HTTP status of the fake's answer (0 when the connection was dropped). */
        public int status() {
            return status;
        }

        /** Whether the connection was closed without an answer (see {@link Failure#dropAfter()} for what was done). */
        public boolean dropped() {
            return dropped;
        }

        public String responseBody() {
            return responseBody;
        }

        public boolean ok() {
            return status == 200;
        }

        /** {@code result.message_id} of the answer (sent or edited message). */
        public Optional<Integer> messageId() {
            return result().filter(JsonElement::isJsonObject).map(JsonElement::getAsJsonObject)
                    .filter(o -> o.has("message_id")).map(o -> o.get("message_id").getAsInt());
        }

        /** The file id the fake issued for sent media (the largest photo size). */
        public Optional<String> fileId() {
            Optional<JsonObject> msg = result().filter(JsonElement::isJsonObject).map(JsonElement::getAsJsonObject);
            if (msg.isEmpty()) {
                return Optional.empty();
            }
            JsonObject m = msg.get();
            if (m.has("photo")) {
                JsonArray sizes = m.getAsJsonArray("photo");
                return Optional.of(sizes.get(sizes.size() - 1).getAsJsonObject().get("file_id").getAsString());
            }
            for (String f : List.of("video", "audio", "document", "animation", "voice")) {
                if (m.has(f)) {
                    return Optional.of(m.getAsJsonObject(f).get("file_id").getAsString());
                }
            }
            return Optional.empty();
        }

        private Optional<JsonElement> result() {
            try {
                JsonObject o = JsonParser.parseString(responseBody).getAsJsonObject();
                return Optional.ofNullable(o.get("result"));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }

        @Override
        public String toString() {
            Map<String, String> shown = new TreeMap<>(params);
            uploads.forEach((k, v) -> shown.put(k, "<upload " + v.fileName() + ", " + v.bytes().length + " bytes>"));
            return "#" + seq + " " + method + " " + shown + " -> " + status;
        }
    }

    /** A scripted answer replacing the normal one. */
    public static final class Failure {
        enum Shape {
            /** Answers with {@code status}, {@code contentType} and {@code body}; nothing is done. */
            ANSWER,
            /** As {@link #ANSWER}, with "Connection: close": the client's next call opens a new connection. */
            ANSWER_AND_CLOSE,
            /** Answers normally after {@code delay}, or once {@code release} is counted down if sooner. */
            DELAY,
            /** Closes the connection before reading the request body; nothing is done. */
            DROP_BEFORE,
            /** Reads the request, does nothing, closes the connection. */
            DISCONNECT,
            /** Carries the request out, then closes the connection without the answer. */
            DROP_AFTER
        }

        final Shape shape;
        final int status;
        final String contentType;
        final String body;
        final Duration delay;
        final CountDownLatch release;

        private Failure(Shape shape, int status, String contentType, String body, Duration delay) {
            this(shape, status, contentType, body, delay, new CountDownLatch(1));
        }

        private Failure(Shape shape, int status, String contentType, String body, Duration delay,
                        CountDownLatch release) {
            this.shape = shape;
            this.status = status;
            this.contentType = contentType;
            this.body = body;
            this.delay = delay;
            this.release = release;
        }

        private static Failure answer(int status, String contentType, String body) {
            return new Failure(Shape.ANSWER, status, contentType, body, Duration.ZERO);
        }

        /** A Bot API error: HTTP status = error_code, {@code {"ok":false,...}} body. */
        public static Failure apiError(int errorCode, String description) {
            return answer(errorCode, "application/json", errorJson(errorCode, description, null));
        }

        /** 429 "Too Many Requests: retry after N" with {@code parameters.retry_after}. */
        public static Failure tooManyRequests(int retryAfterSeconds) {
            JsonObject p = new JsonObject();
            p.addProperty("retry_after", retryAfterSeconds);
            return answer(429, "application/json", errorJson(429, "Too Many Requests: retry after " + retryAfterSeconds, p));
        }

        /** 403 "Forbidden: bot was blocked by the user". */
        public static Failure blocked() {
            return apiError(403, "Forbidden: bot was blocked by the user");
        }

        /** 400 with {@code description} (prefixed with "Bad Request: " unless it already is). */
        public static Failure badRequest(String description) {
            return apiError(400, description.startsWith("Bad Request") ? description : "Bad Request: " + description);
        }

        /** 400 "Bad Request: failed to get HTTP URL content" (Telegram could not fetch a media URL). */
        public static Failure urlNotFetched() {
            return badRequest("failed to get HTTP URL content");
        }

        /** 500 "Internal Server Error" as JSON; nothing was done. */
        public static Failure serverError() {
            return apiError(500, "Internal Server Error");
        }

        /** The HTML page nginx answers when the Bot API behind it is unreachable (502); nothing was done. */
        public static Failure badGatewayPage() {
            return raw(502, "text/html", "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                    + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
        }

        /** Any status, content type and body, e.g. {@code raw(502, "text/html", "<html>Bad Gateway</html>")}. */
        public static Failure raw(int status, String contentType, String body) {
            return answer(status, contentType, body);
        }

        /** Closes the connection before reading the request body: nothing is done. */
        public static Failure dropBefore() {
            return new Failure(Shape.DROP_BEFORE, 0, "", "", Duration.ZERO);
        }

        /** Reads the request, does nothing and closes the connection without answering. */
        public static Failure disconnect() {
            return new Failure(Shape.DISCONNECT, 0, "", "", Duration.ZERO);
        }

        /** Carries the request out (the message arrives), then closes the connection without answering. */
        public static Failure dropAfter() {
            return new Failure(Shape.DROP_AFTER, 0, "", "", Duration.ZERO);
        }

        /**
         * This answer with "Connection: close", the connection closed after it (a proxy that keeps no connection
         * after an error): once the fake is closed, the client's next try is refused, not sent on a pooled connection.
         */
        public Failure closingTheConnection() {
            if (shape != Shape.ANSWER) {
                throw new IllegalStateException("only an answer closes the connection after it: " + this);
            }
            return new Failure(Shape.ANSWER_AND_CLOSE, status, contentType, body, delay);
        }

        /** Answers normally, but only after {@code d}. */
        public static Failure delay(Duration d) {
            return new Failure(Shape.DELAY, 0, "", "", d);
        }

        /**
         * Answers normally once the test counts {@code release} down, whenever that is (a minute at most, so that a
         * test that never does cannot hang): a call kept on the wire until something has happened meanwhile.
         */
        public static Failure heldUntil(CountDownLatch release) {
            return new Failure(Shape.DELAY, 0, "", "", Duration.ofMinutes(1), release);
        }

        @Override
        public String toString() {
            return shape == Shape.ANSWER || shape == Shape.ANSWER_AND_CLOSE ? "answer " + status
                    : shape.name().toLowerCase(Locale.ROOT);
        }
    }

    // ---- state -------------------------------------------------------------------------------------

    private final BareHttpServer server;
    private final String token;
    private final long botId;
    private final String botUsername;
    private final String apiUrl;
    private final HttpClient fetcher = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final Object lock = new Object();
    /**
     * The longest a wait on {@link #lock} sleeps before it looks again (a call or an update wakes it sooner): a test's
     * wait then asks its {@link Patience} (its bound less the JVM's stalls) whether it lasts.
     */
    private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private final List<Call> calls = new ArrayList<>();
    private final List<Rule> rules = new ArrayList<>();
    private final Set<Long> blockedChats = new java.util.HashSet<>();
    private final Map<Long, Map<Integer, StoredMessage>> messages = new LinkedHashMap<>();
    private final Map<String, StoredFile> filesById = new LinkedHashMap<>();
    private final Map<String, StoredFile> filesByPath = new LinkedHashMap<>();
    private final Map<String, Media> media = new LinkedHashMap<>();
    private final Set<String> refundedCharges = new java.util.LinkedHashSet<>();
    /** The bot's Stars transactions getStarTransactions lists, as Telegram's {@code StarTransaction} JSON. */
    private final List<JsonObject> starTransactions = new ArrayList<>();
    private final Deque<PendingUpdate> updateQueue = new ArrayDeque<>();
    private long pollGeneration;
    private String webhookUrl = "";
    /**
     * setMyCommands per scope and language_code, as Telegram keeps them: the key is the language ("" = for every other
     * language) for the default scope, {@code chat:<id>/<language>} for one chat's ({@code BotCommandScopeChat}).
     */
    private final Map<String, List<FakeCommand>> commandsByLanguage = new HashMap<>();
    private String webhookSecret = "";
    private List<String> webhookAllowedUpdates = List.of();
    /** What getWebhookInfo says of the last delivery that failed ("" when none did). */
    private String webhookLastError = "";
    private boolean strictEdits;
    private Duration longPollCap = Duration.ofSeconds(1);

    private final AtomicLong seq = new AtomicLong();
    private final AtomicInteger messageIds = new AtomicInteger(100);
    private final AtomicLong updateIds = new AtomicLong(500_000);
    private final AtomicInteger fileIds = new AtomicInteger();
    private final AtomicInteger fileDownloads = new AtomicInteger();
    private final FakeUpdates updates;

    /** {@code aimed}: {@code when} looks at the body's fields, so even a drop before the body is decided after it. */
    private record Rule(String method, Predicate<Call> when, Failure failure, int[] remaining, boolean aimed) {
    }

    private record StoredMessage(int id, String kind, String text, String markup, String fileId) {
    }

    private record StoredFile(String id, String path, byte[] content, Long declaredSize) {
    }

    /** What each file a user sent is (photo, document, voice…): Telegram sends a file id on only as what it is. */
    private final Map<String, String> userFileKinds = new java.util.concurrent.ConcurrentHashMap<>();

    private record Media(byte[] bytes, String contentType, AtomicInteger fetches) {
    }

    private record PendingUpdate(long id, String json) {
    }

    private FakeTelegramServer(String token, String botUsername) throws IOException {
        this.token = token;
        this.botUsername = botUsername;
        this.botId = parseLong(token.contains(":") ? token.substring(0, token.indexOf(':')) : "", DEFAULT_BOT_ID);
        this.server = BareHttpServer.start(this::handle, "fake-telegram");
        this.apiUrl = "http://127.0.0.1:" + server.port();
        this.updates = new FakeUpdates(updateIds::incrementAndGet, messageIds::incrementAndGet, botId, botUsername);
    }

    /** Starts a fake on a free port expecting {@link #DEFAULT_TOKEN}. */
    public static FakeTelegramServer start() {
        return start(DEFAULT_TOKEN, DEFAULT_BOT_USERNAME);
    }

    /** Starts a fake expecting {@code token}; {@code getMe} reports {@code botUsername}. */
    public static FakeTelegramServer start(String token, String botUsername) {
        try {
            return new FakeTelegramServer(token, botUsername);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake Telegram server", e);
        }
    }

    /** Base URL ({@code http://127.0.0.1:<port>}), what {@code TELEGRAM_API_URL} should be set to. */
    public String apiUrl() {
        return apiUrl;
    }

    public String token() {
        return token;
    }

    public long botId() {
        return botId;
    }

    public String botUsername() {
        return botUsername;
    }

    /** A pengrad bot pointed at this fake (built by {@link TelegramBots}). */
    public TelegramBot bot() {
        return TelegramBots.create(token, apiUrl);
    }

    /**
     * A loopback port that refuses connections for as long as the socket is open: bound, never listening, and not
     * shared. A fake closed for "Telegram unreachable" gives its port back, and anything else the build runs
     * meanwhile may take it and answer: a try that then meets a stranger is not surely unsent.
     */
    public static java.net.Socket refusingPort() throws IOException {
        java.net.Socket socket = new java.net.Socket();
        try {
            socket.setReuseAddress(false);
            socket.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Update JSON builder sharing this fake's update and message ids. */
    public FakeUpdates updates() {
        return updates;
    }

    /** Edits of messages the fake never sent answer "message to edit not found" (default: accepted). */
    public FakeTelegramServer strictEdits(boolean strict) {
        synchronized (lock) {
            this.strictEdits = strict;
        }
        return this;
    }

    /**
     * Whether a client that sends {@code Expect: 100-continue} gets "100 Continue" (default true, like nginx in
     * front of api.telegram.org); false acts like a bare Bot API server, which waits for the body instead.
     */
    public FakeTelegramServer answerExpectContinue(boolean answer) {
        server.answersExpectContinue(answer);
        return this;
    }

    /** Longest time a {@code getUpdates} long poll is held open (default 1 s). */
    public FakeTelegramServer longPollCap(Duration cap) {
        synchronized (lock) {
            this.longPollCap = cap;
        }
        return this;
    }

    @Override
    public void close() {
        synchronized (lock) {
            pollGeneration++;
            lock.notifyAll();
        }
        server.close();
    }

    // ---- scripting -------------------------------------------------------------------------------

    /** The next {@code times} calls of {@code method} ("*" for any) answer with {@code failure}. */
    public FakeTelegramServer failNext(String method, int times, Failure failure) {
        synchronized (lock) {
            rules.add(new Rule(method, c -> true, failure, new int[]{times}, false));
        }
        return this;
    }

    /**
     * The next {@code times} calls of {@code method} to {@code chatId} answer with {@code failure}; calls to other
     * chats pass untouched and leave it armed. A drop before the body: see the class comment.
     */
    public FakeTelegramServer failNextTo(long chatId, String method, int times, Failure failure) {
        return failNext(method, times, c -> c.chatId() == chatId, failure);
    }

    /**
     * The next {@code times} calls of {@code method} ("*" for any) matching {@code when}, which sees the body's
     * fields, answer with {@code failure}; other calls pass untouched. A drop before the body: see the class comment.
     */
    public FakeTelegramServer failNext(String method, int times, Predicate<Call> when, Failure failure) {
        synchronized (lock) {
            rules.add(new Rule(method, when, failure, new int[]{times}, true));
        }
        return this;
    }

    /** Every call of {@code method} ("*" for any) matching {@code when} answers with {@code failure}, until {@link #clearFailures()}. */
    public FakeTelegramServer failWhen(String method, Predicate<Call> when, Failure failure) {
        synchronized (lock) {
            rules.add(new Rule(method, when, failure, new int[]{-1}, false));
        }
        return this;
    }

    public void clearFailures() {
        synchronized (lock) {
            rules.clear();
        }
    }

    /** Sends to {@code chatId} answer 403 "Forbidden: bot was blocked by the user" until {@link #unblock(long)}. */
    public void block(long chatId) {
        synchronized (lock) {
            blockedChats.add(chatId);
        }
    }

    public void unblock(long chatId) {
        synchronized (lock) {
            blockedChats.remove(chatId);
        }
    }

    // ---- files and media ---------------------------------------------------------------------------

    /** Makes {@code fileId} downloadable through getFile; the path is {@code documents/<fileId>.bin}. */
    public void registerFile(String fileId, byte[] content) {
        registerFile(fileId, "documents/" + fileId.replaceAll("[^A-Za-z0-9_-]", "_") + ".bin", content, (long) content.length);
    }

    /**
     * Makes {@code fileId} downloadable at {@code filePath}; {@code declaredSize} is what getFile reports as
     * {@code file_size} (null: omitted; may differ from the content to test limits).
     */
    public void registerFile(String fileId, String filePath, byte[] content, Long declaredSize) {
        synchronized (lock) {
            StoredFile f = new StoredFile(fileId, filePath, content.clone(), declaredSize);
            filesById.put(fileId, f);
            filesByPath.put(filePath, f);
        }
    }

    /**
     * Telegram's file storage lost {@code fileId}: getFile still gives its path, and the path answers 404.
     *
     * @param fileId a file registered before
     */
    public void loseFileAtItsPath(String fileId) {
        synchronized (lock) {
            StoredFile f = filesById.get(fileId);
            if (f != null) {
                filesByPath.remove(f.path());
            }
        }
    }

    /** The bytes of a file the fake knows (registered or received in an upload). */
    public Optional<byte[]> fileContent(String fileId) {
        synchronized (lock) {
            StoredFile f = filesById.get(fileId);
            return f == null ? Optional.empty() : Optional.of(f.content().clone());
        }
    }

    /**
     * Lists a user's Stars payment of an invoice, coming in, at the end of getStarTransactions' list (Telegram took the
     * Stars, whether or not the bot heard of it).
     *
     * @param chargeId its {@code telegram_payment_charge_id}, the transaction's id
     * @param userId   the payer
     * @param payload  the invoice's payload
     * @param stars    Stars paid
     * @param at       when
     * @return this server
     */
    public FakeTelegramServer starPayment(String chargeId, long userId, String payload, int stars, Instant at) {
        synchronized (lock) {
            starTransactions.add(starTransaction(chargeId, userId, payload, stars, at, "source"));
        }
        return this;
    }

    /**
     * Lists the refund of a user's Stars payment, going out under the payment's id.
     *
     * @param chargeId the refunded payment's charge id
     * @param userId   the user paid back
     * @param payload  the invoice's payload
     * @param stars    Stars given back
     * @param at       when
     * @return this server
     */
    public FakeTelegramServer starRefund(String chargeId, long userId, String payload, int stars, Instant at) {
        synchronized (lock) {
            starTransactions.add(starTransaction(chargeId, userId, payload, stars, at, "receiver"));
        }
        return this;
    }

    /** A {@code StarTransaction} with a user partner ({@code TransactionPartnerUser}) as the Bot API writes it. */
    private static JsonObject starTransaction(String id, long userId, String payload, int stars, Instant at,
                                              String side) {
        JsonObject user = new JsonObject();
        user.addProperty("id", userId);
        user.addProperty("is_bot", false);
        user.addProperty("first_name", "User" + userId);
        JsonObject partner = new JsonObject();
        partner.addProperty("type", "user");
        partner.addProperty("transaction_type", "invoice_payment");
        partner.add("user", user);
        partner.addProperty("invoice_payload", payload);
        JsonObject t = new JsonObject();
        t.addProperty("id", id);
        t.addProperty("amount", stars);
        t.addProperty("date", at.getEpochSecond());
        t.add(side, partner);
        return t;
    }

    /** The charge ids refunded by {@code refundStarPayment}, in order (each once). */
    public List<String> refundedCharges() {
        synchronized (lock) {
            return List.copyOf(refundedCharges);
        }
    }

    /** How many requests reached {@code /file/bot<token>/...} (file downloads, successful or not). */
    public int fileDownloads() {
        return fileDownloads.get();
    }

    /** Serves {@code bytes} at {@code <apiUrl>/media/<name>} and returns that URL (for URL sends and downloads). */
    public String serveMedia(String name, byte[] bytes, String contentType) {
        synchronized (lock) {
            media.put(name, new Media(bytes.clone(), contentType, new AtomicInteger()));
        }
        return apiUrl + "/media/" + name;
    }

    /** How often {@code /media/<name>} was fetched (by the fake itself or by the code under test). */
    public int mediaFetches(String name) {
        synchronized (lock) {
            Media m = media.get(name);
            return m == null ? 0 : m.fetches().get();
        }
    }

    // ---- updates ----------------------------------------------------------------------------------

    /** Queues raw update JSON for getUpdates; adds an {@code update_id} if it has none. @return the update id */
    public long enqueue(String updateJson) {
        learnFileKinds(updateJson);
        JsonObject o = JsonParser.parseString(updateJson).getAsJsonObject();
        long id;
        if (o.has("update_id")) {
            id = o.get("update_id").getAsLong();
        } else {
            id = updateIds.incrementAndGet();
            o.addProperty("update_id", id);
        }
        synchronized (lock) {
            updateQueue.addLast(new PendingUpdate(id, o.toString()));
            lock.notifyAll();
        }
        return id;
    }

    /** Notes the kind of every file an update's message carries (tests also send garbage: that carries none). */
    private void learnFileKinds(String updateJson) {
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(updateJson);
        } catch (RuntimeException e) {
            return;
        }
        if (!parsed.isJsonObject()) {
            return;
        }
        for (Map.Entry<String, JsonElement> part : parsed.getAsJsonObject().entrySet()) {
            if (!part.getValue().isJsonObject()) {
                continue;
            }
            JsonObject message = part.getValue().getAsJsonObject();
            // an animation's message has a document of the same id too: the animation, named last, wins
            for (String kind : List.of("photo", "document", "audio", "voice", "video", "video_note", "animation")) {
                JsonElement file = message.get(kind);
                if (file != null && file.isJsonArray()) {
                    file.getAsJsonArray().forEach(size -> learnFileKind(size, kind));
                } else if (file != null) {
                    learnFileKind(file, kind);
                }
            }
        }
    }

    private void learnFileKind(JsonElement file, String kind) {
        if (file.isJsonObject() && file.getAsJsonObject().get("file_id") instanceof JsonPrimitive id) {
            userFileKinds.put(id.getAsString(), kind);
        }
    }

    /** Updates queued and not yet confirmed by a getUpdates offset. */
    public int pendingUpdates() {
        synchronized (lock) {
            return updateQueue.size();
        }
    }

    /** Waits until every queued update was confirmed (a getUpdates with a higher offset). */
    public void awaitUpdatesConfirmed(Duration timeout) {
        Patience patience = new Patience(timeout);
        synchronized (lock) {
            while (!updateQueue.isEmpty()) {
                if (!patience.lasts()) {
                    throw new AssertionError(updateQueue.size() + " updates still unconfirmed after " + timeout + " ("
                            + patience + ")");
                }
                waitOn(WAIT_SLICE_NANOS);
            }
        }
    }

    /**
     * Makes getWebhookInfo report a failed delivery to the webhook, as Telegram does ({@code last_error_date} now and
     * {@code last_error_message}); "" forgets it.
     */
    public void webhookDeliveryFailed(String message) {
        synchronized (lock) {
            webhookLastError = message;
        }
    }

    /** The registered webhook URL ("" when none). */
    public String webhookUrl() {
        synchronized (lock) {
            return webhookUrl;
        }
    }

    /** The command menu stored for {@code languageCode} ("" for users of any other language); empty if none. */
    public List<FakeCommand> commands(String languageCode) {
        synchronized (lock) {
            return commandsByLanguage.getOrDefault(languageCode, List.of());
        }
    }

    /** The command menu stored for one chat ({@code BotCommandScopeChat}) and {@code languageCode}; empty if none. */
    public List<FakeCommand> commands(long chatId, String languageCode) {
        synchronized (lock) {
            return commandsByLanguage.getOrDefault("chat:" + chatId + "/" + languageCode, List.of());
        }
    }

    public String webhookSecret() {
        synchronized (lock) {
            return webhookSecret;
        }
    }

    public List<String> webhookAllowedUpdates() {
        synchronized (lock) {
            return webhookAllowedUpdates;
        }
    }

    /**
     * POSTs an update to the registered webhook like Telegram does (JSON body, secret header).
     *
     * @return the webhook's HTTP status
     */
    public int deliverToWebhook(String updateJson) {
        learnFileKinds(updateJson);
        String url;
        String secret;
        synchronized (lock) {
            url = webhookUrl;
            secret = webhookSecret;
        }
        if (url.isEmpty()) {
            throw new IllegalStateException("no webhook registered");
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(updateJson));
        if (!secret.isEmpty()) {
            b.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        try {
            return fetcher.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new IllegalStateException("webhook delivery failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // ---- inspection -------------------------------------------------------------------------------

    public List<Call> calls() {
        synchronized (lock) {
            return List.copyOf(calls);
        }
    }

    /** Calls of one method, oldest first. */
    public List<Call> callsTo(String method) {
        synchronized (lock) {
            return calls.stream().filter(c -> c.method().equalsIgnoreCase(method)).toList();
        }
    }

    /** Forgets recorded calls (messages, files and webhook state stay). */
    public void clearCalls() {
        synchronized (lock) {
            calls.clear();
        }
    }

    /**
     * The first recorded call (past or future) of {@code method} matching {@code predicate}.
     *
     * @throws AssertionError listing the calls seen when none arrives within {@code timeout}
     */
    public Call awaitCall(String method, Predicate<Call> predicate, Duration timeout) {
        Patience patience = new Patience(timeout);
        synchronized (lock) {
            while (true) {
                for (Call c : calls) {
                    if (c.method().equalsIgnoreCase(method) && c.answered && safeTest(predicate, c)) {
                        return c;
                    }
                }
                if (!patience.lasts()) {
                    throw new AssertionError("no matching " + method + " within " + timeout + " (" + patience
                            + "); calls: " + summary());
                }
                waitOn(WAIT_SLICE_NANOS);
            }
        }
    }

    /** Waits until at least {@code count} calls of {@code method} were answered; returns them. */
    public List<Call> awaitCalls(String method, int count, Duration timeout) {
        Patience patience = new Patience(timeout);
        synchronized (lock) {
            while (true) {
                List<Call> got = calls.stream().filter(c -> c.method().equalsIgnoreCase(method) && c.answered).toList();
                if (got.size() >= count) {
                    return got;
                }
                if (!patience.lasts()) {
                    throw new AssertionError("only " + got.size() + " of " + count + " " + method + " within " + timeout
                            + " (" + patience + "); calls: " + summary());
                }
                waitOn(WAIT_SLICE_NANOS);
            }
        }
    }

    /** Waits for the next successful {@code sendMessage} or {@code editMessageText} to a chat after call number {@code afterSeq}. */
    public Call awaitTextTo(long chatId, long afterSeq, Duration timeout) {
        Patience patience = new Patience(timeout);
        synchronized (lock) {
            while (true) {
                for (Call c : calls) {
                    if (c.seq() > afterSeq && c.ok() && c.chatId() == chatId
                            && (c.method().equals("sendMessage") || c.method().equals("editMessageText"))) {
                        return c;
                    }
                }
                if (!patience.lasts()) {
                    throw new AssertionError("no text to chat " + chatId + " within " + timeout + " (" + patience
                            + "); calls: " + summary());
                }
                waitOn(WAIT_SLICE_NANOS);
            }
        }
    }

    /** The number of the latest recorded call (0 when none); pass it to {@link #awaitTextTo}. */
    public long lastSeq() {
        return seq.get();
    }

    /** Text of the latest successful sendMessage/editMessageText to {@code chatId}. */
    public Optional<String> lastTextTo(long chatId) {
        List<String> t = textsTo(chatId);
        return t.isEmpty() ? Optional.empty() : Optional.of(t.get(t.size() - 1));
    }

    /** Texts of successful sendMessage/editMessageText calls to {@code chatId}, oldest first. */
    public List<String> textsTo(long chatId) {
        synchronized (lock) {
            return calls.stream().filter(c -> c.ok() && c.chatId() == chatId
                            && (c.method().equals("sendMessage") || c.method().equals("editMessageText")))
                    .map(Call::text).toList();
        }
    }

    /** The chat's messages as they look now (after edits), oldest first. */
    public List<FakeMessage> messages(long chatId) {
        synchronized (lock) {
            Map<Integer, StoredMessage> m = messages.getOrDefault(chatId, Map.of());
            return m.values().stream().map(s -> new FakeMessage(chatId, s.id(), s.kind(), s.text(),
                    Optional.ofNullable(s.fileId()), parseButtons(s.markup()))).toList();
        }
    }

    /** A readable log of everything sent to a chat, for assertion messages. */
    public String transcript(long chatId) {
        synchronized (lock) {
            StringBuilder sb = new StringBuilder();
            for (Call c : calls) {
                if (c.chatId() == chatId) {
                    sb.append(c.method()).append(c.ok() ? "" : c.dropped() ? " [no answer]" : " [" + c.status() + "]").append(": ")
                            .append(Objects.requireNonNullElse(c.text(), Objects.requireNonNullElse(c.caption(), "")))
                            .append(c.buttons().isEmpty() ? "" : " " + c.buttons().stream()
                                    .map(r -> r.stream().map(FakeButton::text).toList()).toList())
                            .append('\n');
                }
            }
            return sb.toString();
        }
    }

    private String summary() {
        StringBuilder sb = new StringBuilder();
        int from = Math.max(0, calls.size() - 30);
        for (int i = from; i < calls.size(); i++) {
            sb.append("\n  ").append(calls.get(i));
        }
        return sb.toString();
    }

    private void waitOn(long nanos) {
        try {
            TimeUnit.NANOSECONDS.timedWait(lock, Math.min(nanos, WAIT_SLICE_NANOS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    // ---- HTTP ---------------------------------------------------------------------------------------

    private void handle(BareHttpServer.Exchange ex) throws IOException {
        try {
            String path = ex.rawPath();
            if (path.startsWith("/media/")) {
                serveMediaRequest(ex, URLDecoder.decode(path.substring(7), StandardCharsets.UTF_8));
                return;
            }
            if (path.startsWith("/file/bot")) {
                serveFile(ex, path.substring("/file/bot".length()));
                return;
            }
            if (!path.startsWith("/bot")) {
                respond(ex, 404, "application/json", errorJson(404, "Not Found", null));
                return;
            }
            String rest = path.substring(4);
            int slash = rest.indexOf('/');
            String tok = slash < 0 ? rest : URLDecoder.decode(rest.substring(0, slash), StandardCharsets.UTF_8);
            String method = slash < 0 ? "" : rest.substring(slash + 1);
            if (!tok.equals(token)) {
                respond(ex, 401, "application/json", errorJson(401, "Unauthorized", null));
                return;
            }
            handleApi(ex, method);
        } catch (RuntimeException e) {
            respond(ex, 500, "application/json", errorJson(500, "Internal Server Error (fake: " + e + ")", null));
        }
    }

    private void handleApi(BareHttpServer.Exchange ex, String method) throws IOException {
        long number = seq.incrementAndGet();
        Map<String, String> params = new LinkedHashMap<>();
        if (ex.rawQuery() != null) {
            params.putAll(parseForm(ex.rawQuery()));
        }
        Call early = new Call(number, method, new LinkedHashMap<>(params), Map.of());
        if (takeFailure(method, early, Stage.BEFORE_BODY) != null) {
            synchronized (lock) {
                calls.add(early);
            }
            finishDropped(early, "");
            ex.drop(); // the body was never read: the client that waited for "100 Continue" never sent it
            return;
        }
        Map<String, Upload> uploads = new LinkedHashMap<>();
        readBody(ex, params, uploads);
        Call call = new Call(number, method, params, uploads);
        // a client that waited for "100 Continue" knows whether its body left: only one that did not wait can be
        // dropped after the fake read its body as if it had not
        boolean sentBodyUnasked = !"100-continue".equalsIgnoreCase(ex.header("Expect"));
        if (sentBodyUnasked && takeFailure(method, call, Stage.AIMED_BEFORE_BODY) != null) {
            synchronized (lock) {
                calls.add(call);
            }
            finishDropped(call, "");
            ex.drop();
            return;
        }
        Failure failure = takeFailure(method, call, Stage.AFTER_BODY);
        synchronized (lock) {
            calls.add(call);
            if (failure == null && SEND_METHODS.contains(method.toLowerCase(Locale.ROOT))
                    && blockedChats.contains(call.chatId())) {
                failure = Failure.blocked();
            }
        }
        if (failure == null || failure.shape == Failure.Shape.DELAY) {
            if (failure != null) {
                awaitRelease(failure);
            }
            Answer answer = dispatch(method, call);
            finish(call, answer.status, answer.body);
            respond(ex, answer.status, answer.contentType, answer.body);
        } else if (failure.shape == Failure.Shape.DROP_AFTER) {
            finishDropped(call, dispatch(method, call).body); // done, but the answer never leaves
            ex.drop();
        } else if (failure.shape == Failure.Shape.DISCONNECT) {
            finishDropped(call, "");
            ex.drop();
        } else {
            finish(call, failure.status, failure.body);
            if (failure.shape == Failure.Shape.ANSWER_AND_CLOSE) {
                ex.closeAfterAnswer();
            }
            respond(ex, failure.status, failure.contentType, failure.body);
        }
    }

    /** Adds the body's fields (form, JSON or multipart text parts) to {@code params} and its files to {@code uploads}. */
    private static void readBody(BareHttpServer.Exchange ex, Map<String, String> params, Map<String, Upload> uploads)
            throws IOException {
        byte[] body = ex.body();
        String ct = Objects.requireNonNullElse(ex.header("Content-Type"), "");
        String ctl = ct.toLowerCase(Locale.ROOT);
        if (ctl.startsWith("application/x-www-form-urlencoded")) {
            params.putAll(parseForm(new String(body, StandardCharsets.UTF_8)));
        } else if (ctl.startsWith("multipart/form-data")) {
            parseMultipart(ct, body, params, uploads);
        } else if (ctl.startsWith("application/json") && body.length > 0) {
            JsonObject o = JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject();
            for (Map.Entry<String, JsonElement> e : o.entrySet()) {
                JsonElement v = e.getValue();
                params.put(e.getKey(), v.isJsonPrimitive() ? v.getAsString() : v.toString());
            }
        }
    }

    /** When a rule is looked up: which rules a lookup considers. */
    private enum Stage {
        /** Drops before the body, decided on the method and the query string: the body is not read yet. */
        BEFORE_BODY,
        /** Aimed drops before the body, decided on its fields once read: they act as if it had not been. */
        AIMED_BEFORE_BODY,
        /** Everything else, once the body is read. */
        AFTER_BODY;

        boolean considers(Rule r) {
            boolean dropsBefore = r.failure().shape == Failure.Shape.DROP_BEFORE;
            return switch (this) {
                case BEFORE_BODY -> dropsBefore && !r.aimed();
                case AIMED_BEFORE_BODY -> dropsBefore && r.aimed();
                case AFTER_BODY -> !dropsBefore;
            };
        }
    }

    /** The failure scripted for this call at {@code stage}, if any, counting it against its rule. */
    private Failure takeFailure(String method, Call call, Stage stage) {
        synchronized (lock) {
            for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
                Rule r = it.next();
                if (stage.considers(r) && (r.method().equals("*") || r.method().equalsIgnoreCase(method))
                        && safeTest(r.when(), call)) {
                    if (r.remaining()[0] > 0) {
                        r.remaining()[0]--;
                        if (r.remaining()[0] == 0) {
                            it.remove();
                        }
                    }
                    return r.failure();
                }
            }
            return null;
        }
    }

    private static boolean safeTest(Predicate<Call> p, Call c) {
        try {
            return p.test(c);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void finish(Call call, int status, String body) {
        synchronized (lock) {
            call.status = status;
            call.responseBody = body;
            call.answered = true;
            lock.notifyAll();
        }
    }

    /** Records a call whose connection is closed without an answer; {@code unsentBody} is what was not sent. */
    private void finishDropped(Call call, String unsentBody) {
        synchronized (lock) {
            call.status = 0;
            call.responseBody = unsentBody;
            call.dropped = true;
            call.answered = true;
            lock.notifyAll();
        }
    }

    private record Answer(int status, String contentType, String body) {
    }

    private static Answer ok(JsonElement result) {
        JsonObject o = new JsonObject();
        o.addProperty("ok", true);
        o.add("result", result);
        return new Answer(200, "application/json", o.toString());
    }

    private static Answer ok(JsonElement result, String description) {
        JsonObject o = new JsonObject();
        o.addProperty("ok", true);
        o.add("result", result);
        o.addProperty("description", description);
        return new Answer(200, "application/json", o.toString());
    }

    private static Answer error(int code, String description) {
        return new Answer(code, "application/json", errorJson(code, description, null));
    }

    private static String errorJson(int code, String description, JsonObject parameters) {
        JsonObject o = new JsonObject();
        o.addProperty("ok", false);
        o.addProperty("error_code", code);
        o.addProperty("description", description);
        if (parameters != null) {
            o.add("parameters", parameters);
        }
        return o.toString();
    }

    // ---- methods ------------------------------------------------------------------------------------

    private Answer dispatch(String method, Call c) {
        switch (method.toLowerCase(Locale.ROOT)) {
            case "getme":
                return ok(botUserJson());
            case "sendmessage":
                return sendMessage(c);
            case "editmessagetext":
                return editMessageText(c);
            case "editmessagereplymarkup":
                return editReplyMarkup(c);
            case "answercallbackquery":
                return answerCallbackQuery(c);
            case "sendphoto":
                return sendMedia(c, "photo");
            case "sendvideo":
                return sendMedia(c, "video");
            case "sendaudio":
                return sendMedia(c, "audio");
            case "senddocument":
                return sendMedia(c, "document");
            case "sendinvoice":
                return sendInvoice(c);
            case "createinvoicelink":
                return ok(new JsonPrimitive("https://t.me/$fake-invoice-" + c.seq()));
            case "answerprecheckoutquery":
                return answerPreCheckout(c);
            case "sendchataction":
                return sendChatAction(c);
            case "setwebhook":
                return setWebhook(c);
            case "deletewebhook":
                return deleteWebhook(c);
            case "getwebhookinfo":
                return getWebhookInfo();
            case "setmycommands":
                return setMyCommands(c);
            case "getmycommands":
                return getMyCommands(c);
            case "deletemycommands":
                return deleteMyCommands(c);
            case "getfile":
                return getFile(c);
            case "getupdates":
                return getUpdates(c);
            case "refundstarpayment":
                return refundStarPayment(c);
            case "getstartransactions":
                return getStarTransactions(c);
            default:
                if (NO_OP_METHODS.contains(method.toLowerCase(Locale.ROOT))) {
                    return ok(new JsonPrimitive(true));
                }
                return error(404, "Not Found");
        }
    }

    /** Refunds a Stars charge once, as Telegram does; the errors are the Bot API's. */
    private Answer refundStarPayment(Call c) {
        if (parseLong(c.param("user_id"), 0) <= 0) {
            return error(400, "Bad Request: USER_ID_INVALID");
        }
        String charge = c.param("telegram_payment_charge_id");
        if (charge == null || charge.isEmpty()) {
            return error(400, "Bad Request: CHARGE_ID_EMPTY");
        }
        synchronized (lock) {
            if (!refundedCharges.add(charge)) {
                return error(400, "Bad Request: CHARGE_ALREADY_REFUNDED");
            }
            // the payment listed: its refund is listed after it, as Telegram lists one
            starTransactions.stream().filter(t -> t.has("source") && t.get("id").getAsString().equals(charge))
                    .findFirst().map(t -> t.deepCopy()).ifPresent(t -> {
                        t.add("receiver", t.remove("source"));
                        t.addProperty("date", Instant.now().getEpochSecond());
                        starTransactions.add(t);
                    });
        }
        return ok(new JsonPrimitive(true));
    }

    /** A page of the bot's Stars transactions: {@code offset} skipped, at most {@code limit} (1-100, default 100). */
    private Answer getStarTransactions(Call c) {
        long offset = parseLong(c.param("offset"), 0);
        long limit = parseLong(c.param("limit"), 100);
        if (offset < 0 || limit < 1 || limit > 100) {
            return error(400, "Bad Request: LIMIT_INVALID");
        }
        JsonArray page = new JsonArray();
        synchronized (lock) {
            starTransactions.stream().skip(offset).limit(limit).forEach(t -> page.add(t.deepCopy()));
        }
        JsonObject r = new JsonObject();
        r.add("transactions", page);
        return ok(r);
    }

    /** What Telegram checks of a text message sent or edited: its chat, its text, its keyboard; null when all pass. */
    private Answer checkTextMessage(Call c) {
        Answer bad = checkChat(c);
        if (bad == null) {
            bad = checkText(c.text());
        }
        if (bad == null) {
            bad = checkMarkup(c.param("reply_markup"));
        }
        return bad;
    }

    private Answer sendMessage(Call c) {
        Answer bad = checkTextMessage(c);
        if (bad != null) {
            return bad;
        }
        int id = messageIds.incrementAndGet();
        store(c.chatId(), new StoredMessage(id, "text", c.text(), c.param("reply_markup"), null));
        JsonObject m = messageJson(c.chatId(), id);
        m.addProperty("text", c.text());
        addMarkup(m, c.param("reply_markup"));
        return ok(m);
    }

    private Answer editMessageText(Call c) {
        if (c.param("inline_message_id") != null) {
            Answer bad = checkText(c.text());
            return bad != null ? bad : ok(new JsonPrimitive(true));
        }
        Answer bad = checkTextMessage(c);
        if (bad != null) {
            return bad;
        }
        int id = (int) parseLong(c.param("message_id"), -1);
        if (id <= 0) {
            return error(400, "Bad Request: message identifier is not specified");
        }
        synchronized (lock) {
            StoredMessage old = messages.getOrDefault(c.chatId(), Map.of()).get(id);
            if (old == null && strictEdits) {
                return error(400, "Bad Request: message to edit not found");
            }
            if (old != null && !old.kind().equals("text")) {
                return error(400, "Bad Request: there is no text in the message to edit");
            }
            if (old != null && Objects.equals(old.text(), c.text()) && sameMarkup(old.markup(), c.param("reply_markup"))) {
                return error(400, "Bad Request: message is not modified: specified new message content and reply "
                        + "markup are exactly the same as a content and reply markup of the current message");
            }
            store(c.chatId(), new StoredMessage(id, "text", c.text(), c.param("reply_markup"), null));
        }
        JsonObject m = messageJson(c.chatId(), id);
        m.addProperty("edit_date", Instant.now().getEpochSecond());
        m.addProperty("text", c.text());
        addMarkup(m, c.param("reply_markup"));
        return ok(m);
    }

    private Answer editReplyMarkup(Call c) {
        Answer bad = checkChat(c);
        if (bad == null) {
            bad = checkMarkup(c.param("reply_markup"));
        }
        if (bad != null) {
            return bad;
        }
        int id = (int) parseLong(c.param("message_id"), -1);
        synchronized (lock) {
            StoredMessage old = messages.getOrDefault(c.chatId(), Map.of()).get(id);
            if (old == null) {
                return error(400, "Bad Request: message to edit not found");
            }
            if (sameMarkup(old.markup(), c.param("reply_markup"))) {
                return error(400, "Bad Request: message is not modified: specified new message content and reply "
                        + "markup are exactly the same as a content and reply markup of the current message");
            }
            store(c.chatId(), new StoredMessage(id, old.kind(), old.text(), c.param("reply_markup"), old.fileId()));
        }
        JsonObject m = messageJson(c.chatId(), id);
        addMarkup(m, c.param("reply_markup"));
        return ok(m);
    }

    private Answer answerCallbackQuery(Call c) {
        String id = c.param("callback_query_id");
        if (id == null || id.isEmpty()) {
            return error(400, "Bad Request: query is too old and response timeout expired or query ID is invalid");
        }
        String text = c.param("text");
        if (text != null && text.length() > 200) {
            return error(400, "Bad Request: MESSAGE_TOO_LONG");
        }
        return ok(new JsonPrimitive(true));
    }

    private Answer sendMedia(Call c, String field) {
        Answer bad = checkChat(c);
        if (bad == null) {
            bad = checkMarkup(c.param("reply_markup"));
        }
        if (bad != null) {
            return bad;
        }
        String caption = c.caption();
        if (caption != null && caption.length() > 1024) {
            return error(400, "Bad Request: message caption is too long");
        }
        byte[] content;
        String fileId;
        Optional<Upload> up = c.upload(field);
        String ref = c.param(field);
        if (up.isPresent()) {
            content = up.get().bytes();
            if (content.length == 0) {
                return error(400, "Bad Request: file must be non-empty");
            }
            fileId = newFileId();
        } else if (ref == null || ref.isEmpty()) {
            return error(400, "Bad Request: there is no " + field + " in the request");
        } else if (ref.contains("://")) {
            if (field.equals("document") && !ref.toLowerCase(java.util.Locale.ROOT).matches(".*\\.(gif|pdf|zip)([?#].*)?")) {
                // telegram.md: "sendDocument by URL currently works only for GIF, PDF and ZIP"
                return error(400, "Bad Request: wrong type of the web page content");
            }
            Optional<byte[]> fetched = fetchUrl(ref);
            if (fetched.isEmpty()) {
                return ref.startsWith("http://") || ref.startsWith("https://")
                        ? error(400, "Bad Request: failed to get HTTP URL content")
                        : error(400, "Bad Request: wrong file identifier/HTTP URL specified");
            }
            content = fetched.get();
            fileId = newFileId();
        } else {
            String kind = userFileKinds.get(ref);
            if (kind != null && !kind.equals(field)) {
                // a document's id given to sendPhoto, say
                return error(400, "Bad Request: type of file mismatch");
            }
            fileId = ref;
            content = fileContent(ref).orElse(new byte[0]);
        }
        if (field.equals("photo") && !photoDimensionsFit(content)) {
            // telegram.md 1.6: "Photo width + height ≤ 10000, aspect ratio ≤ 20"
            return error(400, "Bad Request: PHOTO_INVALID_DIMENSIONS");
        }
        String path = field + "s/" + fileId + extension(field);
        synchronized (lock) {
            if (!filesById.containsKey(fileId)) {
                StoredFile f = new StoredFile(fileId, path, content, (long) content.length);
                filesById.put(fileId, f);
                filesByPath.put(path, f);
            }
        }
        int id = messageIds.incrementAndGet();
        store(c.chatId(), new StoredMessage(id, field, caption, c.param("reply_markup"), fileId));
        JsonObject m = messageJson(c.chatId(), id);
        if (field.equals("photo")) {
            JsonArray sizes = new JsonArray();
            sizes.add(fileJson(fileId + "-s", Math.min(content.length, 2000), 90, 90));
            sizes.add(fileJson(fileId, content.length, 1280, 1280));
            m.add("photo", sizes);
        } else {
            JsonObject f = fileJson(fileId, content.length, 0, 0);
            Optional<String> name = up.map(Upload::fileName).filter(n -> !n.isEmpty());
            name.ifPresent(n -> f.addProperty("file_name", n));
            up.map(Upload::contentType).filter(t -> !t.isEmpty()).ifPresent(t -> f.addProperty("mime_type", t));
            m.add(field, f);
        }
        if (caption != null && !caption.isEmpty()) {
            m.addProperty("caption", caption);
        }
        addMarkup(m, c.param("reply_markup"));
        return ok(m);
    }

    /** Whether a photo's sides are within Telegram's limits; only a PNG's are read (its IHDR), anything else fits. */
    static boolean photoDimensionsFit(byte[] content) {
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        if (content.length < 24 || !Arrays.equals(Arrays.copyOf(content, 8), signature)
                || !new String(content, 12, 4, StandardCharsets.ISO_8859_1).equals("IHDR")) {
            return true;
        }
        ByteBuffer ihdr = ByteBuffer.wrap(content, 16, 8);
        long width = Integer.toUnsignedLong(ihdr.getInt());
        long height = Integer.toUnsignedLong(ihdr.getInt());
        return width > 0 && height > 0 && width + height <= 10_000
                && Math.max(width, height) <= 20 * Math.min(width, height);
    }

    private Answer sendInvoice(Call c) {
        Answer bad = checkChat(c);
        if (bad != null) {
            return bad;
        }
        String title = Objects.requireNonNullElse(c.param("title"), "");
        String description = Objects.requireNonNullElse(c.param("description"), "");
        String payload = Objects.requireNonNullElse(c.param("payload"), "");
        String currency = Objects.requireNonNullElse(c.param("currency"), "");
        if (title.isEmpty() || title.length() > 32) {
            return error(400, "Bad Request: invoice title length must be 1-32 characters");
        }
        if (description.isEmpty() || description.length() > 255) {
            return error(400, "Bad Request: invoice description length must be 1-255 characters");
        }
        int payloadBytes = payload.getBytes(StandardCharsets.UTF_8).length;
        if (payloadBytes == 0 || payloadBytes > 128) {
            return error(400, "Bad Request: invoice payload length must be 1-128 bytes");
        }
        JsonArray prices;
        try {
            prices = JsonParser.parseString(Objects.requireNonNullElse(c.param("prices"), "")).getAsJsonArray();
        } catch (RuntimeException e) {
            return error(400, "Bad Request: can't parse prices JSON object");
        }
        long total = 0;
        for (JsonElement p : prices) {
            total += p.getAsJsonObject().get("amount").getAsLong();
        }
        if (currency.equals("XTR")) {
            String providerToken = c.param("provider_token");
            if (providerToken != null && !providerToken.isEmpty()) {
                return error(400, "Bad Request: provider_token must be empty for payments in Telegram Stars");
            }
            if (prices.size() != 1) {
                return error(400, "Bad Request: exactly one price must be specified for payments in Telegram Stars");
            }
        }
        if (total <= 0) {
            return error(400, "Bad Request: CURRENCY_TOTAL_AMOUNT_INVALID");
        }
        int id = messageIds.incrementAndGet();
        store(c.chatId(), new StoredMessage(id, "invoice", title, c.param("reply_markup"), null));
        JsonObject m = messageJson(c.chatId(), id);
        JsonObject inv = new JsonObject();
        inv.addProperty("title", title);
        inv.addProperty("description", description);
        inv.addProperty("start_parameter", "");
        inv.addProperty("currency", currency);
        inv.addProperty("total_amount", total);
        m.add("invoice", inv);
        return ok(m);
    }

    private Answer answerPreCheckout(Call c) {
        String id = c.param("pre_checkout_query_id");
        if (id == null || id.isEmpty()) {
            return error(400, "Bad Request: QUERY_ID_INVALID");
        }
        boolean okFlag = !"false".equalsIgnoreCase(c.param("ok"));
        if (!okFlag && (c.param("error_message") == null || c.param("error_message").isEmpty())) {
            return error(400, "Bad Request: ERROR_MESSAGE_EMPTY");
        }
        return ok(new JsonPrimitive(true));
    }

    private Answer sendChatAction(Call c) {
        Answer bad = checkChat(c);
        if (bad != null) {
            return bad;
        }
        if (!CHAT_ACTIONS.contains(Objects.requireNonNullElse(c.param("action"), ""))) {
            return error(400, "Bad Request: wrong parameter action in request");
        }
        return ok(new JsonPrimitive(true));
    }

    private Answer setWebhook(Call c) {
        String url = Objects.requireNonNullElse(c.param("url"), "");
        String secret = Objects.requireNonNullElse(c.param("secret_token"), "");
        if (!secret.isEmpty() && !secret.matches("[A-Za-z0-9_-]{1,256}")) {
            return error(400, "Bad Request: secret token contains unallowed characters");
        }
        if (!url.isEmpty() && !url.startsWith("https://") && !url.startsWith("http://")) {
            return error(400, "Bad Request: bad webhook: invalid URL");
        }
        List<String> allowed = new ArrayList<>();
        String au = c.param("allowed_updates");
        if (au != null && !au.isEmpty()) {
            try {
                JsonParser.parseString(au).getAsJsonArray().forEach(e -> allowed.add(e.getAsString()));
            } catch (RuntimeException e) {
                return error(400, "Bad Request: can't parse allowed updates JSON array");
            }
        }
        synchronized (lock) {
            boolean same = url.equals(webhookUrl);
            webhookUrl = url;
            webhookSecret = url.isEmpty() ? "" : secret;
            if (au != null) {
                webhookAllowedUpdates = List.copyOf(allowed);
            }
            if ("true".equalsIgnoreCase(c.param("drop_pending_updates"))) {
                updateQueue.clear();
            }
            pollGeneration++; // "Conflict: terminated by setWebhook request"
            lock.notifyAll();
            if (url.isEmpty()) {
                return ok(new JsonPrimitive(true), "Webhook was deleted");
            }
            return ok(new JsonPrimitive(true), same ? "Webhook is already set" : "Webhook was set");
        }
    }

    private Answer deleteWebhook(Call c) {
        synchronized (lock) {
            boolean had = !webhookUrl.isEmpty();
            webhookUrl = "";
            webhookSecret = "";
            if ("true".equalsIgnoreCase(c.param("drop_pending_updates"))) {
                updateQueue.clear();
            }
            return ok(new JsonPrimitive(true), had ? "Webhook was deleted" : "Webhook is already deleted");
        }
    }

    /** Checks the list as Telegram does (1-100 commands, names 1-32 of a-z 0-9 _, descriptions 1-256) and stores it. */
    private Answer setMyCommands(Call c) {
        String language = Objects.requireNonNullElse(c.param("language_code"), "");
        if (!language.isEmpty() && !language.matches("[a-z]{2}")) {
            return error(400, "Bad Request: invalid language code specified");
        }
        // the default scope, or one chat's; the other scopes (groups, their admins) the bot does not use
        String key = language;
        if (c.param("scope") != null) {
            try {
                JsonObject scope = JsonParser.parseString(c.param("scope")).getAsJsonObject();
                String type = scope.get("type").getAsString();
                if (type.equals("chat")) {
                    key = "chat:" + scope.get("chat_id").getAsLong() + "/" + language;
                } else if (!type.equals("default")) {
                    return error(400, "Bad Request: unsupported scope type in this fake: " + type);
                }
            } catch (RuntimeException e) {
                return error(400, "Bad Request: can't parse BotCommandScope");
            }
        }
        List<FakeCommand> commands = new ArrayList<>();
        try {
            for (JsonElement e : JsonParser.parseString(Objects.requireNonNullElse(c.param("commands"), ""))
                    .getAsJsonArray()) {
                JsonObject o = e.getAsJsonObject();
                commands.add(new FakeCommand(o.get("command").getAsString(), o.get("description").getAsString()));
            }
        } catch (RuntimeException e) {
            return error(400, "Bad Request: can't parse commands JSON array");
        }
        if (commands.size() > 100) {
            return error(400, "Bad Request: too many commands specified");
        }
        for (FakeCommand cmd : commands) {
            if (!cmd.command().matches("[a-z0-9_]{1,32}")) {
                return error(400, "Bad Request: BOT_COMMAND_INVALID");
            }
            if (cmd.description().isBlank() || cmd.description().length() > 256) {
                return error(400, "Bad Request: command description is invalid");
            }
        }
        synchronized (lock) {
            commandsByLanguage.put(key, List.copyOf(commands));
        }
        return ok(new JsonPrimitive(true));
    }

    /** Removes one scope's list for one language (one chat's, or the default's), as Telegram does; true when none. */
    private Answer deleteMyCommands(Call c) {
        String language = Objects.requireNonNullElse(c.param("language_code"), "");
        String key = language;
        if (c.param("scope") != null) {
            try {
                JsonObject scope = JsonParser.parseString(c.param("scope")).getAsJsonObject();
                if (scope.get("type").getAsString().equals("chat")) {
                    key = "chat:" + scope.get("chat_id").getAsLong() + "/" + language;
                }
            } catch (RuntimeException e) {
                return error(400, "Bad Request: can't parse BotCommandScope");
            }
        }
        synchronized (lock) {
            commandsByLanguage.remove(key);
        }
        return ok(new JsonPrimitive(true));
    }

    private Answer getMyCommands(Call c) {
        JsonArray a = new JsonArray();
        for (FakeCommand cmd : commands(Objects.requireNonNullElse(c.param("language_code"), ""))) {
            JsonObject o = new JsonObject();
            o.addProperty("command", cmd.command());
            o.addProperty("description", cmd.description());
            a.add(o);
        }
        return ok(a);
    }

    private Answer getWebhookInfo() {
        synchronized (lock) {
            JsonObject w = new JsonObject();
            w.addProperty("url", webhookUrl);
            w.addProperty("has_custom_certificate", false);
            w.addProperty("pending_update_count", updateQueue.size());
            if (!webhookUrl.isEmpty()) {
                w.addProperty("max_connections", 40);
                w.addProperty("ip_address", "127.0.0.1");
                JsonArray a = new JsonArray();
                webhookAllowedUpdates.forEach(a::add);
                w.add("allowed_updates", a);
                if (!webhookLastError.isEmpty()) {
                    w.addProperty("last_error_date", Instant.now().getEpochSecond());
                    w.addProperty("last_error_message", webhookLastError);
                }
            }
            return ok(w);
        }
    }

    private Answer getFile(Call c) {
        String id = c.param("file_id");
        StoredFile f;
        synchronized (lock) {
            f = id == null ? null : filesById.get(id);
        }
        if (f == null) {
            return error(400, "Bad Request: invalid file_id");
        }
        long size = f.declaredSize() != null ? f.declaredSize() : f.content().length;
        if (size > 20L * 1024 * 1024) {
            return error(400, "Bad Request: file is too big");
        }
        JsonObject r = new JsonObject();
        r.addProperty("file_id", f.id());
        r.addProperty("file_unique_id", "u" + Integer.toHexString(f.id().hashCode()));
        if (f.declaredSize() != null) {
            r.addProperty("file_size", f.declaredSize());
        }
        r.addProperty("file_path", f.path());
        return ok(r);
    }

    private Answer getUpdates(Call c) {
        long offset = parseLong(c.param("offset"), 0);
        int limit = (int) Math.max(1, Math.min(100, parseLong(c.param("limit"), 100)));
        long timeoutSeconds = Math.max(0, Math.min(50, parseLong(c.param("timeout"), 0)));
        synchronized (lock) {
            if (!webhookUrl.isEmpty()) {
                return error(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook "
                        + "to delete the webhook first");
            }
            long generation = ++pollGeneration;
            lock.notifyAll(); // terminates an older waiting poll
            if (offset > 0) {
                updateQueue.removeIf(u -> u.id() < offset);
            } else if (offset < 0) {
                while (updateQueue.size() > -offset) {
                    updateQueue.removeFirst();
                }
            }
            long waitNanos = Math.min(TimeUnit.SECONDS.toNanos(timeoutSeconds), longPollCap.toNanos());
            long deadline = System.nanoTime() + waitNanos;
            while (updateQueue.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                waitOn(left);
                if (pollGeneration != generation) {
                    return error(409, !webhookUrl.isEmpty() ? "Conflict: terminated by setWebhook request"
                            : "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
                }
            }
            JsonArray result = new JsonArray();
            for (PendingUpdate u : updateQueue) {
                if (result.size() >= limit) {
                    break;
                }
                result.add(JsonParser.parseString(u.json()));
            }
            return ok(result);
        }
    }

    // ---- files, media ---------------------------------------------------------------------------------

    private void serveFile(BareHttpServer.Exchange ex, String rest) throws IOException {
        fileDownloads.incrementAndGet();
        int slash = rest.indexOf('/');
        String tok = slash < 0 ? rest : URLDecoder.decode(rest.substring(0, slash), StandardCharsets.UTF_8);
        String path = slash < 0 ? "" : URLDecoder.decode(rest.substring(slash + 1), StandardCharsets.UTF_8);
        StoredFile f;
        synchronized (lock) {
            f = tok.equals(token) ? filesByPath.get(path) : null;
        }
        if (f == null) {
            respond(ex, 404, "application/json", errorJson(404, "Not Found", null));
            return;
        }
        respondBytes(ex, 200, "application/octet-stream", f.content());
    }

    private void serveMediaRequest(BareHttpServer.Exchange ex, String name) throws IOException {
        Media m;
        synchronized (lock) {
            m = media.get(name);
        }
        if (m == null) {
            respond(ex, 404, "text/plain", "not found");
            return;
        }
        m.fetches().incrementAndGet();
        respondBytes(ex, 200, m.contentType(), m.bytes());
    }

    /** Like Telegram fetching a URL: local URLs are really fetched, others are assumed reachable. */
    private Optional<byte[]> fetchUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String scheme = Objects.requireNonNullElse(uri.getScheme(), "");
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.empty();
        }
        String host = Objects.requireNonNullElse(uri.getHost(), "");
        if (!host.equals("127.0.0.1") && !host.equals("localhost")) {
            return Optional.of(("content of " + url).getBytes(StandardCharsets.UTF_8));
        }
        try {
            HttpResponse<byte[]> r = fetcher.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private Answer checkChat(Call c) {
        String chat = c.param("chat_id");
        if (chat == null || chat.isEmpty()) {
            return error(400, "Bad Request: chat_id is empty");
        }
        if (parseLong(chat, 0) == 0 && !chat.startsWith("@")) {
            return error(400, "Bad Request: chat not found");
        }
        return null;
    }

    private static Answer checkText(String text) {
        if (text == null || text.isEmpty()) {
            return error(400, "Bad Request: message text is empty");
        }
        if (text.length() > 4096) {
            return error(400, "Bad Request: message is too long");
        }
        return null;
    }

    private static Answer checkMarkup(String markup) {
        if (markup == null) {
            return null;
        }
        try {
            JsonObject o = JsonParser.parseString(markup).getAsJsonObject();
            if (o.has("inline_keyboard")) {
                for (JsonElement row : o.getAsJsonArray("inline_keyboard")) {
                    for (JsonElement b : row.getAsJsonArray()) {
                        JsonObject bo = b.getAsJsonObject();
                        if (!bo.has("text") || bo.get("text").getAsString().isEmpty()) {
                            return error(400, "Bad Request: text buttons are unallowed in the inline keyboard");
                        }
                        if (bo.has("callback_data")) {
                            int n = bo.get("callback_data").getAsString().getBytes(StandardCharsets.UTF_8).length;
                            if (n == 0 || n > 64) {
                                return error(400, "Bad Request: BUTTON_DATA_INVALID");
                            }
                        } else if (!bo.has("url") && !bo.has("pay") && !bo.has("web_app")) {
                            return error(400, "Bad Request: can't parse inline keyboard button: Text buttons are "
                                    + "unallowed in the inline keyboard");
                        }
                    }
                }
            }
            return null;
        } catch (RuntimeException e) {
            return error(400, "Bad Request: can't parse reply keyboard markup JSON object");
        }
    }

    private static boolean sameMarkup(String a, String b) {
        JsonElement ea = a == null ? null : safeParse(a);
        JsonElement eb = b == null ? null : safeParse(b);
        boolean emptyA = ea == null || isEmptyKeyboard(ea);
        boolean emptyB = eb == null || isEmptyKeyboard(eb);
        if (emptyA || emptyB) {
            return emptyA && emptyB;
        }
        return ea.equals(eb);
    }

    private static boolean isEmptyKeyboard(JsonElement e) {
        return e.isJsonObject() && e.getAsJsonObject().has("inline_keyboard")
                && e.getAsJsonObject().getAsJsonArray("inline_keyboard").isEmpty();
    }

    private static JsonElement safeParse(String s) {
        try {
            return JsonParser.parseString(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static List<List<FakeButton>> parseButtons(String markup) {
        if (markup == null || markup.isEmpty()) {
            return List.of();
        }
        JsonElement e = safeParse(markup);
        if (e == null || !e.isJsonObject() || !e.getAsJsonObject().has("inline_keyboard")) {
            return List.of();
        }
        List<List<FakeButton>> rows = new ArrayList<>();
        for (JsonElement row : e.getAsJsonObject().getAsJsonArray("inline_keyboard")) {
            List<FakeButton> r = new ArrayList<>();
            for (JsonElement b : row.getAsJsonArray()) {
                JsonObject bo = b.getAsJsonObject();
                r.add(new FakeButton(bo.has("text") ? bo.get("text").getAsString() : "",
                        bo.has("callback_data") ? Optional.of(bo.get("callback_data").getAsString()) : Optional.empty(),
                        bo.has("url") ? Optional.of(bo.get("url").getAsString()) : Optional.empty()));
            }
            rows.add(List.copyOf(r));
        }
        return List.copyOf(rows);
    }

    private void store(long chatId, StoredMessage m) {
        synchronized (lock) {
            messages.computeIfAbsent(chatId, k -> new LinkedHashMap<>()).put(m.id(), m);
        }
    }

    private String newFileId() {
        return "file-" + fileIds.incrementAndGet();
    }

    private static String extension(String field) {
        switch (field) {
            case "photo":
                return ".jpg";
            case "video":
                return ".mp4";
            case "audio":
                return ".mp3";
            default:
                return ".bin";
        }
    }

    private JsonObject botUserJson() {
        JsonObject u = new JsonObject();
        u.addProperty("id", botId);
        u.addProperty("is_bot", true);
        u.addProperty("first_name", "Kie Test Bot");
        u.addProperty("username", botUsername);
        u.addProperty("can_join_groups", true);
        u.addProperty("can_read_all_group_messages", false);
        u.addProperty("supports_inline_queries", false);
        return u;
    }

    private JsonObject messageJson(long chatId, int messageId) {
        JsonObject m = new JsonObject();
        m.addProperty("message_id", messageId);
        m.add("from", botUserJson());
        JsonObject chat = new JsonObject();
        chat.addProperty("id", chatId);
        if (chatId > 0) {
            chat.addProperty("first_name", "User" + chatId);
            chat.addProperty("type", "private");
        } else {
            chat.addProperty("title", "Test group");
            chat.addProperty("type", chatId < -1_000_000_000_000L ? "supergroup" : "group");
        }
        m.add("chat", chat);
        m.addProperty("date", Instant.now().getEpochSecond());
        return m;
    }

    private static void addMarkup(JsonObject m, String markup) {
        if (markup != null) {
            JsonElement e = safeParse(markup);
            if (e != null && e.isJsonObject() && !isEmptyKeyboard(e)) {
                m.add("reply_markup", e);
            }
        }
    }

    private static JsonObject fileJson(String fileId, long size, int w, int h) {
        JsonObject f = new JsonObject();
        f.addProperty("file_id", fileId);
        f.addProperty("file_unique_id", "u" + Integer.toHexString(fileId.hashCode()));
        f.addProperty("file_size", size);
        if (w > 0) {
            f.addProperty("width", w);
            f.addProperty("height", h);
        }
        return f;
    }

    static long parseLong(String s, long dflt) {
        if (s == null) {
            return dflt;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static void awaitRelease(Failure failure) {
        try {
            failure.release.await(failure.delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return out;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    /** A minimal RFC 7578 parser: text parts become params, parts with a filename become uploads. */
    static void parseMultipart(String contentType, byte[] body, Map<String, String> params, Map<String, Upload> uploads) {
        String boundary = null;
        for (String p : contentType.split(";")) {
            String t = p.trim();
            if (t.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                boundary = t.substring(9);
                if (boundary.startsWith("\"") && boundary.endsWith("\"") && boundary.length() >= 2) {
                    boundary = boundary.substring(1, boundary.length() - 1);
                }
            }
        }
        if (boundary == null) {
            return;
        }
        byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int pos = indexOf(body, delim, 0);
        while (pos >= 0) {
            int start = pos + delim.length;
            if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
                break; // closing delimiter
            }
            start += 2; // CRLF after the delimiter
            int headerEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
            if (headerEnd < 0) {
                break;
            }
            String headers = new String(body, start, headerEnd - start, StandardCharsets.UTF_8);
            int next = indexOf(body, delim, headerEnd + 4);
            if (next < 0) {
                break;
            }
            int contentEnd = next - 2; // CRLF before the next delimiter
            byte[] content = java.util.Arrays.copyOfRange(body, headerEnd + 4, Math.max(headerEnd + 4, contentEnd));
            String name = null;
            String fileName = null;
            String partType = "";
            for (String line : headers.split("\r\n")) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-disposition:")) {
                    name = headerParam(line, "name");
                    fileName = headerParam(line, "filename");
                } else if (lower.startsWith("content-type:")) {
                    partType = line.substring(line.indexOf(':') + 1).trim();
                }
            }
            if (name != null) {
                if (fileName != null) {
                    uploads.put(name, new Upload(name, fileName, partType, content));
                } else {
                    params.put(name, new String(content, StandardCharsets.UTF_8));
                }
            }
            pos = next;
        }
    }

    private static String headerParam(String line, String key) {
        for (String part : line.split(";")) {
            String t = part.trim();
            if (t.toLowerCase(Locale.ROOT).startsWith(key + "=")) {
                String v = t.substring(key.length() + 1);
                if (v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2) {
                    v = v.substring(1, v.length() - 1);
                }
                return v;
            }
        }
        return null;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void respond(BareHttpServer.Exchange ex, int status, String contentType, String body) throws IOException {
        respondBytes(ex, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void respondBytes(BareHttpServer.Exchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.respond(status, contentType, body);
    }
}
