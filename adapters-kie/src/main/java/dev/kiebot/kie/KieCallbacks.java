package dev.kiebot.kie;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a Kie callback (Market, Veo or Suno) down to the one thing we use from it: the task id to
 * re-check with {@link KieProvider#status}. Its content is never trusted. When an HMAC key is
 * configured, {@code X-Webhook-Timestamp} (unix seconds) and {@code X-Webhook-Signature} =
 * base64(HMAC-SHA256(taskId + "." + timestamp, key)) must be present and valid, and the timestamp
 * within 5 minutes of now. Duplicates are harmless (the job store ignores a second completion).
 */
public final class KieCallbacks {
    private static final Logger log = LoggerFactory.getLogger(KieCallbacks.class);
    public static final String TIMESTAMP_HEADER = "X-Webhook-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Webhook-Signature";
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);
    /** Callbacks are a few KB; anything bigger is refused unread. */
    public static final int BODY_BYTES_MAX = 256 * 1024;

    static final String BAD_SIGNATURE = "bad signature";

    private final Optional<String> hmacKey;
    private final Clock clock;
    /** Callbacks rejected for their body: said at most once a minute, with a count (review R3). */
    private final dev.kiebot.core.jobs.RepeatedLine rejections;
    /**
     * Whether the last signed callback failed its signature: said once a spell, with what to check. Kie signs every
     * callback of an account with one key; when it is regenerated at kie.ai/settings every callback fails until
     * {@code KIE_WEBHOOK_HMAC_KEY} follows, and a WARN per callback, naming nothing to check, buried the cause.
     */
    private final AtomicBoolean signaturesFailing = new AtomicBoolean();

    public KieCallbacks(Optional<String> hmacKey, Clock clock) {
        this.hmacKey = Objects.requireNonNull(hmacKey).filter(k -> !k.isBlank());
        this.clock = Objects.requireNonNull(clock);
        this.rejections = new dev.kiebot.core.jobs.RepeatedLine(clock, dev.kiebot.core.jobs.RepeatedLine.MINUTE);
    }

    public static KieCallbacks create(KieConfig config, Clock clock) {
        return new KieCallbacks(config.hmacKey(), clock);
    }

    public boolean verifiesSignatures() {
        return hmacKey.isPresent();
    }

    /** The outcome: a task id to re-check, or the reason the callback was rejected. */
    public record Check(Optional<String> taskId, Optional<String> rejection) {
        static Check accept(String taskId) {
            return new Check(Optional.of(taskId), Optional.empty());
        }

        static Check reject(String reason) {
            return new Check(Optional.empty(), Optional.of(reason));
        }

        public boolean accepted() {
            return taskId.isPresent();
        }
    }

    /** Shortcut: the task id to re-check, empty when the callback is rejected. */
    public Optional<String> taskIdToRecheck(byte[] body, Map<String, String> headers) {
        return check(body, headers).taskId();
    }

    public Check check(byte[] body, Map<String, String> headers) {
        Check c = evaluate(body, headers);
        if (c.rejection().filter(BAD_SIGNATURE::equals).isPresent()) {
            if (signaturesFailing.compareAndSet(false, true)) {
                log.warn("Kie callback rejected: bad signature. Each callback is refused (401) until they pass again, "
                        + "its job finished by polling: if the key was regenerated at kie.ai/settings, set "
                        + "KIE_WEBHOOK_HMAC_KEY to the key shown there and restart (said once until a callback passes)");
            } else {
                log.debug("Kie callback rejected: bad signature, again");
            }
        } else {
            // at most once a minute with a count: a leaked callback token let anyone write a WARNING a request
            c.rejection().ifPresent(r -> rejections.came().ifPresent(n -> log.warn("Kie callback rejected: {} ({} "
                    + "rejected since this line was last said, at most once a minute)", r, n)));
        }
        if (c.accepted() && hmacKey.isPresent() && signaturesFailing.compareAndSet(true, false)) {
            log.info("Kie callbacks pass their signature (KIE_WEBHOOK_HMAC_KEY) again");
        }
        return c;
    }

    private Check evaluate(byte[] body, Map<String, String> headers) {
        if (body == null || body.length == 0) {
            return Check.reject("empty body");
        }
        if (body.length > BODY_BYTES_MAX) {
            return Check.reject("body too large");
        }
        JsonNode root;
        try {
            root = KieClient.JSON.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Check.reject("body is not JSON");
        }
        if (root == null || !root.isObject()) {
            return Check.reject("body is not a JSON object");
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            return Check.reject("no data object");
        }
        String taskId = KieClient.text(data, "taskId");
        if (taskId == null) {
            taskId = KieClient.text(data, "task_id");
        }
        if (taskId == null) {
            return Check.reject("no data.taskId or data.task_id");
        }
        if (taskId.length() > 128 || !taskId.matches("[A-Za-z0-9._:-]+")) {
            return Check.reject("malformed task id");
        }
        if (hmacKey.isPresent()) {
            Optional<String> reason = verifySignature(taskId, headers == null ? Map.of() : headers);
            if (reason.isPresent()) {
                return Check.reject(reason.get());
            }
        }
        return Check.accept(taskId);
    }

    private Optional<String> verifySignature(String taskId, Map<String, String> rawHeaders) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        rawHeaders.forEach((k, v) -> {
            if (k != null && v != null) {
                headers.put(k, v);
            }
        });
        String ts = headers.get(TIMESTAMP_HEADER);
        String sig = headers.get(SIGNATURE_HEADER);
        if (ts == null || ts.isBlank() || sig == null || sig.isBlank()) {
            return Optional.of("missing signature headers");
        }
        ts = ts.trim();
        if (!ts.matches("\\d{1,12}")) {
            return Optional.of("malformed timestamp");
        }
        long skew = Math.abs(clock.instant().getEpochSecond() - Long.parseLong(ts));
        if (skew > MAX_SKEW.toSeconds()) {
            return Optional.of("stale timestamp");
        }
        byte[] expected = sign(hmacKey.get(), taskId + "." + ts).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, sig.trim().getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(BAD_SIGNATURE);
        }
        return Optional.empty();
    }

    /** base64(HMAC-SHA256(message, key)); public so tests and fakes can sign callbacks. */
    public static String sign(String key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
