package dev.kiebot.webhook;

import dev.kiebot.kie.KieCallbacks;
import dev.kiebot.runtime.Kiebot;
import dev.kiebot.runtime.config.Settings;
import dev.kiebot.runtime.http.HttpEndpoints;
import dev.kiebot.runtime.intake.UpdateInbox;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook runner: Telegram updates and Kie callbacks over HTTP, plus health and metrics.
 * An update is only recorded on the request thread (milliseconds); handling is asynchronous.
 */
public final class WebhookServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
    /** Kie callback checks run here so the callback is answered at once. */
    private final ExecutorService callbackWork = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "kie-callbacks");
        t.setDaemon(true);
        return t;
    });

    private final Kiebot bot;
    private final Javalin app;
    private final WebhookRegistrar registrar;

    private WebhookServer(Kiebot bot, Javalin app, WebhookRegistrar registrar) {
        this.bot = bot;
        this.app = app;
        this.registrar = registrar;
    }

    /**
     * Assembles the bot, opens the HTTP port, starts processing and the webhook registration.
     *
     * @param onGiveUp what to do when REQUIRE_WEBHOOK_REGISTERED is set and registration failed for good
     */
    public static WebhookServer start(Settings settings, Clock clock, Duration registrationFirstDelay,
                                      Runnable onGiveUp) {
        Kiebot bot = Kiebot.assemble(settings, clock, "webhook");
        try {
            Javalin app = HttpEndpoints.create(bot.health(), bot.metrics());
            String url = settings.telegram().webhookUrl().orElseThrow(() -> new IllegalStateException(
                    "the webhook runner needs WEBHOOK_BASE_URL or RENDER_EXTERNAL_URL"));
            WebhookRegistrar registrar = new WebhookRegistrar(bot.registration(), url, settings.telegram().webhookSecret(),
                    bot.health(), registrationFirstDelay, Duration.ofMinutes(1),
                    settings.telegram().requireWebhookRegistered() ? 8 : 0, onGiveUp);
            WebhookServer server = new WebhookServer(bot, app, registrar);
            app.post("/telegram", server::telegram);
            // webhooks registered by earlier versions carried a path segment; it opens nothing by itself
            app.post("/telegram/{ignored}", server::telegram);
            app.post("/kie/callback/{token}", server::kieCallback);
            app.start(settings.http().webhookPort());
            bot.startProcessing();
            registrar.start();
            LOG.info("webhook runner listening on port {}", app.port());
            return server;
        } catch (RuntimeException e) {
            bot.close();
            throw e;
        }
    }

    /** Constant-time comparison, so response timing tells nothing about how much of a guess was right. */
    static boolean matches(String given, String secret) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Only Telegram knows the secret token it sends in the header; a URL path alone never opens this door. */
    private void telegram(Context ctx) {
        if (!matches(ctx.header(SECRET_HEADER), bot.settings().telegram().webhookSecret())) {
            refuse(ctx, 401, "unauthorized");
            return;
        }
        if (ctx.contentLength() > HttpEndpoints.MAX_BODY_BYTES) {
            refuse(ctx, 413, "too_large");
            return;
        }
        String body = ctx.body();
        UpdateInbox.Outcome outcome = bot.inbox().record(body);
        if (outcome == UpdateInbox.Outcome.MALFORMED) {
            refuse(ctx, 400, "malformed");
        } else {
            ctx.status(200).result("ok");
        }
    }

    /** Counted by reason and logged without the body: a refused request tells nothing about itself. */
    private void refuse(Context ctx, int status, String reason) {
        bot.metrics().counter("kiebot.webhook.refused", "reason", reason).increment();
        LOG.debug("webhook request refused: {} ({} bytes)", reason, ctx.contentLength());
        ctx.status(status).result(reason);
    }

    /** The Kie token only lets Kie say "look at task X again": the task is re-read from Kie before acting. */
    private void kieCallback(Context ctx) {
        if (!matches(ctx.pathParam("token"), bot.settings().kie().callbackSecret())) {
            bot.metrics().counter("kiebot.webhook.refused", "reason", "kie_unauthorized").increment();
            ctx.status(401).json(Map.of("code", 401, "msg", "unauthorized"));
            return;
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(ctx.headerMap());
        KieCallbacks.Check check = bot.callbacks().check(ctx.bodyAsBytes(), headers);
        Optional<String> taskId = check.taskId();
        if (taskId.isEmpty()) {
            String reason = check.rejection().orElse("rejected");
            LOG.warn("Kie callback rejected: {}", reason);
            int status = reason.contains("signature") || reason.contains("timestamp") ? 401 : 400;
            ctx.status(status).json(Map.of("code", status, "msg", reason));
            return;
        }
        // never trust the body: the worker re-reads the task from Kie before acting
        callbackWork.execute(() -> bot.shop().worker().checkTask(taskId.get()));
        ctx.status(200).json(Map.of("code", 200, "msg", "success"));
    }

    public int port() {
        return app.port();
    }

    public Kiebot bot() {
        return bot;
    }

    @Override
    public void close() {
        registrar.close();
        app.stop();
        callbackWork.shutdown();
        bot.close();
    }
}
