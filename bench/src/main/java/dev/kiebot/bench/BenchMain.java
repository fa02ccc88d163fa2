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
 * package documentation), prints one summary table with a column per jar, and optionally writes JSON. With
 * {@code --rounds=K} the whole sequence runs K times in alternating order ({@link Rounds}) and the table shows the
 * {@link Median} of the rounds, then each round's values.
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
        List<Target> targets = options.targets();
        List<List<Figures>> byTarget = new ArrayList<>();
        targets.forEach(t -> byTarget.add(new ArrayList<>()));
        boolean failed = false;
        for (int round = 1; round <= options.rounds(); round++) {
            List<Integer> order = Rounds.order(targets.size(), round);
            if (options.rounds() > 1) {
                System.out.println("==== round " + round + " of " + options.rounds() + ": " + String.join(", ",
                        order.stream().map(i -> targets.get(i).runner().key() + " " + targets.get(i).label())
                                .toList()) + " ====");
            }
            for (int i : order) {
                Figures figures = measure(targets.get(i), i, round, options, work);
                byTarget.get(i).add(figures);
                failed |= figures.asMap().containsKey("error");
            }
        }
        printSummary(date, machine, loadBefore, options, byTarget);
        writeJson(options, arguments, date, machine, loadBefore, byTarget);
        return failed ? 1 : 0;
    }

    /** One fresh run of one target, as without rounds: its own work dir, every process stopped after it. */
    private static Figures measure(Target target, int index, int round, BenchOptions options, Path work)
            throws InterruptedException {
        Path dir = options.rounds() == 1 ? work.resolve(target.directoryName(index))
                : work.resolve("round" + round).resolve(target.directoryName(index));
        try {
            Files.createDirectories(dir);
            return new RunnerScenario(target, options, dir, round).run();
        } catch (IOException e) {
            System.out.println(RunnerScenario.tag(target, round, options.rounds()) + " FAILED: " + e.getMessage());
            return new Figures().put("target", target.label()).put("runner", target.runner().key())
                    .put("error", e.getMessage());
        } finally {
            BotProcess.stopAll(options.stopGrace());
            if (!options.keepData()) {
                deleteTree(dir.resolve("data"));
            }
        }
    }

    private static void printSummary(String date, Machine machine, String loadBefore, BenchOptions options,
                                     List<List<Figures>> byTarget) {
        StringBuilder sb = new StringBuilder("\n==== kiebot whole-bot benchmark: summary ====\n");
        sb.append("date: ").append(date).append("\nmachine: ").append(machine).append("\nload average: ")
                .append(loadBefore).append(" at start, ").append(Machine.loadAverage()).append(" at end\n")
                .append("settings: ").append(describe(options)).append("\n\n").append(tables(options, byTarget))
                .append("\ndefinitions:\n");
        definitions(options).forEach(d -> sb.append("  - ").append(d).append('\n'));
        System.out.print(sb);
    }

    /**
     * The figures: one run per target, its table as always; with rounds, the medians' table, each round's values,
     * and for two targets of one runner the rounds-paired count of the key figures.
     */
    static String tables(BenchOptions options, List<List<Figures>> byTarget) {
        int rounds = options.rounds();
        if (rounds == 1) {
            return Report.table(byTarget.stream().map(r -> r.get(0)).toList());
        }
        StringBuilder sb = new StringBuilder("median over ").append(rounds)
                .append(" rounds (text: the first round's):\n").append(Report.table(medians(byTarget)))
                .append("\neach round, 1 to ").append(rounds)
                .append(" (even rounds ran the targets in reverse order):\n").append(Report.roundsTable(byTarget));
        comparisons(options, byTarget).forEach(line -> sb.append(line).append('\n'));
        return sb.toString();
    }

    private static List<Figures> medians(List<List<Figures>> byTarget) {
        return byTarget.stream().map(Median::of).toList();
    }

    /** "B lower than A in n of K rounds" for the key figures, when {@link Comparison#applies}. */
    private static List<String> comparisons(BenchOptions options, List<List<Figures>> byTarget) {
        if (!Comparison.applies(options.targets(), options.rounds())) {
            return List.of();
        }
        String a = options.targets().get(0).label();
        String b = options.targets().get(1).label();
        List<String> lines = new ArrayList<>();
        lines.add("\nkey figures, round i of " + b + " against round i of " + a + ":");
        Comparison.of(byTarget.get(0), byTarget.get(1)).forEach(c -> lines.add("  " + c.line(a, b)));
        return lines;
    }

    private static List<String> definitions(BenchOptions options) {
        if (options.soaks()) {
            List<String> d = new ArrayList<>(RunnerScenario.DEFINITIONS.subList(0, 2));
            d.addAll(Soak.definitions());
            return d;
        }
        if (options.rounds() == 1) {
            return RunnerScenario.DEFINITIONS;
        }
        List<String> d = new ArrayList<>(RunnerScenario.DEFINITIONS);
        d.add("rounds: every target ran once per round, each run a fresh start; the targets in the given order in "
                + "odd rounds, reversed in even ones; median = the middle of the rounds' values (the mean of the two "
                + "middle ones for an even count; n/a counts as the largest value)");
        if (Comparison.applies(options.targets(), options.rounds())) {
            d.add(Comparison.DEFINITION);
        }
        return d;
    }

    private static void writeJson(BenchOptions options, List<String> arguments, String date, Machine machine,
                                  String loadBefore, List<List<Figures>> byTarget) {
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
        doc.put("definitions", definitions(options));
        if (options.rounds() == 1) {
            doc.put("results", byTarget.stream().map(r -> r.get(0).asMap()).toList());
        } else {
            doc.put("rounds", options.rounds());
            doc.put("results", medians(byTarget).stream().map(Figures::asMap).toList());
            doc.put("results_by_round", roundsForJson(options, byTarget));
            if (Comparison.applies(options.targets(), options.rounds())) {
                doc.put("comparison", Comparison.of(byTarget.get(0), byTarget.get(1)).stream()
                        .map(Comparison::asMap).toList());
            }
        }
        try {
            Files.writeString(options.json().get(), Report.json(doc));
            System.out.println("figures written to " + options.json().get());
        } catch (IOException e) {
            System.err.println("cannot write " + options.json().get() + ": " + e.getMessage());
        }
    }

    /** Per round: the order the targets ran in and their figures (in the targets' given order). */
    private static List<Map<String, Object>> roundsForJson(BenchOptions options, List<List<Figures>> byTarget) {
        List<Map<String, Object>> rounds = new ArrayList<>();
        for (int r = 1; r <= options.rounds(); r++) {
            int round = r;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("round", round);
            m.put("order", Rounds.order(byTarget.size(), round).stream().map(options.targets()::get)
                    .map(t -> t.runner().key() + " " + t.label()).toList());
            m.put("results", byTarget.stream().map(t -> t.get(round - 1).asMap()).toList());
            rounds.add(m);
        }
        return rounds;
    }

    /** The settings that shape the figures, in one line. */
    static String describe(BenchOptions o) {
        if (o.soaks()) {
            return "soak " + o.soakMinutes() + " min at " + o.soakRate() + " updates/s from " + o.soakChats()
                    + " returning chats; KIE_STUB_DELAY_MS=" + o.stubDelayMillis() + "; child JVM flags: "
                    + (o.jvmFlags().isEmpty() ? "(none)" : String.join(" ", o.jvmFlags())) + "; extra env: "
                    + (o.extraEnv().isEmpty() ? "(none)" : o.extraEnv());
        }
        return "N=" + o.updates() + " updates from N chats over " + o.burstConnections()
                + " webhook connections, max wait " + o.maxWait().toSeconds() + " s; load " + o.load().toSeconds()
                + " s after " + o.loadWarmup().toSeconds() + " s warm-up at " + o.loadConnections()
                + " connections; idle " + o.idle().toSeconds() + " s after " + o.settle().toSeconds()
                + " s settle; KIE_STUB_DELAY_MS=" + o.stubDelayMillis() + "; child JVM flags: "
                + (o.jvmFlags().isEmpty() ? "(none)" : String.join(" ", o.jvmFlags())) + "; extra env: "
                + (o.extraEnv().isEmpty() ? "(none)" : o.extraEnv()) + (o.skipped().isEmpty() ? ""
                : "; skipped: " + o.skipped()) + (o.targetFlags().isEmpty() ? "" : "; target flags: "
                + targetFlags(o)) + (o.rounds() == 1 ? "" : "; " + o.rounds() + " rounds, alternating order");
    }

    /** {@code s03: -XX:CompileThresholdScaling=0.3, other: ...} */
    private static String targetFlags(BenchOptions o) {
        return String.join(", ", o.targetFlags().entrySet().stream()
                .map(e -> e.getKey() + ": " + String.join(" ", e.getValue())).toList());
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
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                if (!p.toFile().delete() && Files.exists(p)) {
                    System.err.println("could not delete " + p);
                }
            });
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e.getMessage());
        }
    }
}
