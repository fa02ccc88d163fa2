package dev.kiebot.telegram;

import com.pengrad.telegrambot.TelegramBot;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * Builds the pengrad {@link TelegramBot} for a token and a base API URL ({@code TELEGRAM_API_URL},
 * default {@value #DEFAULT_API_URL}; tests pass a {@code FakeTelegramServer}'s URL).
 *
 * <p>The OkHttp client has short explicit timeouts (connect 5 s, read/write 15 s; pengrad raises the
 * read timeout itself for long polling), longer ones (120 s) for the media methods where Telegram
 * fetches a URL or receives an upload, and {@code retryOnConnectionFailure(false)} so OkHttp never
 * silently re-posts a {@code sendMessage} after a dropped connection (a duplicate when Telegram had
 * already sent it). Retries are decided by the adapter ({@link ApiCaller}) with the evidence
 * {@link WireEvidence} collects: whether a failed request can have reached Telegram at all, and the HTTP
 * status of answers that are not Bot API JSON. No debug logging: pengrad's {@code debug()} would log URLs
 * containing the token.
 */
public final class TelegramBots {
    public static final String DEFAULT_API_URL = "https://api.telegram.org";

    /** Methods that may take long because Telegram downloads a URL or we upload a file. */
    private static final Set<String> SLOW_METHODS = Set.of("sendphoto", "sendvideo", "sendaudio", "senddocument",
            "sendanimation", "sendvoice", "sendvideonote", "sendmediagroup", "setwebhook");

    /**
     * Timeouts of the HTTP client.
     *
     * @param expectContinue how long a send waits for "100 Continue" before it is cut (see {@link WireEvidence})
     */
    public record Timeouts(Duration connect, Duration read, Duration media, Duration expectContinue) {
        public Timeouts {
            for (Duration d : new Duration[]{connect, read, media, expectContinue}) {
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("timeouts must be positive");
                }
            }
        }

        public Timeouts(Duration connect, Duration read, Duration media) {
            this(connect, read, media, Duration.ofMillis(WireEvidence.CONTINUE_WAIT_MILLIS));
        }

        public static Timeouts defaults() {
            return new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(120));
        }
    }

    /**
     * Told about every Bot API call when it ends, for metrics and health: the method, the HTTP status ({@code 0}
     * when no answer came: timeout, refused connection) and how long it took. Never the token, URL or body.
     */
    @FunctionalInterface
    public interface CallObserver {
        CallObserver NONE = (method, httpStatus, nanos) -> { };

        /** @param method the Bot API method ({@code sendMessage}), {@code file} for a download, else {@code other} */
        void called(String method, int httpStatus, long nanos);
    }

    private TelegramBots() {
    }

    /**
     * A bot on the public Bot API ({@value #DEFAULT_API_URL}) with the default timeouts: what a partner's bot takes.
     *
     * @param token the bot's token from @BotFather
     * @throws IllegalArgumentException when the token is blank
     */
    public static TelegramBot create(String token) {
        return create(token, DEFAULT_API_URL);
    }

    /**
     * A bot on another Bot API server (a local {@code telegram-bot-api}, a test's fake; null or blank: the public Bot
     * API, which a partner's code says with {@link #create(String)} rather than a null) with the default timeouts.
     *
     * @param token      the bot's token from @BotFather
     * @param baseApiUrl the server's base URL, http(s), e.g. {@code http://127.0.0.1:8081}
     * @throws IllegalArgumentException when the token is blank or the URL not http(s)
     */
    public static TelegramBot create(String token, String baseApiUrl) {
        return create(token, baseApiUrl, Timeouts.defaults());
    }

    public static TelegramBot create(String token, String baseApiUrl, Timeouts timeouts) {
        return create(token, baseApiUrl, timeouts, CallObserver.NONE);
    }

    /** A bot whose every call is reported to {@code observer}. */
    public static TelegramBot create(String token, String baseApiUrl, Timeouts timeouts, CallObserver observer) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(observer, "observer");
        if (token.isBlank()) {
            throw new IllegalArgumentException("the bot token is empty");
        }
        String base = normalizeBaseUrl(baseApiUrl);
        return new TelegramBot.Builder(token)
                .apiUrl(base + "/bot")
                .fileApiUrl(base + "/file/bot")
                .okHttpClient(httpClient(timeouts, observer))
                .build();
    }

    /**
     * {@code https://api.telegram.org/} → {@code https://api.telegram.org}; null/blank → the default.
     *
     * @throws IllegalArgumentException when the URL is not http(s)
     */
    public static String normalizeBaseUrl(String baseApiUrl) {
        String base = baseApiUrl == null || baseApiUrl.isBlank() ? DEFAULT_API_URL : baseApiUrl.trim();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String lower = base.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            throw new IllegalArgumentException("TELEGRAM_API_URL must start with http:// or https://");
        }
        if (lower.endsWith("/bot")) {
            base = base.substring(0, base.length() - 4);
        }
        return base;
    }

    static OkHttpClient httpClient(Timeouts t) {
        return httpClient(t, CallObserver.NONE);
    }

    /** The Bot API method of a request path ({@code /bot<token>/sendMessage}); no path part of user data. */
    static String methodOf(String encodedPath) {
        if (encodedPath.contains("/file/bot")) {
            return "file";
        }
        String last = encodedPath.substring(encodedPath.lastIndexOf('/') + 1);
        return isMethodName(last) ? last : "other";
    }

    /**
     * 1 to 40 ASCII letters. A loop, not {@code String.matches}: that compiled its pattern anew at every Bot API call,
     * on the reply senders' threads (BENCHMARKS.md, section 75).
     */
    private static boolean isMethodName(String s) {
        if (s.isEmpty() || s.length() > 40) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return false;
            }
        }
        return true;
    }

    private static Interceptor observing(CallObserver observer) {
        return chain -> {
            String method = methodOf(chain.request().url().encodedPath());
            long started = System.nanoTime();
            int status = 0;
            try {
                okhttp3.Response response = chain.proceed(chain.request());
                status = response.code();
                return response;
            } finally {
                observer.called(method, status, System.nanoTime() - started);
            }
        };
    }

    static OkHttpClient httpClient(Timeouts t, CallObserver observer) {
        int mediaMillis = (int) Math.min(Integer.MAX_VALUE, t.media().toMillis());
        Interceptor slowMethods = chain -> {
            String path = chain.request().url().encodedPath();
            String method = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
            if (SLOW_METHODS.contains(method) && chain.readTimeoutMillis() < mediaMillis) {
                return chain.withReadTimeout(mediaMillis, TimeUnit.MILLISECONDS)
                        .withWriteTimeout(mediaMillis, TimeUnit.MILLISECONDS)
                        .proceed(chain.request());
            }
            return chain.proceed(chain.request());
        };
        WireEvidence evidence = new WireEvidence(t.expectContinue());
        return new OkHttpClient.Builder()
                .connectTimeout(t.connect())
                .readTimeout(t.read())
                .writeTimeout(t.read())
                .retryOnConnectionFailure(false)
                .addInterceptor(evidence)
                .addInterceptor(observing(observer))
                .addInterceptor(slowMethods)
                .eventListenerFactory(evidence.listeners())
                .build();
    }
}
