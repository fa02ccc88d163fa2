package dev.kiebot.webhook;

import dev.kiebot.runtime.BuildInfo;
import dev.kiebot.runtime.KieReads;
import dev.kiebot.runtime.Kiebot;
import dev.kiebot.runtime.config.Settings;
import dev.kiebot.runtime.http.HttpAnswer;
import dev.kiebot.runtime.intake.KieCallbackDoor;
import dev.kiebot.runtime.intake.TelegramWebhookDoor;
import dev.kiebot.runtime.intake.WebhookRegistrar;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook runner: Telegram updates and Kie callbacks over HTTP, plus health and metrics. The doors (what
 * opens them, what they do) live in the runtime; this class only maps them to routes.
 */
public final class WebhookServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
    static final String SECRET_HEADER = TelegramWebhookDoor.SECRET_HEADER;

    private final Kiebot bot;
    private final Javalin app;
    private final WebhookRegistrar registrar;
    private final KieCallbackDoor kieDoor;

    private WebhookServer(Kiebot bot, Javalin app, WebhookRegistrar registrar, KieCallbackDoor kieDoor) {
        this.bot = bot;
        this.app = app;
        this.registrar = registrar;
        this.kieDoor = kieDoor;
    }

    /**
     * Assembles the bot, opens the HTTP port, starts processing and the webhook registration.
     *
     * @param onGiveUp what to do when REQUIRE_WEBHOOK_REGISTERED is set and registration failed for good
     */
    public static WebhookServer start(Settings settings, Clock clock, Duration registrationFirstDelay,
                                      Runnable onGiveUp) {
        return start(settings, clock, registrationFirstDelay, onGiveUp, KieReads.DOCUMENTED);
    }

    /**
     * {@link #start(Settings, Clock, Duration, Runnable)} reading running generations at {@code kieReads}' intervals
     * (tests: a fake Kie that needs no 2-3 s before the first read).
     */
    public static WebhookServer start(Settings settings, Clock clock, Duration registrationFirstDelay,
                                      Runnable onGiveUp, KieReads kieReads) {
        Kiebot bot = Kiebot.assemble(settings, clock, "webhook", kieReads);
        try {
            WebhookRegistrar registrar = bot.webhookRegistrar(registrationFirstDelay, onGiveUp);
            TelegramWebhookDoor telegram = bot.telegramWebhookDoor();
            KieCallbackDoor kie = bot.kieCallbackDoor();
            Javalin app = bot.httpEndpoints(routes -> {
                // the doors read the body themselves, after their secret and within their limit: ctx.body() reads it
                // whole first, and Javalin's size limit sees only a declared Content-Length, which a chunked body
                // does not have
                routes.post("/telegram", ctx -> text(ctx, telegram.knock(ctx.header(SECRET_HEADER),
                        ctx.contentLength(), ctx::bodyInputStream)));
                // webhooks registered by earlier versions carried a path segment; it opens nothing by itself
                routes.post("/telegram/{ignored}", ctx -> text(ctx, telegram.knock(ctx.header(SECRET_HEADER),
                        ctx.contentLength(), ctx::bodyInputStream)));
                routes.post("/kie/callback/{token}", ctx -> json(ctx, kie.knock(ctx.pathParam("token"),
                        Optional.ofNullable(ctx.queryParam(KieCallbackDoor.JOB_PARAMETER)), ctx::bodyInputStream,
                        ctx.headerMap())));
            });
            WebhookServer server = new WebhookServer(bot, app, registrar, kie);
            Kiebot.listen(app, settings.http().bindAddress(), settings.http().webhookPort());
            bot.startProcessing();
            registrar.start();
            // the start's one last line: how long it took and where the bot listens (the URLs hold no secret; the
            // Kie callback path's token is one, so only the path's start is named). Not "ready": /readyz says so only
            // once Telegram took the webhook, which the registrar's line tells; "ready in" here was read beside a
            // /readyz saying ready:false, webhook:false
            LOG.info("started in {} s, ready once setWebhook succeeds: listening on port {} for Telegram's updates "
                    + "(POST /telegram, registering {} in the background), Kie's callbacks (POST /kie/callback/…), "
                    + "/healthz, /readyz and /metrics; {}",
                    Kiebot.secondsSinceStart(), app.port(), settings.telegram().webhookUrl().orElse("-"),
                    BuildInfo.current().describe());
            return server;
        } catch (RuntimeException e) {
            bot.close();
            throw e;
        }
    }

    private static void text(Context ctx, HttpAnswer answer) {
        ctx.status(answer.status()).result(answer.text());
    }

    /** Kie expects {@code {"code": 200, "msg": "success"}} and reads the same shape in refusals. */
    private static void json(Context ctx, HttpAnswer answer) {
        ctx.status(answer.status()).json(Map.of("code", answer.status(), "msg", answer.text()));
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
        kieDoor.close();
        bot.close();
    }
}
