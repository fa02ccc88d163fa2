package dev.kiebot.kie.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kiebot.kie.KieCallbacks;
import dev.kiebot.kie.StubMedia;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake Kie.ai (API host and upload host in one) on 127.0.0.1, speaking the documented JSON.
 * Reusable from other modules through the adapters-kie test-jar.
 *
 * <pre>{@code
 * try (FakeKieServer kie = FakeKieServer.start()) {
 *     KieConfig cfg = KieConfig.builder("test-key").baseUrl(kie.baseUrl()).uploadUrl(kie.uploadUrl()).build();
 *     kie.autoSucceedAfter(1);                       // every task succeeds on its 2nd status read
 *     kie.enqueue(Endpoint.CREATE_TASK, Reply.status(429, "{\"code\":429,\"msg\":\"Rate limit\"}"));
 *     ...
 *     kie.succeed(taskId, "https://example.test/a.png");  // or kie.fail(taskId, "422", "prohibited")
 *     assertThat(kie.count(Endpoint.CREATE_TASK)).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>Behaviour without scripted replies: createTask / veo generate / suno generate create a task
 * ({@code fake-task-<n>}, state queued) and answer its id; the record-info endpoints render the
 * task's state in its family's shape (unknown ids → body code 404; a running Suno task has its first take done and
 * the second still streaming, and one whose {@code callBackUrl} is this server, Kie's own host where no callback
 * lands, reads {@code CALLBACK_EXCEPTION} in place of its stage); upload stores the file and
 * answers a {@code downloadUrl} served by this server under {@code /files/}; credit answers
 * {@link #setCredits}. Every request is recorded (method, path, query, headers, body). Requests for the
 * models whose inputs Kie documents in detail (Kling 3.0, ElevenLabs text-to-speech, Suno generate) are checked
 * against that documentation ({@code DocumentedInputs}) and refused with body code 422 as Kie would.
 */
public final class FakeKieServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The endpoints the fake knows. */
    public enum Endpoint {
        CREATE_TASK("POST", "/api/v1/jobs/createTask"),
        RECORD_INFO("GET", "/api/v1/jobs/recordInfo"),
        VEO_GENERATE("POST", "/api/v1/veo/generate"),
        VEO_RECORD_INFO("GET", "/api/v1/veo/record-info"),
        /** Veo's 1080p file of a task done ({@code ?taskId=&index=}), ready some asks after the task's success. */
        VEO_1080P("GET", "/api/v1/veo/get-1080p-video"),
        SUNO_GENERATE("POST", "/api/v1/generate"),
        SUNO_RECORD_INFO("GET", "/api/v1/generate/record-info"),
        UPLOAD("POST", "/api/file-stream-upload"),
        CREDIT("GET", "/api/v1/chat/credit"),
        /** GET of stored uploads ({@code /files/...}) and results ({@code /results/...}). */
        FILES("GET", "/files/"),
        OTHER("", "");

        public final String method;
        public final String path;

        Endpoint(String method, String path) {
            this.method = method;
            this.path = path;
        }

        static Endpoint of(String method, String path) {
            for (Endpoint e : values()) {
                if (e == OTHER || e == FILES) {
                    continue;
                }
                if (e.path.equals(path)) {
                    return e;
                }
            }
            if (path.startsWith("/files/") || path.startsWith("/results/")) {
                return FILES;
            }
            return OTHER;
        }
    }

    /** Which API a task belongs to (decides the record-info shape). */
    public enum Family { JOBS, VEO, SUNO }

    /** A task's state as the fake keeps it. */
    public enum State { QUEUED, RUNNING, SUCCESS, FAIL }

    /** A scripted answer: HTTP status, body, content type and a delay before answering. */
    public record Reply(int status, String body, String contentType, Duration delay) {
        public static Reply json(int status, String body) {
            return new Reply(status, body, "application/json", Duration.ZERO);
        }

        /** HTTP 200 with this JSON body. */
        public static Reply ok(String body) {
            return json(200, body);
        }

        /** An error in Kie's envelope with the same HTTP status: {@code {"code":c,"msg":m}}. */
        public static Reply error(int status, String msg) {
            ObjectNode n = JSON.createObjectNode().put("code", status).put("msg", msg);
            n.putNull("data");
            return json(status, n.toString());
        }

        /** HTTP 200 but an error {@code code} in the body (Kie's "HTTP 200 even when the request fails"). */
        public static Reply bodyError(int code, String msg) {
            ObjectNode n = JSON.createObjectNode().put("code", code).put("msg", msg);
            n.putNull("data");
            return json(200, n.toString());
        }

        public static Reply raw(int status, String contentType, String body) {
            return new Reply(status, body, contentType, Duration.ZERO);
        }

        public Reply after(Duration d) {
            return new Reply(status, body, contentType, d);
        }
    }

    /** One request as received. */
    public record Recorded(String method, String path, String query, Map<String, List<String>> headers, byte[] body,
                           Endpoint endpoint) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(new String(body, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public Optional<String> header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return Optional.of(e.getValue().get(0));
                }
            }
            return Optional.empty();
        }

        public Optional<String> queryParam(String name) {
            if (query == null) {
                return Optional.empty();
            }
            for (String kv : query.split("&")) {
                int eq = kv.indexOf('=');
                String k = eq < 0 ? kv : kv.substring(0, eq);
                if (URLDecoder.decode(k, StandardCharsets.UTF_8).equals(name)) {
                    return Optional.of(eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return Optional.empty();
        }

        /** Request line, headers and body as one string (for "never contains X" assertions). */
        public String everything() {
            StringBuilder sb = new StringBuilder(method).append(' ').append(path);
            if (query != null) {
                sb.append('?').append(query);
            }
            sb.append('\n');
            headers.forEach((k, v) -> sb.append(k).append(": ").append(String.join(",", v)).append('\n'));
            return sb.append('\n').append(new String(body, StandardCharsets.ISO_8859_1)).toString();
        }
    }

    /** A stored upload. */
    public record Upload(String uploadPath, String fileName, String contentType, byte[] bytes, String downloadUrl) {
    }

    /** A task the fake created. */
    public static final class Task {
        public final String id;
        public final Family family;
        public final JsonNode request;
        private volatile State state = State.QUEUED;
        private volatile List<String> urls = List.of();
        private volatile String failCode = "";
        private volatile String failMsg = "";
        private final AtomicInteger reads = new AtomicInteger();
        private final AtomicInteger fullHdAsks = new AtomicInteger();

        Task(String id, Family family, JsonNode request) {
            this.id = id;
            this.family = family;
            this.request = request;
        }

        public State state() {
            return state;
        }

        public List<String> urls() {
            return urls;
        }

        public int statusReads() {
            return reads.get();
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final String baseUrl;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final Map<Endpoint, Deque<Reply>> scripts = new EnumMap<>(Endpoint.class);
    private final Map<String, Task> tasks = new ConcurrentHashMap<>();
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final AtomicInteger taskCounter = new AtomicInteger();
    private final AtomicInteger uploadCounter = new AtomicInteger();
    /**
     * A funded account: above KIE_LOW_CREDITS' default (2000), so a runner's upkeep, looking at a random instant of
     * its first beat, never adds a low-credits alert to the admin texts a test counts (CI of ea1a6763 was red on it).
     * A test of that alert sets its own figure.
     */
    private volatile BigDecimal credits = new BigDecimal("100000");
    private volatile String requiredKey;
    private volatile int autoSucceedAfter = -1;
    private volatile Optional<CountDownLatch> createAnswersHeld = Optional.empty();
    private volatile boolean createAnswersWithoutTaskId;
    private volatile int fullHdReadyAfter;

    private FakeKieServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-kie");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Starts on 127.0.0.1 on a free port. */
    public static FakeKieServer start() {
        try {
            return new FakeKieServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>}: use as KIE_BASE_URL. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The same server also plays the upload host: use as KIE_UPLOAD_URL. */
    public String uploadUrl() {
        return baseUrl;
    }

    /** Answer 401 unless {@code Authorization: Bearer <key>}. */
    public FakeKieServer requireApiKey(String key) {
        this.requiredKey = key;
        return this;
    }

    /** Next answers of an endpoint, used in order before the default behaviour resumes. */
    public FakeKieServer enqueue(Endpoint endpoint, Reply... replies) {
        synchronized (scripts) {
            scripts.computeIfAbsent(endpoint, e -> new ArrayDeque<>()).addAll(Arrays.asList(replies));
        }
        return this;
    }

    /** New tasks succeed (with a PNG/MP4/WAV URL served here) on the status read after {@code reads} reads. */
    public FakeKieServer autoSucceedAfter(int reads) {
        this.autoSucceedAfter = reads;
        return this;
    }

    /**
     * From now on a createTask makes its task at once, as Kie does, and answers only when the returned latch is
     * counted down (or after a minute): the bot that sent it is as one cut off before Kie's answer reached it.
     */
    public CountDownLatch holdCreateAnswers() {
        CountDownLatch release = new CountDownLatch(1);
        createAnswersHeld = Optional.of(release);
        return release;
    }

    /**
     * From now on a createTask makes its task as Kie does and answers success with no task id in it
     * ({@code {"code":200,"msg":"success","data":{}}}): Kie took the order, the bot cannot tell which task it is.
     */
    public FakeKieServer answerCreatesWithoutTaskId() {
        createAnswersWithoutTaskId = true;
        return this;
    }

    /**
     * Kie's callback for the task, as Kie sends it: a POST of the record-info {@code data} (with {@code param}, the
     * create request as sent) in the callback envelope, to the {@code callBackUrl} of the task's create request (its
     * path and query, at {@code listening}: the bot's public address leads there), signed with {@code hmacKey} when
     * one is given. Market tasks only.
     *
     * @return the HTTP status the callback was answered with
     */
    public int callBack(String taskId, Optional<String> hmacKey, String listening) {
        Task t = task(taskId);
        String callBackUrl = t.request.path("callBackUrl").asText("");
        if (t.family != Family.JOBS || callBackUrl.isBlank()) {
            throw new IllegalArgumentException("task " + taskId + " is no market task with a callBackUrl");
        }
        URI sent = URI.create(callBackUrl);
        String url = listening + sent.getRawPath() + (sent.getRawQuery() == null ? "" : "?" + sent.getRawQuery());
        boolean failed = t.state == State.FAIL;
        ObjectNode root = JSON.createObjectNode().put("code", failed ? 501 : 200)
                .put("msg", failed ? "Playground task failed." : "Playground task completed successfully.");
        root.set("data", jobsData(t));
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(root.toString()));
        hmacKey.ifPresent(key -> {
            String ts = Long.toString(java.time.Instant.now().getEpochSecond());
            post.header(KieCallbacks.TIMESTAMP_HEADER, ts)
                    .header(KieCallbacks.SIGNATURE_HEADER, KieCallbacks.sign(key, taskId + "." + ts));
        });
        try {
            return HttpClient.newHttpClient().send(post.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling back", e);
        }
    }

    /**
     * A Veo task's 1080p file is ready only at the get-1080p-video ask after {@code asks} asks of it, made once the
     * task succeeded ({@link Integer#MAX_VALUE}: never); before, the ask is answered as Kie documents a file not ready,
     * a non-200 code. 0 by default: ready at the first ask.
     */
    public FakeKieServer fullHdReadyAfter(int asks) {
        this.fullHdReadyAfter = asks;
        return this;
    }

    public FakeKieServer setCredits(BigDecimal c) {
        this.credits = c;
        return this;
    }

    /** Registers a task that this server did not create (e.g. to test status of a known id). */
    public Task addTask(String taskId, Family family) {
        Task t = new Task(taskId, family, JSON.createObjectNode());
        tasks.put(taskId, t);
        return t;
    }

    public void queued(String taskId) {
        task(taskId).state = State.QUEUED;
    }

    public void running(String taskId) {
        task(taskId).state = State.RUNNING;
    }

    /** The task succeeds with these URLs (a default URL served by this server when none given). */
    public void succeed(String taskId, String... urls) {
        Task t = task(taskId);
        t.urls = urls.length == 0 ? List.of(defaultResultUrl(t)) : List.of(urls);
        t.state = State.SUCCESS;
    }

    /** The task reports success without a result URL ({@code resultJson} {@code {"resultUrls":[]}}). */
    public void succeedWithoutResult(String taskId) {
        Task t = task(taskId);
        t.urls = List.of();
        t.state = State.SUCCESS;
    }

    /** Kie no longer knows the task: its status reads answer body code 404 "Task not found". */
    public void lose(String taskId) {
        tasks.remove(task(taskId).id);
    }

    /** The task fails with Kie's {@code failCode} (e.g. "422", "500") and message. */
    public void fail(String taskId, String code, String msg) {
        Task t = task(taskId);
        t.failCode = code;
        t.failMsg = msg;
        t.state = State.FAIL;
    }

    public Task task(String taskId) {
        Task t = tasks.get(taskId);
        if (t == null) {
            throw new IllegalArgumentException("no task " + taskId);
        }
        return t;
    }

    /** Task ids in creation order. */
    public List<String> taskIds() {
        List<Task> l = new ArrayList<>(tasks.values());
        l.sort((a, b) -> Integer.compare(number(a.id), number(b.id)));
        return l.stream().map(t -> t.id).toList();
    }

    private static int number(String id) {
        String digits = id.replaceAll("\\D", "");
        return digits.isEmpty() ? 0 : Integer.parseInt(digits.length() > 9 ? digits.substring(0, 9) : digits);
    }

    public List<Upload> uploads() {
        return List.copyOf(uploads.values());
    }

    /** Serves bytes at a path of this server (GET), e.g. a result file. */
    public void serve(String path, byte[] bytes) {
        files.put(path, bytes.clone());
    }

    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    public List<Recorded> requests(Endpoint e) {
        return requests.stream().filter(r -> r.endpoint() == e).toList();
    }

    public int count(Endpoint e) {
        return requests(e).size();
    }

    public void clearRequests() {
        requests.clear();
    }

    @Override
    public void close() {
        executor.shutdownNow(); // interrupts delayed handlers
        server.stop(0);
    }

    // ---- handling ----

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = ex.getRequestURI().getPath();
            String query = ex.getRequestURI().getRawQuery();
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
            Endpoint endpoint = Endpoint.of(method, path);
            Recorded rec = new Recorded(method, path, query, headers, body, endpoint);
            requests.add(rec);

            Reply scripted;
            synchronized (scripts) {
                Deque<Reply> q = scripts.get(endpoint);
                scripted = q == null ? null : q.poll();
            }
            if (scripted == null && endpoint == Endpoint.FILES) {
                byte[] file = files.get(path);
                if (file == null) {
                    sendBytes(ex, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
                } else {
                    sendBytes(ex, 200, contentTypeOf(path), file);
                }
                return;
            }
            Reply reply = scripted != null ? scripted : defaultReply(rec);
            if (!reply.delay().isZero()) {
                try {
                    Thread.sleep(reply.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            send(ex, reply);
        } catch (IOException e) {
            // client went away (e.g. it timed out): nothing to answer
        }
    }

    private static void send(HttpExchange ex, Reply reply) throws IOException {
        byte[] bytes = reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
        sendBytes(ex, reply.status(), reply.contentType(), bytes);
    }

    private static void sendBytes(HttpExchange ex, int status, String contentType, byte[] bytes) throws IOException {
        Headers h = ex.getResponseHeaders();
        if (contentType != null) {
            h.set("Content-Type", contentType);
        }
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static String contentTypeOf(String path) {
        if (path.endsWith(".png")) {
            return "image/png";
        }
        if (path.endsWith(".mp4")) {
            return "video/mp4";
        }
        if (path.endsWith(".wav")) {
            return "audio/wav";
        }
        if (path.endsWith(".jpg") || path.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        return "application/octet-stream";
    }

    private Reply defaultReply(Recorded r) {
        if (requiredKey != null && !("Bearer " + requiredKey).equals(r.header("Authorization").orElse(""))) {
            return Reply.error(401, "You do not have access permissions");
        }
        switch (r.endpoint()) {
            case CREATE_TASK:
                return create(r, Family.JOBS);
            case VEO_GENERATE:
                return create(r, Family.VEO);
            case SUNO_GENERATE:
                return create(r, Family.SUNO);
            case RECORD_INFO:
            case VEO_RECORD_INFO:
            case SUNO_RECORD_INFO:
                return recordInfo(r);
            case VEO_1080P:
                return fullHd(r);
            case UPLOAD:
                return upload(r);
            case CREDIT:
                return Reply.ok("{\"code\":200,\"msg\":\"success\",\"data\":" + credits.toPlainString() + "}");
            default:
                return Reply.error(404, "Not Found");
        }
    }

    private Reply create(Recorded r, Family family) {
        JsonNode body;
        try {
            body = r.json();
        } catch (UncheckedIOException e) {
            return Reply.error(400, "Invalid JSON");
        }
        if (body == null || !body.isObject() || !body.hasNonNull("model") || body.get("model").asText().isBlank()) {
            return Reply.bodyError(422, "model is required");
        }
        if (family == Family.JOBS && !body.path("input").isObject()) {
            return Reply.bodyError(422, "input is required");
        }
        if (family != Family.JOBS && !body.hasNonNull("prompt")) {
            return Reply.bodyError(422, "prompt is required");
        }
        if (family == Family.SUNO && (!body.hasNonNull("callBackUrl") || body.get("callBackUrl").asText().isBlank())) {
            return Reply.bodyError(422, "Please enter callBackUrl.");
        }
        Optional<String> refused = DocumentedInputs.problem(family, body);
        if (refused.isPresent()) {
            return Reply.bodyError(422, refused.get());
        }
        String id = "fake-task-" + taskCounter.incrementAndGet();
        tasks.put(id, new Task(id, family, body));
        Optional<CountDownLatch> held = createAnswersHeld;
        if (held.isPresent()) {
            try {
                held.get().await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (createAnswersWithoutTaskId) {
            return Reply.ok("{\"code\":200,\"msg\":\"success\",\"data\":{}}");
        }
        return Reply.ok("{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"" + id + "\"}}");
    }

    private Reply recordInfo(Recorded r) {
        Optional<String> id = r.queryParam("taskId");
        if (id.isEmpty() || id.get().isBlank()) {
            return Reply.bodyError(400, "taskId parameter is required");
        }
        Task t = tasks.get(id.get());
        if (t == null) {
            return Reply.bodyError(404, "Task not found");
        }
        int n = t.reads.incrementAndGet();
        if (autoSucceedAfter >= 0 && n > autoSucceedAfter && (t.state == State.QUEUED || t.state == State.RUNNING)) {
            succeed(t.id);
        } else if (t.state == State.QUEUED && n > 1) {
            t.state = State.RUNNING;
        }
        ObjectNode root = JSON.createObjectNode().put("code", 200).put("msg", "success");
        switch (t.family) {
            case VEO:
                root.set("data", veoData(t));
                break;
            case SUNO:
                root.set("data", sunoData(t));
                break;
            case JOBS:
            default:
                root.set("data", jobsData(t));
                break;
        }
        return Reply.ok(root.toString());
    }

    /**
     * Veo's get-1080p-video, as Kie's page documents it: {@code {"code":200,"msg":"success","data":{"resultUrl":…}}}
     * once the file is ready; before (and for a task not done), "may return a non-200 status code": body code 422
     * here, Kie's word for it not given. An unknown task is body code 404, as its record-info.
     */
    private Reply fullHd(Recorded r) {
        Optional<String> id = r.queryParam("taskId");
        if (id.isEmpty() || id.get().isBlank() || r.queryParam("index").isEmpty()) {
            return Reply.bodyError(400, "taskId and index are required");
        }
        Task t = tasks.get(id.get());
        if (t == null || t.family != Family.VEO) {
            return Reply.bodyError(404, "Task not found");
        }
        if (t.state != State.SUCCESS || t.fullHdAsks.getAndIncrement() < fullHdReadyAfter) {
            return Reply.bodyError(422, "1080P video is being processed, please try again later");
        }
        String path = "/results/" + t.id + "-1080p.mp4";
        files.putIfAbsent(path, StubMedia.mp4());
        ObjectNode root = JSON.createObjectNode().put("code", 200).put("msg", "success");
        root.putObject("data").put("resultUrl", baseUrl + path);
        return Reply.ok(root.toString());
    }

    private ObjectNode jobsData(Task t) {
        ObjectNode d = JSON.createObjectNode();
        d.put("taskId", t.id).put("model", t.request.path("model").asText(""));
        d.put("state", t.state == State.QUEUED ? "waiting" : t.state == State.RUNNING ? "generating"
                : t.state == State.SUCCESS ? "success" : "fail");
        d.put("param", t.request.toString());
        if (t.state == State.SUCCESS) {
            ObjectNode result = JSON.createObjectNode();
            ArrayNode urls = result.putArray("resultUrls");
            t.urls.forEach(urls::add);
            d.put("resultJson", result.toString());
        } else {
            d.put("resultJson", "");
        }
        d.put("failCode", t.state == State.FAIL ? t.failCode : "");
        d.put("failMsg", t.state == State.FAIL ? t.failMsg : "");
        d.put("costTime", t.state == State.SUCCESS ? 15000 : 0);
        d.put("createTime", 1698765400000L).put("updateTime", 1698765432000L);
        if (t.state == State.SUCCESS || t.state == State.FAIL) {
            d.put("completeTime", 1698765432000L);
        }
        return d;
    }

    private ObjectNode veoData(Task t) {
        ObjectNode d = JSON.createObjectNode();
        d.put("taskId", t.id).put("paramJson", t.request.toString());
        d.put("successFlag", t.state == State.SUCCESS ? 1 : t.state == State.FAIL ? 3 : 0);
        if (t.state == State.SUCCESS) {
            ObjectNode resp = d.putObject("response");
            resp.put("taskId", t.id);
            ArrayNode urls = resp.putArray("resultUrls");
            t.urls.forEach(urls::add);
            resp.putNull("originUrls");
            resp.put("resolution", "720p");
        } else {
            d.putNull("response");
        }
        if (t.state == State.FAIL) {
            int c = t.failCode.matches("\\d+") ? Integer.parseInt(t.failCode) : 501;
            d.put("errorCode", c).put("errorMessage", t.failMsg);
        } else {
            d.putNull("errorCode");
            d.put("errorMessage", "");
        }
        d.put("createTime", "2025-06-01 12:00:00").put("fallbackFlag", false);
        return d;
    }

    private ObjectNode sunoData(Task t) {
        ObjectNode d = JSON.createObjectNode();
        d.put("taskId", t.id).put("parentMusicId", "").put("param", t.request.toString()).put("type", "GENERATE");
        ObjectNode resp = d.putObject("response");
        resp.put("taskId", t.id);
        ArrayNode tracks = resp.putArray("sunoData");
        String status;
        switch (t.state) {
            case QUEUED:
                status = "PENDING";
                break;
            case RUNNING:
                // the first take done, the second still streaming: its file not there yet
                status = "FIRST_SUCCESS";
                sunoTrack(tracks, t, 1, baseUrl + "/results/" + t.id + "-first.mp3");
                sunoTrack(tracks, t, 2, "");
                break;
            case SUCCESS:
                status = "SUCCESS";
                int i = 0;
                for (String u : t.urls) {
                    sunoTrack(tracks, t, ++i, u);
                }
                break;
            case FAIL:
            default:
                status = "SENSITIVE".equalsIgnoreCase(t.failCode) ? "SENSITIVE_WORD_ERROR" : "GENERATE_AUDIO_FAILED";
                break;
        }
        if ((t.state == State.RUNNING || t.state == State.SUCCESS) && callbackUndeliverable(t)) {
            // Kie could not deliver the stage's callback: the status says so in place of the stage
            status = "CALLBACK_EXCEPTION";
        }
        d.put("status", status);
        if (t.state == State.FAIL) {
            if (t.failCode.matches("\\d+")) {
                d.put("errorCode", Integer.parseInt(t.failCode));
            } else {
                d.putNull("errorCode");
            }
            d.put("errorMessage", t.failMsg);
        } else {
            d.putNull("errorCode");
            d.putNull("errorMessage");
        }
        return d;
    }

    /** A take of {@code sunoData}: {@code audioUrl} empty while it is still being made, its stream already there. */
    private void sunoTrack(ArrayNode tracks, Task t, int n, String audioUrl) {
        String stream = audioUrl.isEmpty() ? baseUrl + "/stream/" + t.id + "-" + n : audioUrl + "?stream=1";
        tracks.addObject().put("id", t.id + "-" + n).put("audioUrl", audioUrl).put("streamAudioUrl", stream)
                .put("imageUrl", baseUrl + "/results/" + t.id + ".png")
                .put("prompt", t.request.path("prompt").asText("")).put("modelName", "chirp-v4")
                .put("title", "Fake track " + n).put("tags", "fake").put("duration", 2.0);
    }

    /**
     * A Suno task's callback that cannot be delivered: the shop's placeholder, Kie's own API host (this server), takes
     * no callback. Kie's status then reads {@code CALLBACK_EXCEPTION} at whichever stage the callback failed, the
     * takes in {@code sunoData} as they are.
     */
    private boolean callbackUndeliverable(Task t) {
        String url = t.request.path("callBackUrl").asText("");
        return t.family == Family.SUNO && (url.equals(baseUrl) || url.startsWith(baseUrl + "/"));
    }

    private String defaultResultUrl(Task t) {
        String ext;
        byte[] bytes;
        String model = t.request.path("model").asText("");
        if (t.family == Family.SUNO) {
            ext = "wav";
            bytes = StubMedia.wav(1.0, new double[] {440.0});
        } else if (t.family == Family.VEO || model.contains("video")) {
            ext = "mp4";
            bytes = StubMedia.mp4();
        } else {
            ext = "png";
            bytes = StubMedia.png("fake " + t.id);
        }
        String path = "/results/" + t.id + "." + ext;
        files.put(path, bytes);
        return baseUrl + path;
    }

    private Reply upload(Recorded r) {
        String ct = r.header("Content-Type").orElse("");
        int b = ct.indexOf("boundary=");
        if (!ct.toLowerCase(Locale.ROOT).startsWith("multipart/form-data") || b < 0) {
            return Reply.json(400, "{\"success\":false,\"code\":400,\"msg\":\"multipart/form-data expected\"}");
        }
        String boundary = ct.substring(b + "boundary=".length()).replace("\"", "").trim();
        Map<String, Part> parts = multipart(r.body(), boundary);
        Part file = parts.get("file");
        Part uploadPath = parts.get("uploadPath");
        if (file == null) {
            return Reply.json(400, "{\"success\":false,\"code\":400,\"msg\":\"Missing required parameter: file\"}");
        }
        if (uploadPath == null || uploadPath.text().isBlank()) {
            return Reply.json(400, "{\"success\":false,\"code\":400,\"msg\":\"Missing required parameter: uploadPath\"}");
        }
        Part fileNamePart = parts.get("fileName");
        String name = fileNamePart != null && !fileNamePart.text().isBlank() ? fileNamePart.text()
                : "upload-" + uploadCounter.incrementAndGet() + ".bin";
        String path = "/files/" + uploadPath.text() + "/" + name;
        String url = baseUrl + path;
        files.put(path, file.bytes());
        uploads.put(url, new Upload(uploadPath.text(), name, file.contentType(), file.bytes(), url));
        ObjectNode root = JSON.createObjectNode().put("success", true).put("code", 200)
                .put("msg", "File uploaded successfully");
        root.putObject("data").put("fileName", name).put("filePath", uploadPath.text() + "/" + name)
                .put("downloadUrl", url).put("fileSize", file.bytes().length)
                .put("mimeType", file.contentType() == null ? "application/octet-stream" : file.contentType())
                .put("uploadedAt", "2025-01-01T12:00:00.000Z");
        return Reply.ok(root.toString());
    }

    private static final java.util.regex.Pattern PART_NAME =
            java.util.regex.Pattern.compile("(?:^|;)\\s*name=\"([^\"]*)\"");

    private record Part(String contentType, byte[] bytes) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** A minimal multipart/form-data parser (enough for the client's own requests). */
    private static Map<String, Part> multipart(byte[] body, String boundary) {
        Map<String, Part> parts = new LinkedHashMap<>();
        byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int pos = indexOf(body, delim, 0);
        while (pos >= 0) {
            int start = pos + delim.length;
            if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
                break;
            }
            start += 2; // CRLF
            int headerEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
            if (headerEnd < 0) {
                break;
            }
            String head = new String(body, start, headerEnd - start, StandardCharsets.UTF_8);
            int next = indexOf(body, delim, headerEnd + 4);
            if (next < 0) {
                break;
            }
            byte[] content = Arrays.copyOfRange(body, headerEnd + 4, next - 2);
            String name = null;
            String type = null;
            for (String line : head.split("\r\n")) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-disposition:")) {
                    java.util.regex.Matcher m = PART_NAME.matcher(line);
                    if (m.find()) {
                        name = m.group(1);
                    }
                } else if (lower.startsWith("content-type:")) {
                    type = line.substring("content-type:".length()).trim();
                }
            }
            if (name != null) {
                parts.put(name, new Part(type, content));
            }
            pos = next;
        }
        return parts;
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
