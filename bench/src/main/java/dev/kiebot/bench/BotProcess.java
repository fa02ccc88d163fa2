package dev.kiebot.bench;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A runner jar started as a child process ({@code java [flags] -jar <jar>}) with a clean environment, its
 * output in a log file, and its process tree measured. {@link #stop} ends the whole tree, the embedded
 * postmaster included; {@link #stopAll} does so for every live child (Ctrl-C, failures).
 */
final class BotProcess {
    /** The only variables taken from the benchmark's own environment; everything else is set explicitly. */
    private static final List<String> INHERITED = List.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TZ",
            "TMPDIR");
    private static final Duration METER_INTERVAL = Duration.ofMillis(500);
    private static final Duration READY_POLL = Duration.ofMillis(20);
    private static final Duration LEFTOVER_GRACE = Duration.ofSeconds(10);
    private static final Set<BotProcess> LIVE = ConcurrentHashMap.newKeySet();

    /** How to start one child; {@code treeMarker} is on the command line of its database's processes. */
    record Launch(Path java, List<String> jvmFlags, Path jar, Map<String, String> environment, String treeMarker,
                  Path log, int port) {
    }

    private final Process process;
    private final long startNanos;
    private final TreeMeter meter;
    private final Launch launch;
    private boolean stopped;

    private BotProcess(Process process, long startNanos, Launch launch) {
        this.process = process;
        this.startNanos = startNanos;
        this.launch = launch;
        this.meter = new TreeMeter(new ProcessTree(process.pid(), launch.treeMarker()),
                METER_INTERVAL);
    }

    static BotProcess start(Launch launch) {
        List<String> command = new ArrayList<>();
        command.add(launch.java().toString());
        command.addAll(launch.jvmFlags());
        command.add("-jar");
        command.add(launch.jar().toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(launch.log().toFile()));
        builder.environment().keySet().retainAll(INHERITED);
        builder.environment().putAll(launch.environment());
        long start = System.nanoTime();
        try {
            BotProcess bot = new BotProcess(builder.start(), start, launch);
            LIVE.add(bot);
            return bot;
        } catch (IOException e) {
            throw new BenchFailure("cannot start " + command + ": " + e.getMessage());
        }
    }

    /**
     * Makes {@code jar}'s own migrated template of the embedded database ({@code EmbeddedDatabase unpack}: kept while
     * it is this build's, made anew and the other build's removed otherwise), outside any measured window. The cache
     * keeps one template, so of two builds whose migrations differ only the one made last started from it and the
     * other ran {@code initdb}: that side's burst cost 0.35-0.5 CPU-s per 1,000 less, whatever its code (BENCHMARKS,
     * section 51). Made before every fresh start, both sides of an A/B start alike.
     *
     * @return whether the jar made or kept its template (a build from before templates has no such command)
     */
    static boolean ownTemplate(Path java, Path jar, Map<String, String> environment, Path log, Duration timeout)
            throws InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", jar.toAbsolutePath().toString(),
                "dev.kiebot.postgres.EmbeddedDatabase", "unpack").redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(log.toFile()));
        builder.environment().keySet().retainAll(INHERITED);
        builder.environment().putAll(environment);
        try {
            Process p = builder.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Time from process start until {@code /readyz} first answered 200. */
    Duration awaitReady(Duration timeout) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest readyz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + launch.port() + "/readyz"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        while (true) {
            if (!process.isAlive()) {
                throw new BenchFailure("the bot exited with code " + process.exitValue() + " before it was ready; see "
                        + launch.log());
            }
            try {
                if (client.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - startNanos);
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() - startNanos > timeout.toNanos()) {
                throw new BenchFailure("the bot was not ready after " + timeout.toSeconds() + " s; see " + launch.log());
            }
            Thread.sleep(READY_POLL.toMillis());
        }
    }

    /** The child JVM's process id. */
    long pid() {
        return process.pid();
    }

    TreeMeter meter() {
        return meter;
    }

    int port() {
        return launch.port();
    }

    /**
     * SIGTERM (the runner's shutdown hook stops its work and the embedded PostgreSQL), SIGKILL after
     * {@code grace}; then whatever is left of the tree (a postmaster after a SIGKILL): SIGTERM, SIGKILL.
     */
    synchronized void stop(Duration grace) throws InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        Set<ProcessHandle> tree = handles(meter.tree().pids());
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            System.out.println("  the bot did not stop within " + grace.toSeconds() + " s of SIGTERM: SIGKILL");
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        tree.addAll(handles(meter.tree().pids()));
        tree.forEach(ProcessHandle::destroy);
        if (!awaitGone(tree, LEFTOVER_GRACE)) {
            tree.forEach(ProcessHandle::destroyForcibly);
            awaitGone(tree, LEFTOVER_GRACE);
        }
        meter.close();
        LIVE.remove(this);
    }


    /** For a shutdown hook: stops every child still running. */
    static void stopAll(Duration grace) {
        for (BotProcess bot : List.copyOf(LIVE)) {
            try {
                bot.stop(grace);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Set<ProcessHandle> handles(List<Long> pids) {
        Set<ProcessHandle> handles = new LinkedHashSet<>();
        pids.stream().map(ProcessHandle::of).flatMap(Optional::stream).forEach(handles::add);
        return handles;
    }

    private static boolean awaitGone(Set<ProcessHandle> handles, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (handles.stream().anyMatch(ProcessHandle::isAlive)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }
}
