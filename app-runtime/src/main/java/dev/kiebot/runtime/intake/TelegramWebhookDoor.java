package dev.kiebot.runtime.intake;

import dev.kiebot.runtime.http.HttpAnswer;
import dev.kiebot.runtime.http.RequestBody;
import dev.kiebot.runtime.loops.Outage;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /telegram}: only Telegram knows the secret token it sends in the header, so only a request carrying
 * it may hand the bot an update; a URL path alone never opens this door. The body is read only once the secret
 * matched, and no further than {@code bodyBytesMax}, also when it comes in chunks with no length declared (413). An
 * admitted update is only recorded (milliseconds); handling is asynchronous. Refusals are counted by reason and logged without their bodies. An
 * update the database cannot record is refused with 503, so Telegram delivers it again later; the failure is logged
 * by its type only (the database's message would quote the update), once per outage.
 *
 * <p>A post without the right secret is one WARN per spell naming {@code TELEGRAM_WEBHOOK_SECRET_TOKEN} (an incident
 * drill: with the secret changed, every update Telegram posted was a 401 and a DEBUG line, the bot silent); a spell
 * ends after {@link #REFUSALS_SPELL_ENDS_AFTER} without one. Never one line a refusal: an attacker's forged posts
 * are refusals too, and must not become a log flood; {@code kiebot_webhook_refused_total{reason="unauthorized"}}
 * counts them all.
 */
public final class TelegramWebhookDoor {
    private static final Logger LOG = LoggerFactory.getLogger(TelegramWebhookDoor.class);
    /** Every reason this door refuses a post for ({@code kiebot_webhook_refused_total}'s {@code reason}). */
    static final List<String> REFUSAL_REASONS = List.of("unauthorized", "too_large", "malformed", "unavailable");
    public static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";

    private final String secret;
    private final long bodyBytesMax;
    private final UpdateInbox inbox;
    private final MeterRegistry metrics;
    private final Outage outage = new Outage(LOG, "recording webhook updates");
    /** A refused post after this long without one begins a new spell, warned of again. */
    static final Duration REFUSALS_SPELL_ENDS_AFTER = Duration.ofMinutes(10);
    /** Monotonic nanoseconds ({@link System#nanoTime}); injectable so that spells can be stepped in tests. */
    private final LongSupplier nanoTime;
    /** {@link #nanoTime} of the last post refused for its secret; {@code Long.MIN_VALUE} before any. */
    private final AtomicLong lastUnauthorized = new AtomicLong(Long.MIN_VALUE);

    public TelegramWebhookDoor(String secret, long bodyBytesMax, UpdateInbox inbox, MeterRegistry metrics) {
        this(secret, bodyBytesMax, inbox, metrics, System::nanoTime);
    }

    TelegramWebhookDoor(String secret, long bodyBytesMax, UpdateInbox inbox, MeterRegistry metrics,
                        LongSupplier nanoTime) {
        this.secret = secret;
        this.bodyBytesMax = bodyBytesMax;
        this.inbox = inbox;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
        // each reason at 0 from the start: a series born at the first refusal shows no increase() for it, and the
        // first spell of refused posts (a rotated secret: the bot hears nothing) was the one an alert must catch
        REFUSAL_REASONS.forEach(reason -> metrics.counter(KieCallbackDoor.REFUSED, "reason", reason));
    }

    /**
     * @param secretHeader  the {@value #SECRET_HEADER} header, null when absent
     * @param contentLength the declared body length, -1 when unknown
     * @param body          read only once the request is admitted, and only up to the limit
     */
    public HttpAnswer knock(String secretHeader, long contentLength, RequestBody body) {
        if (!matches(secretHeader, secret)) {
            unauthorized(secretHeader != null);
            return refuse(401, "unauthorized", contentLength);
        }
        if (contentLength > bodyBytesMax) {
            return refuse(413, "too_large", contentLength);
        }
        Optional<byte[]> bytes;
        try {
            bytes = body.upTo(Math.toIntExact(bodyBytesMax));
        } catch (IOException e) {
            return refuse(400, "malformed", contentLength); // the sender broke off: there is nothing to record
        }
        if (bytes.isEmpty()) {
            return refuse(413, "too_large", contentLength);
        }
        UpdateInbox.Outcome outcome;
        try {
            outcome = inbox.record(new String(bytes.get(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            outage.failedForTheSender(e);
            return refuse(503, "unavailable", contentLength);
        }
        outage.over();
        if (outcome == UpdateInbox.Outcome.MALFORMED) {
            return refuse(400, "malformed", contentLength);
        }
        return new HttpAnswer(200, "ok");
    }

    /** Constant-time comparison, so response timing tells nothing about how much of a guess was right. */
    static boolean matches(String given, String secret) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                secret.getBytes(StandardCharsets.UTF_8));
    }

    /** The spell's one WARN, at its first refusal. */
    private void unauthorized(boolean withAHeader) {
        long now = nanoTime.getAsLong();
        long before = lastUnauthorized.getAndSet(now);
        if (before == Long.MIN_VALUE || now - before > REFUSALS_SPELL_ENDS_AFTER.toNanos()) {
            LOG.warn("a post to /telegram was refused (401): {}. If Telegram's updates are refused, the bot hears "
                    + "nothing: TELEGRAM_WEBHOOK_SECRET_TOKEN changed since the webhook was registered, or another "
                    + "instance with this bot token registered it with another secret (the registrar's look at the "
                    + "webhook registers it again with this one); otherwise it is somebody's forged post. No other line "
                    + "until none came for {} min; kiebot_webhook_refused_total{{reason=\"unauthorized\"}} counts them",
                    withAHeader ? "its secret header is not this bot's" : "it brought no secret header",
                    REFUSALS_SPELL_ENDS_AFTER.toMinutes());
        }
    }

    private HttpAnswer refuse(int status, String reason, long contentLength) {
        metrics.counter(KieCallbackDoor.REFUSED, "reason", reason).increment();
        LOG.debug("webhook request refused: {} ({} bytes)", reason, contentLength);
        return new HttpAnswer(status, reason);
    }
}
