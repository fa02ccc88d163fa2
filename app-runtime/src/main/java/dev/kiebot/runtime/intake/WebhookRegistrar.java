package dev.kiebot.runtime.intake;

import dev.kiebot.runtime.http.Health;
import dev.kiebot.runtime.loops.DaemonThreads;
import dev.kiebot.telegram.UpdateTranslator;
import dev.kiebot.telegram.WebhookRegistration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the webhook in the background with exponential backoff. A failing or hanging
 * setWebhook never stops the process: /readyz just says "not ready" until Telegram accepts.
 * With REQUIRE_WEBHOOK_REGISTERED=1 the runner exits non-zero after the last attempt. One thread, and at most
 * one attempt waits in its queue: each attempt schedules the next. {@code kiebot_webhook_registered} (0 until Telegram
 * accepted, then 1) and {@code kiebot_webhook_registration_failures_total} show it to a scrape, as {@code /readyz}'s
 * {@code webhook} does to a probe: a platform's probe may only restart the instance, an alert on the metric says why.
 *
 * <p>Once registered, the webhook is looked at again every {@link #CHECK_EVERY} ({@code getWebhookInfo}, one call):
 * registered once and never again, it was deleted by any polling run with the same token (a local {@code ./kiebot}),
 * and the bot heard nothing while /readyz and the gauge still said registered. A webhook found deleted or at another
 * URL is registered again, with a WARN (0 on the gauge and /readyz meanwhile); found so at the next look again, an
 * ERROR says something keeps taking it (a polling runner with the same token, most likely). Telegram's last failed
 * delivery ({@code last_error_message}) is a WARN once per distinct message and {@code webhookLastError} on /readyz;
 * one that says this bot refused Telegram's post (401: the secret it brought is not this instance's) registers the
 * webhook again with this instance's secret, once per such message. A look Telegram answers with the bot token refused
 * (revoked in @BotFather) is one ERROR a spell naming {@code TELEGRAM_BOT_TOKEN} and {@code /readyz} not ready: an
 * incident drill found it read as "no answer", the bot silent and /readyz 200.
 */
public final class WebhookRegistrar implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookRegistrar.class);
    static final List<String> ALLOWED_UPDATES = UpdateTranslator.ALLOWED_UPDATES;
    /**
     * How often the registered webhook is looked at again: minutes, not seconds (an idle bot's CPU and Telegram's
     * patience). A webhook deleted behind the bot's back is back within this.
     */
    public static final Duration CHECK_EVERY = Duration.ofMinutes(5);

    private final WebhookRegistration registration;
    private final String url;
    private final String secret;
    private final Health health;
    private final Duration firstDelay;
    private final Duration maxDelay;
    private final int giveUpAfter;
    private final Runnable onGiveUp;
    private final Duration checkEvery;
    /** Whether the URL Telegram refuses was told (an ERROR naming the variable), once. Scheduler thread only. */
    private boolean refusedUrlTold;
    /**
     * How many looks in a row found the webhook gone or at another URL, each registered again since: two is somebody
     * who keeps taking it (an ERROR, once a spell). Scheduler thread only.
     */
    private int lostInARow;
    /** Whether the bot token's refusal was told (an ERROR), until a look is answered again. Scheduler thread only. */
    private boolean tokenRefusedTold;
    /** Telegram's last failed delivery as last warned of; "" before any. Scheduler thread only. */
    private String lastErrorWarned = "";
    private final AtomicInteger registered = new AtomicInteger();
    private final Counter failures;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(new DaemonThreads("webhook-registrar"));

    /**
     * @param giveUpAfter attempts before {@code onGiveUp} runs; 0 = retry forever
     */
    public WebhookRegistrar(WebhookRegistration registration, String url, String secret, Health health,
                            Duration firstDelay, Duration maxDelay, int giveUpAfter, Runnable onGiveUp,
                            MeterRegistry metrics) {
        this(registration, url, secret, health, firstDelay, maxDelay, giveUpAfter, onGiveUp, metrics, CHECK_EVERY);
    }

    /** @param checkEvery how often the registered webhook is looked at again ({@link #CHECK_EVERY}; tests: less) */
    WebhookRegistrar(WebhookRegistration registration, String url, String secret, Health health,
                     Duration firstDelay, Duration maxDelay, int giveUpAfter, Runnable onGiveUp,
                     MeterRegistry metrics, Duration checkEvery) {
        this.checkEvery = checkEvery;
        this.registration = registration;
        this.url = url;
        this.secret = secret;
        this.health = health;
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
        this.giveUpAfter = giveUpAfter;
        this.onGiveUp = onGiveUp;
        Gauge.builder("kiebot.webhook.registered", registered, AtomicInteger::get)
                .description("1 once Telegram accepted the webhook (setWebhook), 0 until then and while a later look "
                        + "finds it deleted or replaced").register(metrics);
        this.failures = Counter.builder("kiebot.webhook.registration.failures")
                .description("setWebhook attempts that failed (each retried with backoff)").register(metrics);
    }

    public void start() {
        scheduler.execute(() -> attempt(1, firstDelay));
    }

    @SuppressWarnings("FutureReturnValueIgnored") // attempt and check catch what they throw and schedule the next
    private void attempt(int n, Duration delay) {
        WebhookRegistration.Result r;
        try {
            r = registration.setWebhook(url, secret, ALLOWED_UPDATES);
        } catch (RuntimeException e) {
            r = new WebhookRegistration.Result(false, e.getClass().getSimpleName());
        }
        if (r.ok()) {
            registered.set(1);
            health.telegramReady(true);
            LOG.info("webhook registered (attempt {}): ready, Telegram sends the updates here", n);
            scheduler.schedule(this::check, checkEvery.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        failures.increment();
        if (giveUpAfter > 0 && n >= giveUpAfter) {
            LOG.error("setWebhook failed {} times ({}); giving up", n, r.description());
            onGiveUp.run();
            return;
        }
        if (!refusedUrlTold && refusesTheUrl(r.description())) {
            // a URL Telegram cannot reach is the operator's to fix: no retry changes it, a WARN at each one hid that
            refusedUrlTold = true;
            LOG.error("Telegram refuses the webhook URL at {} ({}): check WEBHOOK_BASE_URL (on Render, "
                    + "RENDER_EXTERNAL_URL, which Render sets), the public https:// address this bot is reached at; "
                    + "setWebhook is asked again in {} s and then less and less often", TelegramPolling.host(url),
                    r.description(), delay.toSeconds());
        } else {
            LOG.warn("setWebhook failed (attempt {}): {}; retrying in {} s", n, r.description(), delay.toSeconds());
        }
        Duration next = delay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : delay.multipliedBy(2);
        scheduler.schedule(() -> attempt(n + 1, next), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Telegram's 400 for a webhook URL it will not use (a host it cannot resolve or reach, a port it refuses). */
    static boolean refusesTheUrl(String description) {
        return description.toLowerCase(java.util.Locale.ROOT).contains("bad webhook");
    }

    /**
     * The slow look at the registered webhook: still this bot's URL, or registered again; Telegram's last failed
     * delivery told. Telegram not answering changes nothing: the next look asks again.
     */
    @SuppressWarnings("FutureReturnValueIgnored") // attempt and check catch what they throw and schedule the next
    private void check() {
        WebhookRegistration.WebhookLook look;
        try {
            look = registration.lookAtWebhook();
        } catch (RuntimeException e) {
            // never thrown by design; a thrown one must not end the looks
            look = new WebhookRegistration.WebhookLook.Unknown(e.getClass().getSimpleName());
        }
        if (look instanceof WebhookRegistration.WebhookLook.TokenRefused refused) {
            tokenRefused(refused.code());
            scheduler.schedule(this::check, checkEvery.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        Optional<WebhookRegistration.WebhookStatus> info =
                look instanceof WebhookRegistration.WebhookLook.Found found ? Optional.of(found.status())
                        : Optional.empty();
        if (info.isPresent() && tokenRefusedTold) {
            tokenRefusedTold = false;
            // said before /readyz turns ok: a watcher seeing ok finds the line already there
            LOG.info("Telegram takes the bot token again: the bot hears its updates");
            health.telegramReachable();
        }
        if (info.isPresent() && !info.get().url().equals(url)) {
            String found = info.get().url();
            registered.set(0);
            health.telegramReady(false);
            lostInARow++;
            if (lostInARow == 2) {
                // once is a local run with the token; again after registering it is somebody who keeps doing it, and
                // each of the two runners half-works until one stops: a WARN every few minutes did not say so
                LOG.error("the webhook was taken from this bot again ({} looks in a row found it gone or replaced, "
                        + "each registered again; Telegram has {}): {}. The two take the bot's updates from each other "
                        + "until one stops: stop that one, or this runner; it registers the webhook again meanwhile",
                        lostInARow, found.isEmpty() ? "none" : "one at "
                        + TelegramPolling.host(found), found.isEmpty() ? "something keeps deleting it, most likely a "
                        + "polling runner with this bot token (a kiebot one with POLLING_TAKES_OVER_WEBHOOK=1, or an "
                        + "older one, deletes it at its start)" : "another webhook runner with this bot token keeps "
                        + "setting its own, at " + TelegramPolling.host(found));
            } else {
                LOG.warn("the webhook is not this bot's any more: Telegram has {} (deleted by a polling run with this "
                        + "token, or replaced by another bot using it?); registering it again{}",
                        found.isEmpty() ? "none" : "one at " + TelegramPolling.host(found),
                        lostInARow > 2 ? " (" + lostInARow + " looks in a row: see the ERROR above)" : "");
            }
            attempt(1, firstDelay);
            return;
        }
        if (info.isPresent()) {
            lostInARow = 0; // this bot's: whoever took it stopped
        }
        boolean refusedOurPosts = false;
        if (info.isPresent()) {
            WebhookRegistration.WebhookStatus status = info.get();
            Optional<String> fresh = status.lastErrorMessage().filter(message -> !message.equals(lastErrorWarned));
            if (fresh.isPresent()) {
                lastErrorWarned = fresh.get();
                refusedOurPosts = secretRefused(fresh.get());
                LOG.warn("Telegram's last delivery to the webhook failed: {} ({} update(s) waiting at Telegram){}",
                        fresh.get(), status.pendingUpdateCount(), refusedOurPosts ? ": this bot refused its secret "
                        + "(TELEGRAM_WEBHOOK_SECRET_TOKEN changed, or another instance with this bot token registered "
                        + "the webhook with its own); registering the webhook again with this instance's secret" : "");
            }
            health.webhookLastError(status.lastErrorMessage());
        }
        if (refusedOurPosts) {
            // once a spell (a new last error): two instances with two secrets would otherwise take it in turns for
            // ever; the attempt looks again once it succeeded
            attempt(1, firstDelay);
            return;
        }
        scheduler.schedule(this::check, checkEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Telegram's last error for a delivery the webhook refused with 401: the secret it brought was not ours. */
    static boolean secretRefused(String lastErrorMessage) {
        return lastErrorMessage.contains("401");
    }

    /** The look found the bot token refused: one ERROR a spell, and /readyz not ready (Telegram is not "ok"). */
    private void tokenRefused(int code) {
        health.telegramUnreachable("the bot token is refused (" + code + "): TELEGRAM_BOT_TOKEN revoked or replaced "
                + "in @BotFather?");
        if (!tokenRefusedTold) {
            tokenRefusedTold = true;
            LOG.error("Telegram refuses the bot token ({} to getWebhookInfo): TELEGRAM_BOT_TOKEN was revoked or "
                    + "replaced in @BotFather, and the bot hears nothing and can send nothing. Set the new token and "
                    + "restart; the webhook is looked at again every {} min meanwhile", code, checkEvery.toMinutes());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
