package dev.kiebot.kie;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the Kie.ai client. Build with {@link #builder(String)}; every URL is normalised
 * ({@code /api/v1} given by the operator is stripped from {@code baseUrl} so it is never doubled).
 * {@link #toString()} never shows the API key or the HMAC key.
 *
 * @param baseUrl              Kie API host, default {@code https://api.kie.ai} (no trailing slash, no {@code /api/v1})
 * @param uploadUrl            file-upload host, default {@code https://kieai.redpandaai.co} (no trailing slash, no {@code /api})
 * @param apiKey               Bearer key (secret)
 * @param connectTimeout       TCP/TLS connect timeout
 * @param requestTimeout       time to the response for JSON calls (a createTask that times out is a failure, never retried)
 * @param uploadTimeout        time to the response for file uploads
 * @param callbackUrl          where Kie should POST completion for a request that names no callback of its own, if
 *                             any: a fallback. Prefer {@code Shop.Builder.callbackUrl}: the shop's job worker then
 *                             puts its URL in each request with the job named in it ({@code ?job=gen_12&made=…}), so a
 *                             task whose id was never stored (a lost answer to createTask) still reaches its job; this
 *                             one's URLs name no job, and such a task is found by polling alone
 * @param hmacKey              Kie's account-level {@code webhookHmacKey}, if HMAC verification of callbacks is enabled
 * @param uploadPath           folder on Kie's upload host ({@code kiebot/uploads}; no leading/trailing slash)
 * @param sunoPlaceholderCallbackUrl sent to Suno as its "callBackUrl" field (mandatory there) when no callback is configured
 * @param statusReadsPerSecond process-wide cap of status reads per key (Kie allows 10/s; default 8, at most 9)
 * @param submitsPer10Seconds  process-wide cap of task creations per key (Kie allows 20 per 10 s; default 18, at most 18:
 *                             a permit is spent up to a cycle late, see {@link KieRateLimits})
 * @param readAttempts         attempts for status reads, credits and uploads (retryable errors only)
 * @param submitAttempts       attempts for task creation (only when the request surely did not reach Kie, and only for
 *                             a request without a permit of the key's limiter: the shop's send is one attempt)
 * @param retryInitialBackoff  first backoff; grows ×2 with ±50 % jitter
 * @param retryMaxBackoff      backoff cap
 * @param limiterWait          how long a call waits for a rate-limiter permit before failing RATE_LIMITED; a job's
 *                             createTask waits it in {@link KieProvider#awaitSubmitPermit()}, before the job is marked
 *                             SUBMITTING (its retries after a 429 wait at most the limiter's cycle)
 */
public record KieConfig(
        String baseUrl,
        String uploadUrl,
        String apiKey,
        Duration connectTimeout,
        Duration requestTimeout,
        Duration uploadTimeout,
        Optional<String> callbackUrl,
        Optional<String> hmacKey,
        String uploadPath,
        String sunoPlaceholderCallbackUrl,
        int statusReadsPerSecond,
        int submitsPer10Seconds,
        int readAttempts,
        int submitAttempts,
        Duration retryInitialBackoff,
        Duration retryMaxBackoff,
        Duration limiterWait) {

    public static final String DEFAULT_BASE_URL = "https://api.kie.ai";
    public static final String DEFAULT_UPLOAD_URL = "https://kieai.redpandaai.co";
    public static final String DEFAULT_UPLOAD_PATH = "kiebot/uploads";

    public KieConfig {
        baseUrl = normaliseBase(baseUrl == null ? DEFAULT_BASE_URL : baseUrl, "KIE_BASE_URL", "/api/v1", "/api");
        uploadUrl = normaliseBase(uploadUrl == null ? DEFAULT_UPLOAD_URL : uploadUrl, "KIE_UPLOAD_URL", "/api");
        Objects.requireNonNull(apiKey, "apiKey");
        if (apiKey.isBlank()) {
            throw new IllegalArgumentException("KIE_API_KEY is empty");
        }
        if (!apiKey.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("KIE_API_KEY contains spaces or non-printable characters");
        }
        positive(connectTimeout, "connectTimeout");
        positive(requestTimeout, "requestTimeout");
        positive(uploadTimeout, "uploadTimeout");
        callbackUrl = Objects.requireNonNullElse(callbackUrl, Optional.<String>empty())
                .map(String::trim).filter(s -> !s.isEmpty());
        callbackUrl.ifPresent(u -> requireHttpUrl(u, "callbackUrl"));
        hmacKey = Objects.requireNonNullElse(hmacKey, Optional.<String>empty()).filter(s -> !s.isBlank());
        uploadPath = uploadPath == null || uploadPath.isBlank() ? DEFAULT_UPLOAD_PATH
                : stripSlashes(uploadPath.trim());
        if (!uploadPath.matches("[A-Za-z0-9._/-]+")) {
            throw new IllegalArgumentException("uploadPath must be [A-Za-z0-9._/-]+, got '" + uploadPath + "'");
        }
        sunoPlaceholderCallbackUrl = sunoPlaceholderCallbackUrl == null || sunoPlaceholderCallbackUrl.isBlank()
                ? baseUrl : sunoPlaceholderCallbackUrl.trim();
        requireHttpUrl(sunoPlaceholderCallbackUrl, "sunoPlaceholderCallbackUrl");
        // one permit per (period / rate): any window of the period then sees at most rate + 1 reads, and rate + 2
        // createTasks, whose permit is spent up to a cycle after it was given (KieRateLimits)
        if (statusReadsPerSecond < 1 || statusReadsPerSecond > 9) {
            throw new IllegalArgumentException("statusReadsPerSecond must be 1..9 (Kie's limit is 10/s per key)");
        }
        if (submitsPer10Seconds < 1 || submitsPer10Seconds > 18) {
            throw new IllegalArgumentException("submitsPer10Seconds must be 1..18 (Kie's limit is 20 per 10 s)");
        }
        if (readAttempts < 1 || submitAttempts < 1) {
            throw new IllegalArgumentException("attempts must be >= 1");
        }
        positive(retryInitialBackoff, "retryInitialBackoff");
        positive(retryMaxBackoff, "retryMaxBackoff");
        Objects.requireNonNull(limiterWait, "limiterWait");
        if (limiterWait.isNegative()) {
            throw new IllegalArgumentException("limiterWait must not be negative");
        }
    }

    public static Builder builder(String apiKey) {
        return new Builder(apiKey);
    }

    /** Same settings with another callback URL (e.g. once the webhook runner knows its public URL). */
    public KieConfig withCallbackUrl(Optional<String> url) {
        return new KieConfig(baseUrl, uploadUrl, apiKey, connectTimeout, requestTimeout, uploadTimeout, url, hmacKey,
                uploadPath, sunoPlaceholderCallbackUrl, statusReadsPerSecond, submitsPer10Seconds, readAttempts,
                submitAttempts, retryInitialBackoff, retryMaxBackoff, limiterWait);
    }

    /** A short, non-reversible fingerprint of the key: safe for names and logs. */
    public String keyFingerprint() {
        return Redaction.fingerprint(apiKey);
    }

    @Override
    public String toString() {
        return "KieConfig[baseUrl=" + baseUrl + ", uploadUrl=" + uploadUrl + ", apiKey=***(" + keyFingerprint() + ")"
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                + ", uploadTimeout=" + uploadTimeout + ", callbackUrl=" + callbackUrl.map(Redaction::urlForLog).orElse("none")
                + ", hmacKey=" + (hmacKey.isPresent() ? "***" : "none") + ", uploadPath=" + uploadPath
                + ", statusReadsPerSecond=" + statusReadsPerSecond + ", submitsPer10Seconds=" + submitsPer10Seconds
                + ", readAttempts=" + readAttempts + ", submitAttempts=" + submitAttempts + "]";
    }

    static String normaliseBase(String url, String what, String... suffixes) {
        String u = url.trim();
        boolean changed = true;
        while (changed) {
            changed = false;
            while (u.endsWith("/")) {
                u = u.substring(0, u.length() - 1);
                changed = true;
            }
            for (String s : suffixes) {
                if (u.toLowerCase(Locale.ROOT).endsWith(s)) {
                    u = u.substring(0, u.length() - s.length());
                    changed = true;
                }
            }
        }
        requireHttpUrl(u, what);
        return u;
    }

    private static void requireHttpUrl(String u, String what) {
        URI uri;
        try {
            uri = URI.create(u);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException(what + " must be an http(s) URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(what + " must not contain credentials");
        }
    }

    private static String stripSlashes(String s) {
        String r = s;
        while (r.startsWith("/")) {
            r = r.substring(1);
        }
        while (r.endsWith("/")) {
            r = r.substring(0, r.length() - 1);
        }
        return r;
    }

    private static void positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be > 0");
        }
    }

    /** Fluent builder with the documented defaults. */
    public static final class Builder {
        private String baseUrl = DEFAULT_BASE_URL;
        private String uploadUrl = DEFAULT_UPLOAD_URL;
        private final String apiKey;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration uploadTimeout = Duration.ofMinutes(2);
        private Optional<String> callbackUrl = Optional.empty();
        private Optional<String> hmacKey = Optional.empty();
        private String uploadPath = DEFAULT_UPLOAD_PATH;
        private String sunoPlaceholderCallbackUrl;
        private int statusReadsPerSecond = 8;
        private int submitsPer10Seconds = 18;
        private int readAttempts = 3;
        private int submitAttempts = 3;
        private Duration retryInitialBackoff = Duration.ofMillis(500);
        private Duration retryMaxBackoff = Duration.ofSeconds(8);
        private Duration limiterWait = Duration.ofSeconds(10);

        private Builder(String apiKey) {
            this.apiKey = apiKey;
        }

        public Builder baseUrl(String v) {
            this.baseUrl = v;
            return this;
        }

        public Builder uploadUrl(String v) {
            this.uploadUrl = v;
            return this;
        }

        public Builder connectTimeout(Duration v) {
            this.connectTimeout = v;
            return this;
        }

        public Builder requestTimeout(Duration v) {
            this.requestTimeout = v;
            return this;
        }

        public Builder uploadTimeout(Duration v) {
            this.uploadTimeout = v;
            return this;
        }

        /**
         * A fallback for requests that name no callback: prefer {@code Shop.Builder.callbackUrl}, whose URLs name
         * the job (see {@link KieConfig}).
         *
         * @param v where Kie should POST completion; null or blank for none
         * @return this builder
         */
        public Builder callbackUrl(String v) {
            this.callbackUrl = Optional.ofNullable(v);
            return this;
        }

        public Builder hmacKey(String v) {
            this.hmacKey = Optional.ofNullable(v);
            return this;
        }

        public Builder uploadPath(String v) {
            this.uploadPath = v;
            return this;
        }

        public Builder sunoPlaceholderCallbackUrl(String v) {
            this.sunoPlaceholderCallbackUrl = v;
            return this;
        }

        public Builder statusReadsPerSecond(int v) {
            this.statusReadsPerSecond = v;
            return this;
        }

        public Builder submitsPer10Seconds(int v) {
            this.submitsPer10Seconds = v;
            return this;
        }

        public Builder readAttempts(int v) {
            this.readAttempts = v;
            return this;
        }

        public Builder submitAttempts(int v) {
            this.submitAttempts = v;
            return this;
        }

        public Builder retryBackoff(Duration initial, Duration max) {
            this.retryInitialBackoff = initial;
            this.retryMaxBackoff = max;
            return this;
        }

        public Builder limiterWait(Duration v) {
            this.limiterWait = v;
            return this;
        }

        public KieConfig build() {
            return new KieConfig(baseUrl, uploadUrl, apiKey, connectTimeout, requestTimeout, uploadTimeout,
                    callbackUrl, hmacKey, uploadPath, sunoPlaceholderCallbackUrl, statusReadsPerSecond,
                    submitsPer10Seconds, readAttempts, submitAttempts, retryInitialBackoff, retryMaxBackoff,
                    limiterWait);
        }
    }
}
