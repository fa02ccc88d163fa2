package dev.kiebot.runtime.cli;

import com.pengrad.telegrambot.TelegramBot;
import com.pengrad.telegrambot.request.SendMessage;
import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.kie.KieConfig;
import dev.kiebot.kie.KieProvider;
import dev.kiebot.kie.catalog.KieCatalog;
import dev.kiebot.runtime.config.Settings;
import dev.kiebot.runtime.http.Health;
import dev.kiebot.runtime.http.HttpEndpoints;
import dev.kiebot.runtime.http.MetricsAccess;
import dev.kiebot.telegram.TelegramBots;
import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code warm-up}: walks the start-up path without a database or network (configuration, catalog, metrics, the
 * Telegram and Kie clients, the HTTP server on a free port, the database libraries' classes) and exits. Run once
 * with {@code -XX:ArchiveClassesAtExit=app.jsa}, it leaves a class-data archive that later starts map instead of
 * loading and verifying those classes one by one ({@code ./kiebot} and the Docker image do this).
 */
final class WarmUp {
    /** Classes of the database path, which needs a server to run: loaded (and archived), not used. */
    static final List<String> DATABASE_CLASSES = List.of("org.flywaydb.core.Flyway",
            "org.flywaydb.core.api.configuration.FluentConfiguration", "org.postgresql.Driver",
            "com.zaxxer.hikari.HikariDataSource", "org.jdbi.v3.core.Jdbi", "org.jdbi.v3.postgres.PostgresPlugin",
            "dev.kiebot.postgres.Database", "dev.kiebot.postgres.PgStores", "dev.kiebot.postgres.PgLedger",
            "dev.kiebot.postgres.PgJobs", "dev.kiebot.postgres.EmbeddedDatabase", "dev.kiebot.runtime.Kiebot",
            "net.logstash.logback.encoder.LogstashEncoder");
    /** A token of the right shape that no bot has: nothing the warm-up does reaches Telegram. */
    static final String TOKEN = "123456789:warm-up-token-not-a-real-one-0000";

    private WarmUp() {
    }

    /** @return the number of classes named in {@link #DATABASE_CLASSES} that are missing (0 when all loaded) */
    static int run() throws IOException, InterruptedException {
        Settings.fromEnv(Map.of("TELEGRAM_BOT_TOKEN", TOKEN, "KIE_STUB", "1"));
        Catalog catalog = KieCatalog.fromClasspath();
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        TelegramBot bot = TelegramBots.create(TOKEN, "http://127.0.0.1:9");
        new SendMessage(1, "warm-up").getParameters();
        KieProvider.create(KieConfig.builder("warm-up").build());
        Javalin app = HttpEndpoints.create(new Health("warm-up", "lock", () -> false), metrics,
                MetricsAccess.of(Optional.empty())).start(0);
        try {
            HttpClient client = HttpClient.newHttpClient();
            for (String path : List.of("/healthz", "/readyz", "/metrics")) {
                client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
            }
        } finally {
            app.stop();
            bot.shutdown();
        }
        int missing = 0;
        for (String name : DATABASE_CLASSES) {
            try {
                Class.forName(name, false, WarmUp.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                missing++;
            }
        }
        return catalog.size() > 0 ? missing : missing + 1;
    }
}
