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

    private TelegramBots() {
    }

    /** A bot on {@code baseApiUrl} (null or blank: the public Bot API) with the default timeouts. */
    public static TelegramBot create(String token, String baseApiUrl) {
        return create(token, baseApiUrl, Timeouts.defaults());
    }

    public static TelegramBot create(String token, String baseApiUrl, Timeouts timeouts) {
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("the bot token is empty");
        }
        String base = normalizeBaseUrl(baseApiUrl);
        return new TelegramBot.Builder(token)
                .apiUrl(base + "/bot")
                .fileApiUrl(base + "/file/bot")
                .okHttpClient(httpClient(timeouts))
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
                .addInterceptor(slowMethods)
                .eventListenerFactory(evidence.listeners())
                .build();
    }
}
