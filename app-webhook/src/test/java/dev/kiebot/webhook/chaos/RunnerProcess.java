package dev.kiebot.webhook.chaos;

import dev.kiebot.postgres.Database;
import dev.kiebot.postgres.DatabaseSettings;
import dev.kiebot.runtime.testing.E2eWorld;
import dev.kiebot.testing.ShippedClassPath;
import dev.kiebot.webhook.WebhookMain;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link WebhookMain} in a JVM of its own (the Docker image's options) on a DATA_DIR that outlives it, wired to the
 * fakes, as {@code PollingKillRestartEndToEndTest} starts the polling runner: what SIGKILL can really stop.
 */
final class RunnerProcess {
    /** Generous: a loaded machine starting a JVM and PostgreSQL. Not a speed requirement. */
    private static final Duration START_PATIENCE = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final Process process;
    final int port;
    final Path log;

    private RunnerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Where it listens: Telegram's updates and Kie's callbacks (sent to its public address) reach it here. */
    String base() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Started and answering /readyz with 200, its webhook registered; started again on another port when the one it
     * was given (free when asked) was taken by the time it listened.
     *
     * @param number the how-many-th start on this DATA_DIR, naming its log and its instance
     */
    static RunnerProcess ready(E2eWorld world, Path dataDir, Map<String, String> extraEnv, int number)
            throws IOException {
        for (int attempt = 1; ; attempt++) {
            RunnerProcess r = start(world, dataDir, extraEnv, number, attempt);
            long deadline = System.nanoTime() + START_PATIENCE.toNanos();
            while (System.nanoTime() < deadline && r.process.isAlive()) {
                if (r.readyz() == 200 && world.telegram.webhookUrl().contains(":" + r.port)) {
                    return r;
                }
                E2eWorld.sleep(100);
            }
            String out = r.logText();
            r.process.destroyForcibly();
            if (attempt == 5 || !out.contains("cannot listen on port " + r.port + " ")) {
                throw new AssertionError("runner " + number + " not ready within " + START_PATIENCE + ":\n" + out);
            }
        }
    }

    private static RunnerProcess start(E2eWorld world, Path dataDir, Map<String, String> extraEnv, int number,
            int attempt) throws IOException {
        int port = E2eWorld.freePort();
        Path log = dataDir.resolve("runner-" + number + (attempt == 1 ? "" : "-" + attempt) + ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-Xss512k", "-cp", ShippedClassPath.of(),
                WebhookMain.class.getName()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> !List.of("PATH", "HOME", "USER", "LANG", "TMPDIR").contains(k));
        Map<String, String> wanted = new HashMap<>(Map.of("TELEGRAM_BOT_TOKEN", world.telegram.token(),
                "TELEGRAM_API_URL", world.telegram.apiUrl(), "KIE_API_KEY", E2eWorld.KIE_KEY,
                "KIE_BASE_URL", world.kie.baseUrl(), "KIE_UPLOAD_URL", world.kie.uploadUrl(),
                "DATA_DIR", dataDir.toString(), "DATABASE_POOL_SIZE", "8", "PORT", Integer.toString(port),
                "WELCOME_BALANCE_RUB", "10", "TELEGRAM_CHAT_INTERVAL_MS", "50"));
        wanted.put("WEBHOOK_BASE_URL", "http://127.0.0.1:" + port);
        wanted.put("INSTANCE_NAME", "child-" + number);
        wanted.putAll(extraEnv);
        env.putAll(wanted);
        return new RunnerProcess(pb.start(), port, log);
    }

    private int readyz() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/readyz")).timeout(Duration.ofSeconds(3))
                    .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGKILL: no shutdown hook runs, the embedded PostgreSQL is left running for the next start to find. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /**
     * The runner's own database, reached the way an operator's psql would (port from its pid file, password from the
     * file kept beside it).
     */
    static Database database(Path dataDir) throws IOException {
        Path cluster = dataDir.resolve("pg");
        List<String> pid = Files.readAllLines(cluster.resolve("postmaster.pid"), StandardCharsets.UTF_8);
        String url = "jdbc:postgresql://localhost:" + pid.get(3).trim() + "/postgres";
        String password = Files.readString(cluster.resolve("kiebot.password")).strip();
        return Database.connect(DatabaseSettings.external(url, "postgres", password).withPoolSize(2));
    }
}
