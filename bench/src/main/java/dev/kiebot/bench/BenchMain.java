package dev.kiebot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code java -jar bench/target/kiebot-bench.jar [options]}: measures each runner jar in turn (see the
 * package documentation), prints one summary table with a column per jar, and optionally writes JSON.
 * Exit code 0 when every jar was measured, 1 when one failed to start or stop, 2 on bad options.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> BotProcess.stopAll(Duration.ofSeconds(5)), "stop-bots"));
        System.exit(run(options, List.of(args)));
    }

    static int run(BenchOptions options, List<String> arguments) throws InterruptedException {
        for (Target t : options.targets()) {
            if (!Files.isRegularFile(t.jar())) {
                System.err.println("no jar at " + t.jar().toAbsolutePath() + "; build first (from the checkout):\n"
                        + "  mvn -B -q -Pbench -pl bench -am package -DskipTests");
                return 2;
            }
        }
        Path work = workDir(options);
        Machine machine = Machine.describe(options.java());
        String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String loadBefore = Machine.loadAverage();
        System.out.println("kiebot whole-bot benchmark, " + date + "\n  machine: " + machine + "\n  load average: "
                + loadBefore + "\n  settings: " + describe(options) + "\n  work dir (logs): " + work);
        List<Figures> results = new ArrayList<>();
        boolean failed = false;
        for (int i = 0; i < options.targets().size(); i++) {
            Target target = options.targets().get(i);
            Path dir = work.resolve(target.directoryName(i));
            try {
                Files.createDirectories(dir);
                Figures figures = new RunnerScenario(target, options, dir).run();
                results.add(figures);
                failed |= figures.asMap().containsKey("error");
            } catch (IOException e) {
                System.out.println("[" + target.runner().key() + " " + target.label() + "] FAILED: " + e.getMessage());
                results.add(new Figures().put("target", target.label()).put("runner", target.runner().key())
                        .put("error", e.getMessage()));
                failed = true;
            } finally {
                BotProcess.stopAll(options.stopGrace());
                if (!options.keepData()) {
                    deleteTree(dir.resolve("data"));
                }
            }
        }
        printSummary(date, machine, loadBefore, options, results);
        writeJson(options, arguments, date, machine, loadBefore, results);
        return failed ? 1 : 0;
    }

    private static void printSummary(String date, Machine machine, String loadBefore, BenchOptions options,
                                     List<Figures> results) {
        StringBuilder sb = new StringBuilder("\n==== kiebot whole-bot benchmark: summary ====\n");
        sb.append("date: ").append(date).append("\nmachine: ").append(machine).append("\nload average: ")
                .append(loadBefore).append(" at start, ").append(Machine.loadAverage()).append(" at end\n")
                .append("settings: ").append(describe(options)).append("\n\n").append(Report.table(results))
                .append("\ndefinitions:\n");
        RunnerScenario.DEFINITIONS.forEach(d -> sb.append("  - ").append(d).append('\n'));
        System.out.print(sb);
    }

    private static void writeJson(BenchOptions options, List<String> arguments, String date, Machine machine,
                                  String loadBefore, List<Figures> results) {
        if (options.json().isEmpty()) {
            return;
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("date", date);
        doc.put("machine", machine.asMap());
        doc.put("load_average_start", loadBefore);
        doc.put("load_average_end", Machine.loadAverage());
        doc.put("arguments", arguments);
        doc.put("settings", describe(options));
        doc.put("definitions", RunnerScenario.DEFINITIONS);
        doc.put("results", results.stream().map(Figures::asMap).toList());
        try {
            Files.writeString(options.json().get(), Report.json(doc));
            System.out.println("figures written to " + options.json().get());
        } catch (IOException e) {
            System.err.println("cannot write " + options.json().get() + ": " + e.getMessage());
        }
    }

    /** The settings that shape the figures, in one line. */
    static String describe(BenchOptions o) {
        return "N=" + o.updates() + " updates from N chats over " + o.burstConnections()
                + " webhook connections, max wait " + o.maxWait().toSeconds() + " s; load " + o.load().toSeconds()
                + " s after " + o.loadWarmup().toSeconds() + " s warm-up at " + o.loadConnections()
                + " connections; idle " + o.idle().toSeconds() + " s after " + o.settle().toSeconds()
                + " s settle; KIE_STUB_DELAY_MS=" + o.stubDelayMillis() + "; child JVM flags: "
                + (o.jvmFlags().isEmpty() ? "(none)" : String.join(" ", o.jvmFlags())) + "; extra env: "
                + (o.extraEnv().isEmpty() ? "(none)" : o.extraEnv()) + (o.skipped().isEmpty() ? ""
                : "; skipped: " + o.skipped());
    }

    private static Path workDir(BenchOptions options) {
        try {
            Path dir = options.workDir().isPresent() ? Files.createDirectories(options.workDir().get())
                    : Files.createTempDirectory("kiebot-bench-");
            return dir.toAbsolutePath();
        } catch (IOException e) {
            throw new BenchFailure("cannot create the work dir: " + e.getMessage());
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e.getMessage());
        }
    }
}
