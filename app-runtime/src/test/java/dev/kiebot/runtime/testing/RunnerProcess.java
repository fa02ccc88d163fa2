package dev.kiebot.runtime.testing;

import dev.kiebot.postgres.Database;
import dev.kiebot.postgres.DatabaseSettings;
import dev.kiebot.postgres.EmbeddedDatabase;
import dev.kiebot.testing.ShippedClassPath;
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
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * A runner in a JVM of its own (the Docker image's options) on a DATA_DIR that outlives it, wired to the fakes of an
 * {@link E2eWorld}: what SIGKILL can really stop, the embedded PostgreSQL left running for the next start to find.
 * The kill tests of both runners start theirs here ({@code PollingKillRestartEndToEndTest}, the webhook runner's
 * opt-in {@code KillAtAnyMomentTest}).
 *
 * @param took from its start to answering /readyz with 200
 */
public record RunnerProcess(Process process, int port, Path log, Duration took) {
    /** Generous: a loaded CI machine starting a JVM and PostgreSQL. Not a speed requirement. */
    private static final Duration START_PATIENCE = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * Which runner a child runs and how it is told apart from another process that may have taken its port.
     *
     * @param main    the runner's main class (this module cannot name it)
     * @param portEnv what its environment adds for the port it is given
     * @param own     the sign, beside /readyz answering 200 there, that the process on its port is this one
     */
    public record Kind(Class<?> main, IntFunction<Map<String, String>> portEnv, OwnSign own) {
        /** The webhook runner: its public address is where it listens; it is this one once its webhook names it. */
        public static Kind webhook(Class<?> main) {
            return new Kind(main, port -> Map.of("WEBHOOK_BASE_URL", "http://127.0.0.1:" + port),
                    (world, port, log) -> world.telegram.webhookUrl().contains(":" + port));
        }

        /** The polling runner: it is this one once its own start line says its health server listens there. */
        public static Kind polling(Class<?> main) {
            return new Kind(main, port -> Map.of(),
                    (world, port, log) -> log.contains("/readyz and /metrics on port " + port + ";"));
        }
    }

    /** See {@link Kind#own}. */
    @FunctionalInterface
    public interface OwnSign {
        boolean shown(E2eWorld world, int port, String log);
    }

    /**
     * Started and answering /readyz with 200 as {@code kind} says it does; started again on another port when the
     * one it was given, free when asked but bound seconds later (after the JVM and PostgreSQL have started), was
     * taken by another process of the build by then. A start that was not ready is killed.
     *
     * @param extraEnv the test's own settings, over the ones every child has
     * @param number   the how-many-th start on this DATA_DIR, naming its log and its instance
     */
    public static RunnerProcess ready(Kind kind, E2eWorld world, Path dataDir, Map<String, String> extraEnv,
            int number) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            int port = E2eWorld.freePort();
            Path log = dataDir.resolve("runner-" + number + (attempt == 1 ? "" : "-" + attempt) + ".log");
            long t0 = System.nanoTime();
            Process process = start(kind, world, dataDir, extraEnv, number, port, log);
            long deadline = t0 + START_PATIENCE.toNanos();
            while (System.nanoTime() < deadline && process.isAlive()) {
                if (kind.own().shown(world, port, readLog(log)) && readyz(port) == 200) {
                    return new RunnerProcess(process, port, log, Duration.ofNanos(System.nanoTime() - t0));
                }
                E2eWorld.sleep(50);
            }
            String out = readLog(log);
            String why = process.isAlive() ? "not ready within " + START_PATIENCE : "exited";
            process.destroyForcibly().waitFor();
            if (attempt == 5 || !out.contains("cannot listen on port " + port + " ")) {
                throw new AssertionError("runner " + number + " " + why + ":\n" + out);
            }
        }
    }

    private static Process start(Kind kind, E2eWorld world, Path dataDir, Map<String, String> extraEnv, int number,
            int port, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-Xss512k", "-cp", ShippedClassPath.of(), kind.main().getName())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> !List.of("PATH", "HOME", "USER", "LANG", "TMPDIR").contains(k));
        Map<String, String> wanted = new HashMap<>(Map.of("TELEGRAM_BOT_TOKEN", world.telegram.token(),
                "TELEGRAM_API_URL", world.telegram.apiUrl(), "KIE_API_KEY", E2eWorld.KIE_KEY,
                "KIE_BASE_URL", world.kie.baseUrl(), "KIE_UPLOAD_URL", world.kie.uploadUrl(),
                "DATA_DIR", dataDir.toString(), "DATABASE_POOL_SIZE", "8", "PORT", Integer.toString(port),
                "WELCOME_BALANCE_RUB", "10", "TELEGRAM_CHAT_INTERVAL_MS", "50"));
        wanted.putAll(kind.portEnv().apply(port));
        wanted.put("INSTANCE_NAME", "child-" + number);
        wanted.putAll(extraEnv);
        env.putAll(wanted);
        return pb.start();
    }

    private static int readyz(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return 0; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static String readLog(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Where it listens: Telegram's updates and Kie's callbacks (sent to its public address) reach it here. */
    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public String logText() {
        return readLog(log);
    }

    /** SIGKILL: no shutdown hook runs, the embedded PostgreSQL is left running for the next start to find. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /**
     * Kills what is left of {@code runners} and stops the server a killed one left running on {@code dataDir} (a
     * start on the directory clears it): a failed test leaves no process behind.
     */
    public static void stopAll(List<RunnerProcess> runners, Path dataDir) throws InterruptedException {
        for (RunnerProcess r : runners) {
            r.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (Files.exists(dataDir.resolve("pg").resolve("postmaster.pid"))) {
            EmbeddedDatabase.startIn(dataDir.resolve("pg"), true).close();
        }
    }

    /** The log of every start on {@code dataDir}, those not ready included (another port was tried). */
    public static List<Path> logsIn(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            return files.filter(f -> f.getFileName().toString().matches("runner-.*\\.log")).sorted().toList();
        }
    }

    /**
     * The runner's own database, reached the way an operator's psql would (port from its pid file, password from the
     * file kept beside it).
     */
    public static Database database(Path dataDir) throws IOException {
        Path cluster = dataDir.resolve("pg");
        List<String> pid = Files.readAllLines(cluster.resolve("postmaster.pid"), StandardCharsets.UTF_8);
        String url = "jdbc:postgresql://localhost:" + pid.get(3).trim() + "/postgres";
        String password = Files.readString(cluster.resolve("kiebot.password")).strip();
        return Database.connect(DatabaseSettings.external(url, "postgres", password).withPoolSize(2));
    }
}
