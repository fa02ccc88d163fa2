package dev.kiebot.runtime.http;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The Javalin app both runners share: /healthz (and /health, the path services migrated from the earlier bots
 * were set up with), /readyz, /metrics (to those {@link MetricsAccess} lets in); the webhook runner adds routes.
 * Javalin 7 takes every route with its configuration, so a runner's come in as {@code runnerRoutes}.
 */
public final class HttpEndpoints {
    /** Telegram updates are far below this; anything larger is refused with 413. */
    public static final long BODY_BYTES_MAX = 1_000_000;
    /** Javalin's own default. */
    static final int THREADS_MAX = 250;
    static final int THREADS_MIN = 8;
    static final int IDLE_THREAD_MILLIS = 60_000;
    /**
     * Connections open at once: past it Jetty accepts no more until one closes, and new ones wait in the system's
     * backlog (Telegram and Kie retry), rather than the work queueing without end. Telegram opens at most 100 for a
     * webhook (40 by default). Jetty 12 takes this limit instead of the bounded job queue Jetty 11 had, which it
     * warns against: that queue could also refuse Jetty's own jobs.
     */
    static final int CONNECTIONS_MAX = 1_000;
    /**
     * Connections one address may hold open at once ({@code HTTP_CONNECTIONS_PER_ADDRESS}): Telegram opens at most 100
     * to a webhook, 40 unless told otherwise ({@link ConnectionsPerAddress}).
     */
    public static final int CONNECTIONS_PER_ADDRESS = 100;
    /**
     * How long a request's headers may take from their first byte ({@code HTTP_HEADER_DEADLINE_MS},
     * {@link HeaderDeadline}): a client's come in one packet, a few milliseconds.
     */
    public static final Duration HEADER_DEADLINE = Duration.ofSeconds(10);
    /**
     * The buffer Javalin copies each answer through, made afresh for every answer: unset, it is Jetty's output buffer,
     * 32 KiB, for a webhook's "ok" of two bytes (the largest allocation of a warm burst, BENCHMARKS.md section 73).
     * Larger answers (/metrics) take a few copies more; Jetty gathers them in its own pooled buffer either way.
     */
    static final int ANSWER_COPY_BYTES = 1_024;

    private HttpEndpoints() {
    }

    public static Javalin create(Health health, PrometheusMeterRegistry metrics, MetricsAccess metricsAccess) {
        return create(health, metrics, metricsAccess, routes -> { });
    }

    public static Javalin create(Health health, PrometheusMeterRegistry metrics, MetricsAccess metricsAccess,
                                 Consumer<RoutesConfig> runnerRoutes) {
        return create(health, metrics, metricsAccess, runnerRoutes, CONNECTIONS_MAX, CONNECTIONS_PER_ADDRESS,
                HEADER_DEADLINE);
    }

    /** @param connectionsPerAddress connections one address may hold open ({@link #CONNECTIONS_PER_ADDRESS}) */
    public static Javalin create(Health health, PrometheusMeterRegistry metrics, MetricsAccess metricsAccess,
                                 Consumer<RoutesConfig> runnerRoutes, int connectionsPerAddress) {
        return create(health, metrics, metricsAccess, runnerRoutes, connectionsPerAddress, HEADER_DEADLINE);
    }

    /**
     * @param connectionsPerAddress connections one address may hold open ({@link #CONNECTIONS_PER_ADDRESS})
     * @param headerDeadline        how long a request's headers may take ({@link #HEADER_DEADLINE})
     */
    public static Javalin create(Health health, PrometheusMeterRegistry metrics, MetricsAccess metricsAccess,
                                 Consumer<RoutesConfig> runnerRoutes, int connectionsPerAddress,
                                 Duration headerDeadline) {
        return create(health, metrics, metricsAccess, runnerRoutes, CONNECTIONS_MAX, connectionsPerAddress,
                headerDeadline);
    }

    static Javalin create(Health health, PrometheusMeterRegistry metrics, MetricsAccess metricsAccess,
                          Consumer<RoutesConfig> runnerRoutes, int connectionsMax, int connectionsPerAddress,
                          Duration headerDeadline) {
        ConnectionsPerAddress perAddress = new ConnectionsPerAddress(connectionsPerAddress, metrics);
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = BODY_BYTES_MAX;
            config.http.responseBufferSize = ANSWER_COPY_BYTES;
            config.concurrency.useVirtualThreads = false;
            config.jetty.threadPool = threadPool();
            config.jetty.modifyServer(server -> {
                server.addBean(new NetworkConnectionLimit(connectionsMax, server));
                HeaderDeadline late = new HeaderDeadline(headerDeadline, server::getScheduler, metrics);
                server.addBean(late);
                // Javalin puts its own handler inside the server's wrapper
                server.setHandler(late.events());
                // a connection hears its connector's listeners only (not the server's), and Javalin adds the
                // connector at its start, after this
                server.addEventListener(new LifeCycle.Listener() {
                    @Override
                    public void lifeCycleStarting(LifeCycle starting) {
                        for (Connector connector : server.getConnectors()) {
                            connector.addBean(perAddress);
                            connector.addBean(late, false); // started with the server
                        }
                    }
                });
            });
            config.routes.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
            config.routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
            config.routes.get("/readyz", ctx -> {
                Map<String, Object> report = health.report();
                boolean ready = Boolean.TRUE.equals(report.get("ready"));
                // the detail (version, commit, Telegram's last delivery error, when the partners last answered) is
                // the operator's: with METRICS_TOKEN set, only a request bringing it reads more than the verdict
                ctx.status(ready ? 200 : 503).json(metricsAccess.showsDetail(ctx) ? report : Map.of("ready", ready));
            });
            config.routes.get("/metrics", ctx -> {
                if (metricsAccess.allows(ctx)) {
                    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
                }
            });
            runnerRoutes.accept(config.routes);
        });
    }

    private static QueuedThreadPool threadPool() {
        QueuedThreadPool pool = new QueuedThreadPool(THREADS_MAX, THREADS_MIN, IDLE_THREAD_MILLIS);
        // not daemon threads: they keep the webhook runner's process alive after main() returns
        pool.setName("http");
        return pool;
    }
}
