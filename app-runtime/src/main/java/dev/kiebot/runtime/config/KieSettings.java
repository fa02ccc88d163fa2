package dev.kiebot.runtime.config;

import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.kie.KieConfig;
import dev.kiebot.kie.StubConfig;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Kie.ai: where generations go (Kie's API or the offline stub), the Kie callback door and the credit alert.
 * {@link #toString()} shows no secret.
 *
 * @param backend        the live Kie client's settings, or the stub's ({@code KIE_STUB} / {@code DRY_RUN})
 * @param callbackSecret {@code KIE_CALLBACK_SECRET}, else derived from the bot token (secret); it lets Kie say no
 *                       more than "look at task X again"
 * @param previousCallbackSecret {@code KIE_CALLBACK_SECRET_PREVIOUS}: the callback token before a rotation, still
 *                       let in (secret): a task sent before calls back with it, and one whose send a restart cut off
 *                       is found by that callback only
 * @param callbackUrl    where Kie posts completions ({@code KIE_CALLBACK_URL}, else the public URL, plus
 *                       {@code /kie/callback/<callbackSecret>}); empty without a public URL
 * @param hmacKey        {@code KIE_WEBHOOK_HMAC_KEY}: callbacks must carry Kie's signature (secret)
 * @param lowCredits     {@code KIE_LOW_CREDITS}: alert the admins below this many Kie credits (0 or more; 0: no
 *                       alert)
 */
public record KieSettings(Backend backend, String callbackSecret, Optional<String> previousCallbackSecret,
                          Optional<String> callbackUrl,
                          Optional<String> hmacKey, BigDecimal lowCredits) {
    /**
     * About $10 at Kie's $0.005 a credit: above the dearest generation the catalog sells ($7.65), so the admins are
     * told while every order can still be paid at Kie. 100 ($0.50) was below the price of half the SKUs: the alert
     * came after orders were already refused.
     */
    public static final BigDecimal DEFAULT_LOW_CREDITS = new BigDecimal("2000");
    /** The label the callback token is derived under; the webhook secret has its own. */
    static final String CALLBACK_SECRET_LABEL = "kiebot-kie-callback-token";
    static final String CALLBACK_PATH = "/kie/callback/";
    static final int TIMEOUT_MILLIS_MAX = 600_000;
    /** Kie allows 10 status reads a second per key; the client keeps one in reserve. */
    static final int STATUS_READS_PER_SECOND_MAX = 9;
    static final int STUB_DELAY_MILLIS_MAX = 3_600_000;
    /** The Kie client's own defaults (the key is a placeholder): each default is declared once, there. */
    private static final KieConfig CLIENT_DEFAULTS = KieConfig.builder("-").build();

    /** Where generations go. */
    public sealed interface Backend {
        /** Kie's API. */
        record Live(KieConfig config) implements Backend {
        }

        /** The local stub: no network, no charges. */
        record Stub(StubConfig config) implements Backend {
        }
    }

    public KieSettings {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(callbackSecret, "callbackSecret");
        Objects.requireNonNull(previousCallbackSecret, "previousCallbackSecret");
        Objects.requireNonNull(callbackUrl, "callbackUrl");
        Objects.requireNonNull(hmacKey, "hmacKey");
        Objects.requireNonNull(lowCredits, "lowCredits");
        if (lowCredits.signum() < 0) {
            throw new IllegalArgumentException("lowCredits must be 0 or more, got " + lowCredits.toPlainString());
        }
    }

    public boolean stubbed() {
        return backend instanceof Backend.Stub;
    }

    /**
     * @param servesCallbacks whether this runner has the callback door (the webhook runner): only then is its public
     *                        URL a callback address. The polling runner's (Render's, a WEBHOOK_BASE_URL left set) led
     *                        Kie nowhere, and a job whose createTask went unanswered waited for that callback until its
     *                        deadline instead of its refund
     */
    @SuppressWarnings("ShortCircuitBoolean") // each flag is read, so that each is checked and noticed
    static KieSettings read(Env env, HttpSettings http, TelegramSettings telegram, boolean servesCallbacks) {
        boolean earlierTestMode = env.flag("TEST_MODE");
        if (earlierTestMode) {
            env.notice("TEST_MODE (an earlier bot's name) is read as KIE_STUB: generations are simulated locally");
        }
        boolean stubbed = env.flag("KIE_STUB") | env.flag("DRY_RUN") | earlierTestMode;
        Optional<String> apiKey = env.secret("KIE_API_KEY");
        Optional<String> hmacKey = env.secret("KIE_WEBHOOK_HMAC_KEY");
        String secret = DoorSecret.read(env, "KIE_CALLBACK_SECRET", telegram.botToken(), CALLBACK_SECRET_LABEL);
        if (secret.equals(telegram.webhookSecret())) {
            env.problem("KIE_CALLBACK_SECRET must differ from TELEGRAM_WEBHOOK_SECRET_TOKEN: each door has its own");
        }
        Optional<String> previous = DoorSecret.previous(env, "KIE_CALLBACK_SECRET_PREVIOUS", secret);
        if (previous.isPresent() && previous.get().equals(telegram.webhookSecret())) {
            env.problem("KIE_CALLBACK_SECRET_PREVIOUS must differ from TELEGRAM_WEBHOOK_SECRET_TOKEN: each door has its"
                    + " own");
        }
        Optional<String> callbackUrl = env.url("KIE_CALLBACK_URL")
                .map(u -> HttpSettings.withPath(u, CALLBACK_PATH + secret))
                .or(() -> servesCallbacks ? http.publicUrl(CALLBACK_PATH + secret) : Optional.empty());
        Backend backend = stubbed ? new Backend.Stub(stub(env))
                : new Backend.Live(live(env, apiKey, callbackUrl, hmacKey));
        // below 0 no balance Kie reports could ever be lower, which looks like an alert and never is one: refused,
        // and 0 is the way to say "no alert"
        BigDecimal lowCredits = env.nonNegativeDecimal("KIE_LOW_CREDITS", DEFAULT_LOW_CREDITS);
        return new KieSettings(backend, secret, previous, callbackUrl, hmacKey, lowCredits);
    }

    private static KieConfig live(Env env, Optional<String> apiKey, Optional<String> callbackUrl,
                                  Optional<String> hmacKey) {
        if (apiKey.isEmpty()) {
            env.problem("KIE_API_KEY is required (or set KIE_STUB=1 for a dry run)");
        }
        KieConfig d = CLIENT_DEFAULTS;
        KieConfig.Builder b = KieConfig.builder(apiKey.orElse("-"))
                .baseUrl(env.string("KIE_BASE_URL", d.baseUrl()))
                .uploadUrl(env.string("KIE_UPLOAD_URL", d.uploadUrl()))
                .uploadPath(env.string("KIE_UPLOAD_PATH", d.uploadPath()))
                .connectTimeout(millis(env, "KIE_CONNECT_TIMEOUT_MS", d.connectTimeout()))
                .requestTimeout(millis(env, "KIE_REQUEST_TIMEOUT_MS", d.requestTimeout()))
                .uploadTimeout(millis(env, "KIE_UPLOAD_TIMEOUT_MS", d.uploadTimeout()))
                .statusReadsPerSecond(env.integer("KIE_STATUS_RPS", d.statusReadsPerSecond(), 1,
                        STATUS_READS_PER_SECOND_MAX));
        callbackUrl.ifPresent(b::callbackUrl);
        hmacKey.ifPresent(b::hmacKey);
        return env.checked(() -> {
            try {
                return b.build();
            } catch (IllegalArgumentException e) {
                String m = e.getMessage() == null ? "invalid Kie settings" : e.getMessage();
                throw new IllegalArgumentException(m.startsWith("KIE_") ? m : "Kie settings: " + m);
            }
        }, d);
    }

    private static Duration millis(Env env, String name, Duration fallback) {
        return Duration.ofMillis(env.integer(name, (int) fallback.toMillis(), 1, TIMEOUT_MILLIS_MAX));
    }

    /** Task ids start at the wall clock's epoch millis, so they stay unique across restarts. */
    private static StubConfig stub(Env env) {
        StubConfig d = StubConfig.defaults();
        long delayMillis = env.integer("KIE_STUB_DELAY_MS", (int) d.delay().toMillis(), 0, STUB_DELAY_MILLIS_MAX);
        double failRate = env.parsed("KIE_STUB_FAIL_RATE", d.failRate(), Double::parseDouble,
                "a number between 0 and 1");
        if (!(failRate >= 0.0 && failRate <= 1.0)) {
            env.problem("KIE_STUB_FAIL_RATE must be a number between 0 and 1, got " + failRate);
            failRate = d.failRate();
        }
        Optional<ErrorKind> forced = env.optional("KIE_STUB_FAIL_CODE")
                .flatMap(code -> env.checked(() -> Optional.of(StubConfig.errorKindOf(code)), Optional.empty()));
        StubConfig.FailAt failAt = env.parsed("KIE_STUB_FAIL_AT",
                forced.isPresent() ? StubConfig.FailAt.SUBMIT : d.failAt(),
                v -> StubConfig.FailAt.valueOf(v.toUpperCase(Locale.ROOT)), "'submit' or 'status'");
        long seed = env.parsed("KIE_STUB_SEED", d.seed(), Long::parseLong, "an integer");
        Clock clock = Clock.systemUTC();
        return new StubConfig(Duration.ofMillis(delayMillis), failRate, seed, forced, failAt, clock.millis(), clock);
    }

    @Override
    public String toString() {
        String target = backend instanceof Backend.Live live ? live.config().toString() : "stub";
        return "KieSettings[" + target + ", callbackUrl=" + (callbackUrl.isPresent() ? "<set>" : "-") + ", hmac="
                + (hmacKey.isPresent() ? "on" : "off") + ", lowCredits=" + lowCredits.toPlainString()
                + ", callbackSecret=<redacted>]";
    }
}
