package dev.kiebot.runtime.http;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;

/** The Javalin app both runners share: /healthz, /readyz, /metrics; the webhook runner adds routes. */
public final class HttpEndpoints {
    /** Telegram updates are far below this; anything larger is refused with 413. */
    public static final long BODY_BYTES_MAX = 1_000_000;

    private HttpEndpoints() {
    }

    public static Javalin create(Health health, PrometheusMeterRegistry metrics) {
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = BODY_BYTES_MAX;
            config.useVirtualThreads = false;
        });
        app.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
        app.get("/readyz", ctx -> {
            Map<String, Object> report = health.report();
            ctx.status(Boolean.TRUE.equals(report.get("ready")) ? 200 : 503).json(report);
        });
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        return app;
    }
}
