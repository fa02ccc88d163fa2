package dev.kiebot.runtime.intake;

import dev.kiebot.runtime.http.Health;
import dev.kiebot.runtime.loops.DaemonThreads;
import dev.kiebot.telegram.WebhookRegistration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
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
 */
public final class WebhookRegistrar implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookRegistrar.class);
    static final List<String> ALLOWED_UPDATES = List.of("message", "edited_message", "callback_query",
            "pre_checkout_query", "my_chat_member");

    private final WebhookRegistration registration;
    private final String url;
    private final String secret;
    private final Health health;
    private final Duration firstDelay;
    private final Duration maxDelay;
    private final int giveUpAfter;
    private final Runnable onGiveUp;
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
        this.registration = registration;
        this.url = url;
        this.secret = secret;
        this.health = health;
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
        this.giveUpAfter = giveUpAfter;
        this.onGiveUp = onGiveUp;
        Gauge.builder("kiebot.webhook.registered", registered, AtomicInteger::get)
                .description("1 once Telegram accepted the webhook (setWebhook), 0 until then").register(metrics);
        this.failures = Counter.builder("kiebot.webhook.registration.failures")
                .description("setWebhook attempts that failed (each retried with backoff)").register(metrics);
    }

    public void start() {
        scheduler.execute(() -> attempt(1, firstDelay));
    }

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
            return;
        }
        failures.increment();
        if (giveUpAfter > 0 && n >= giveUpAfter) {
            LOG.error("setWebhook failed {} times ({}); giving up", n, r.description());
            onGiveUp.run();
            return;
        }
        LOG.warn("setWebhook failed (attempt {}): {}; retrying in {} s", n, r.description(), delay.toSeconds());
        Duration next = delay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : delay.multipliedBy(2);
        scheduler.schedule(() -> attempt(n + 1, next), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
