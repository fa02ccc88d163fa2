package dev.kiebot.kie;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.ProviderException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.SequenceInputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kie HTTP call, no retries: builds the request (Bearer auth), sends it with the JDK
 * {@link HttpClient}, checks both the HTTP status and the body {@code code} and turns every failure
 * into a {@link ProviderException} with the right {@link ErrorKind} and
 * {@code mayHaveReachedProvider}. Retries and rate limits live in {@link KieProvider}.
 */
public final class KieClient {
    private static final Logger log = LoggerFactory.getLogger(KieClient.class);
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KieConfig config;
    private final HttpClient http;

    public KieClient(KieConfig config) {
        this(config, HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build());
    }

    public KieClient(KieConfig config, HttpClient http) {
        this.config = config;
        this.http = http;
    }

    public KieConfig config() {
        return config;
    }

    /** POSTs JSON to the API host; returns the whole envelope after checking it. */
    public JsonNode postJson(String path, JsonNode body) throws ProviderException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new ProviderException(ErrorKind.INVALID_INPUT, "cannot encode request", false);
        }
        HttpRequest req = base(URI.create(config.baseUrl() + path), config.requestTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
        return send(req, "POST " + path);
    }

    /** GETs from the API host with one query parameter (URL-encoded); returns the checked envelope. */
    public JsonNode get(String path, String param, String value) throws ProviderException {
        return get(path, param == null ? java.util.Map.of() : java.util.Map.of(param, value));
    }

    /** GETs from the API host with these query parameters (URL-encoded, in the map's order); the checked envelope. */
    public JsonNode get(String path, java.util.Map<String, String> params) throws ProviderException {
        StringBuilder q = new StringBuilder();
        params.forEach((name, value) -> q.append(q.length() == 0 ? '?' : '&').append(name).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        String query = q.toString();
        HttpRequest req = base(URI.create(config.baseUrl() + path + query), config.requestTimeout()).GET().build();
        return send(req, "GET " + path);
    }

    /**
     * Stream-uploads a file ({@code POST {uploadUrl}/api/file-stream-upload}, multipart: {@code file},
     * {@code uploadPath}, {@code fileName}). The caller's file name is never sent: Kie gets a random
     * name with an extension derived from the MIME type, so nothing that came from Telegram leaves.
     *
     * @return {@code data.downloadUrl}, else {@code data.fileUrl}
     */
    public String upload(byte[] content, String originalName, String mimeType) throws ProviderException {
        String type = safeMime(mimeType);
        String name = "kb-" + HexFormat.of().formatHex(randomBytes(8)) + "." + extension(type, originalName);
        String boundary = "----kiebot" + HexFormat.of().formatHex(randomBytes(12));
        HttpRequest.BodyPublisher body = multipart(boundary, config.uploadPath(), name, type, content);
        HttpRequest req = base(URI.create(config.uploadUrl() + "/api/file-stream-upload"), config.uploadTimeout())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(body)
                .build();
        JsonNode root = send(req, "POST /api/file-stream-upload");
        JsonNode data = root.path("data");
        String url = text(data, "downloadUrl");
        if (url == null) {
            url = text(data, "fileUrl");
        }
        if (url == null || !(url.startsWith("https://") || url.startsWith("http://"))) {
            throw new ProviderException(ErrorKind.MALFORMED_RESPONSE, "upload answer has no downloadUrl/fileUrl", true);
        }
        log.debug("kie upload ok: {} bytes as {}", content.length, type);
        return url;
    }

    private HttpRequest.Builder base(URI uri, Duration timeout) {
        return HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Authorization", "Bearer " + config.apiKey())
                .header("Accept", "application/json")
                .header("User-Agent", "kiebot/0.1");
    }

    private JsonNode send(HttpRequest req, String op) throws ProviderException {
        HttpResponse<byte[]> resp;
        long started = System.nanoTime();
        try {
            resp = exchange(req);
        } catch (TimeoutException e) {
            log.warn("kie {}: answer not complete within {} ms", op, wholeAnswerLimit(req).toMillis());
            throw new ProviderException(ErrorKind.TIMEOUT, "no whole answer in time", true);
        } catch (HttpConnectTimeoutException e) {
            log.warn("kie {}: connect timeout", op);
            throw new ProviderException(ErrorKind.CONNECT, "connect timeout", false);
        } catch (HttpTimeoutException e) {
            log.warn("kie {}: no answer within {} ms", op, req.timeout().map(Duration::toMillis).orElse(-1L));
            throw new ProviderException(ErrorKind.TIMEOUT, "no answer in time", true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(ErrorKind.TIMEOUT, "interrupted while waiting for Kie", true);
        } catch (CappedAnswer.TooLarge e) {
            log.warn("kie {}: {}, not read", op, e.getMessage());
            throw new ProviderException(ErrorKind.MALFORMED_RESPONSE, e.getMessage(), true);
        } catch (IOException e) {
            boolean beforeSending = neverConnected(e);
            log.warn("kie {}: {} ({})", op, beforeSending ? "cannot connect" : "connection lost",
                    e.getClass().getSimpleName());
            throw new ProviderException(ErrorKind.CONNECT,
                    (beforeSending ? "cannot connect: " : "connection lost: ") + e.getClass().getSimpleName(),
                    !beforeSending);
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        log.debug("kie {} -> HTTP {} in {} ms", op, resp.statusCode(), ms);
        return interpret(resp.statusCode(), resp.body(), config.apiKey());
    }

    /**
     * One exchange, bounded as a whole: the client's request timeout ends once the answer's headers are in, and it
     * has no read timeout, so an answer whose body stalled held its caller for ever (a createTask past its job's send
     * window, a worker thread for good). The whole answer gets the connect timeout and the request timeout together.
     */
    private HttpResponse<byte[]> exchange(HttpRequest req) throws IOException, InterruptedException, TimeoutException {
        CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(req, CappedAnswer.handler(CappedAnswer.BYTES_MAX));
        try {
            return call.get(wholeAnswerLimit(req).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        } finally {
            call.cancel(true); // a call given up is aborted (its connection closed); nothing once it is done
        }
    }

    private Duration wholeAnswerLimit(HttpRequest req) {
        return config.connectTimeout().plus(req.timeout().orElse(config.requestTimeout()));
    }

    /** True if the failure happened before any byte of the request could reach Kie. */
    private static boolean neverConnected(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnresolvedAddressException
                    || t instanceof UnknownHostException || t instanceof SSLHandshakeException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks one answer: HTTP status first (body {@code code} preferred when it names an error; a 404 without Kie's
     * {@code code} 404 is MALFORMED_RESPONSE, not NOT_FOUND),
     * then JSON validity, then {@code success:false} (upload envelope), then a non-200 body
     * {@code code} under HTTP 200 (Kie's "HTTP 200 even when the request fails").
     */
    static JsonNode interpret(int status, byte[] body, String apiKey) throws ProviderException {
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        JsonNode root = parseObject(text);
        int bodyCode = root == null ? -1 : code(root);
        String msg = root == null ? null : message(root);
        if (status < 200 || status > 299) {
            int code = bodyCode > 0 && bodyCode != 200 ? bodyCode : status;
            String detail = msg != null ? msg : (text.isBlank() ? "HTTP " + status : "HTTP " + status + " " + shape(text));
            if (code == 404 && bodyCode != 404) {
                // a 404 without Kie's own code (a proxy's or gateway's page) is no "task not found" from Kie, which the
                // shop refunds 3 minutes after the submission: asked again as any answer that is not Kie's
                throw new ProviderException(ErrorKind.MALFORMED_RESPONSE, Redaction.detail(detail, apiKey),
                        !KieErrors.surelyNotProcessed(status));
            }
            throw error(code, detail, apiKey);
        }
        if (root == null) {
            throw new ProviderException(ErrorKind.MALFORMED_RESPONSE, shape(text), true);
        }
        JsonNode success = root.get("success");
        if (success != null && success.isBoolean() && !success.asBoolean()) {
            throw error(bodyCode > 0 && bodyCode != 200 ? bodyCode : 500, msg == null ? "success=false" : msg, apiKey);
        }
        if (bodyCode > 0 && bodyCode != 200) {
            throw error(bodyCode, msg == null ? "code " + bodyCode : msg, apiKey);
        }
        if (bodyCode < 0 && !root.has("data")) {
            throw new ProviderException(ErrorKind.MALFORMED_RESPONSE, "answer has neither code nor data", true);
        }
        return root;
    }

    static ProviderException error(int code, String message, String apiKey) {
        ErrorKind kind = KieErrors.kindFor(code, message, ErrorKind.MALFORMED_RESPONSE);
        String detail = Redaction.detail(message, apiKey);
        return new ProviderException(kind, detail + " (Kie " + code + ")", !KieErrors.surelyNotProcessed(code));
    }

    private static String shape(String text) {
        String t = text.stripLeading();
        if (t.isEmpty()) {
            return "empty body";
        }
        if (t.startsWith("<")) {
            return "HTML page instead of JSON";
        }
        return "invalid JSON";
    }

    private static JsonNode parseObject(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(text);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    static int code(JsonNode root) {
        JsonNode c = root.get("code");
        if (c == null || c.isNull()) {
            return -1;
        }
        if (c.isIntegralNumber()) {
            return c.asInt();
        }
        if (c.isTextual()) {
            return KieErrors.parseCode(c.asText());
        }
        return -1;
    }

    /** {@code msg}, else {@code message} (Kie's docs use both), else {@code error}. */
    static String message(JsonNode root) {
        for (String f : new String[] {"msg", "message", "error"}) {
            String s = text(root, f);
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    /** A non-blank textual (or numeric) value, else null. */
    static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        String s = v.asText();
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static String safeMime(String mimeType) {
        if (mimeType == null) {
            return "application/octet-stream";
        }
        String m = mimeType.trim().toLowerCase(Locale.ROOT);
        int semi = m.indexOf(';');
        if (semi >= 0) {
            m = m.substring(0, semi).trim();
        }
        return m.matches("[a-z0-9.+-]{1,40}/[a-z0-9.+-]{1,80}") ? m : "application/octet-stream";
    }

    private static final Map<String, String> EXTENSIONS = Map.ofEntries(
            Map.entry("image/jpeg", "jpg"), Map.entry("image/jpg", "jpg"), Map.entry("image/png", "png"),
            Map.entry("image/webp", "webp"), Map.entry("image/gif", "gif"), Map.entry("image/heic", "heic"),
            Map.entry("video/mp4", "mp4"), Map.entry("video/quicktime", "mov"), Map.entry("video/webm", "webm"),
            Map.entry("audio/mpeg", "mp3"), Map.entry("audio/mp3", "mp3"), Map.entry("audio/ogg", "ogg"),
            Map.entry("audio/wav", "wav"), Map.entry("audio/x-wav", "wav"), Map.entry("audio/mp4", "m4a"),
            Map.entry("audio/aac", "aac"), Map.entry("audio/flac", "flac"));

    static String extension(String mime, String originalName) {
        String e = EXTENSIONS.get(mime);
        if (e != null) {
            return e;
        }
        if (originalName != null) {
            int dot = originalName.lastIndexOf('.');
            if (dot >= 0) {
                String ext = originalName.substring(dot + 1).toLowerCase(Locale.ROOT);
                if (ext.matches("[a-z0-9]{1,5}")) {
                    return ext;
                }
            }
        }
        return "bin";
    }

    /**
     * The multipart body, streamed from the caller's bytes: built in one array it took three times the file on the
     * heap (the buffer, its copy, the client's own copy of that), 60 MB for a 20 MB photo on a 128 MiB heap.
     */
    private static HttpRequest.BodyPublisher multipart(String boundary, String uploadPath, String fileName, String mime,
                                                       byte[] content) {
        String crlf = "\r\n";
        StringBuilder head = new StringBuilder();
        head.append("--").append(boundary).append(crlf)
                .append("Content-Disposition: form-data; name=\"uploadPath\"").append(crlf).append(crlf)
                .append(uploadPath).append(crlf)
                .append("--").append(boundary).append(crlf)
                .append("Content-Disposition: form-data; name=\"fileName\"").append(crlf).append(crlf)
                .append(fileName).append(crlf)
                .append("--").append(boundary).append(crlf)
                .append("Content-Disposition: form-data; name=\"file\"; filename=\"").append(fileName).append('"')
                .append(crlf)
                .append("Content-Type: ").append(mime).append(crlf).append(crlf);
        byte[] before = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] after = (crlf + "--" + boundary + "--" + crlf).getBytes(StandardCharsets.UTF_8);
        long length = (long) before.length + content.length + after.length;
        // a declared length: Kie's upload host is not asked to take a chunked body
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                () -> new SequenceInputStream(Collections.enumeration(List.of(new ByteArrayInputStream(before),
                        new ByteArrayInputStream(content), new ByteArrayInputStream(after))))), length);
    }
}
