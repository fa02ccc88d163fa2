package dev.kiebot.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Command-line options ({@code --name=value}); {@link #USAGE} lists them with their defaults and limits.
 *
 * @param targets          the jars to measure, in order
 * @param java             the {@code java} binary that starts the child
 * @param jvmFlags         flags for the child JVM (none by default: the JVM's own defaults)
 * @param extraEnv         extra environment for the child, e.g. {@code TELEGRAM_GLOBAL_RATE=1000}
 * @param updates          N: updates in the burst, one per chat
 * @param bursts           how many bursts, one after the other: the first meets a bot that has just started
 *                         (its JIT still compiling), the later ones a warm bot
 * @param burstConnections concurrent webhook connections delivering the burst
 * @param loadConnections  concurrent webhook connections in the fixed-time load
 * @param sharedDatabase   the jar whose {@code EmbeddedDatabase serve} starts a server of its own the bot reaches
 *                         by {@code DATABASE_URL} (as on Render); empty: the bot's embedded database
 * @param rounds           how many times the whole sequence of targets runs, every other time in reverse order:
 *                         on a machine whose speed drifts, only many alternating runs make two jars comparable
 * @param targetFlags      more child JVM flags for the targets of a label, after {@link #jvmFlags}: an A/B of a
 *                         flag on one jar
 * @param soakMinutes      0, or the soak's length: the webhook runner under a steady mix instead of the other
 *                         phases ({@link Soak})
 * @param soakRate         the soak's updates per second
 * @param soakChats        the soak's returning chats
 */
record BenchOptions(List<Target> targets, Path java, List<String> jvmFlags, Map<String, String> extraEnv,
                    int updates, int bursts, int burstConnections, int loadConnections, Duration load,
                    Duration loadWarmup,
                    Duration idle, Duration settle, Duration maxWait, Duration readyTimeout, Duration stopGrace,
                    int stubDelayMillis, Set<Phase> skipped, Optional<Path> json, Optional<Path> workDir,
                    boolean keepData, Optional<Path> sharedDatabase, int rounds,
                    Map<String, List<String>> targetFlags, int soakMinutes, int soakRate, int soakChats) {

    static final String USAGE = """
            usage: java -jar bench/target/kiebot-bench.jar [--name=value ...]   (Linux only; run from the checkout)
              --runners=webhook,polling    runners to measure                                    (default both)
              --webhook-jar=[LABEL=]PATH   webhook jar; repeat to compare builds     (app-webhook/target/app-webhook.jar)
              --polling-jar=[LABEL=]PATH   polling jar; repeat to compare builds     (app-polling/target/app-polling.jar)
              --updates=N                  burst: N updates from N chats, 1..100000                     (600)
              --bursts=K                   bursts one after the other (new chats each), 1..10            (2)
              --burst-connections=C        webhook connections delivering the burst, 1..1000             (40)
              --max-wait-seconds=S         stop waiting for burst replies after S s, 1..3600              (300)
              --load-seconds=S             fixed-time webhook load, 1..3600                               (20)
              --load-warmup-seconds=S      unmeasured load before it, 0..600                               (3)
              --load-connections=C         connections of the fixed-time load, 1..1000                    (40)
              --idle-seconds=S             idle CPU window, 1..3600                                       (30)
              --settle-seconds=S           wait after ready before the idle window, 0..600                 (5)
              --ready-timeout-seconds=S    give up when /readyz is not 200 after S s, 1..3600             (180)
              --stop-grace-seconds=S       SIGTERM, then SIGKILL after S s, 1..600                         (20)
              --stub-delay-ms=MS           KIE_STUB_DELAY_MS of the child, 0..600000                       (50)
              --skip=idle,burst,restart,load   phases to leave out                                       (none)
              --jvm-flags="FLAGS"          flags of the child JVM, split at spaces                       (none)
              --target-flags=LABEL=FLAGS   more child JVM flags for the target labelled LABEL, after
                                           --jvm-flags; repeat                                           (none)
              --rounds=K                   run the targets K times, every other round in reverse order;
                                           the summary shows medians and each round's values, 1..20        (1)
              --env=NAME=VALUE             extra child environment; repeat     (e.g. TELEGRAM_GLOBAL_RATE=1000)
              --java=PATH                  java binary for the child                  (the one running this)
              --json=PATH                  also write the figures as JSON
              --work-dir=PATH              where data dirs and logs go                       (a new temp dir)
              --keep-data                  keep the data dirs (logs are always kept)
              --shared-database[=JAR]      the bot on a PostgreSQL server of its own, by DATABASE_URL, as on
                                           Render; JAR's EmbeddedDatabase serve starts it  (embedded database;
                                           JAR: app-polling/target/app-polling.jar)
              --soak-minutes=N             instead of the other phases: each runner of --runners for N minutes
                                           (one after the other) under a steady mix of returning chats (whole
                                           paid generations; polling: served by getUpdates), read every minute
                                           (memory, heap after GC, threads, fds, tables), 0..1440          (0)
              --soak-rate=R                the soak's updates per second, 1..1000; about one reply each, so
                                           above TELEGRAM_GLOBAL_RATE (30) the replies fall behind        (15)
              --soak-chats=C               the soak's returning chats, 1..100000                          (300)
            e.g. a JVM flag's A/B on one jar, 5 rounds (medians, each round, "s03 lower than base in n of 5"):
              --runners=webhook --rounds=5 --webhook-jar=base=app-webhook/target/app-webhook.jar
              --webhook-jar=s03=app-webhook/target/app-webhook.jar --target-flags=s03=-XX:CompileThresholdScaling=0.3
            """;

    static BenchOptions parse(String... args) {
        Map<String, List<String>> given = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new IllegalArgumentException("");
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
            given.computeIfAbsent(name, k -> new ArrayList<>()).add(eq < 0 ? "true" : arg.substring(eq + 1));
        }
        Reader r = new Reader(given);
        List<Target> targets = r.targets();
        BenchOptions o = new BenchOptions(targets, Path.of(r.text("java", defaultJava())),
                r.words("jvm-flags"), r.environment(), r.integer("updates", 600, 1, 100_000),
                r.integer("bursts", 2, 1, 10), r.integer("burst-connections", 40, 1, 1000),
                r.integer("load-connections", 40, 1, 1000),
                r.seconds("load-seconds", 20, 1, 3600), r.seconds("load-warmup-seconds", 3, 0, 600),
                r.seconds("idle-seconds", 30, 1, 3600), r.seconds("settle-seconds", 5, 0, 600),
                r.seconds("max-wait-seconds", 300, 1, 3600), r.seconds("ready-timeout-seconds", 180, 1, 3600),
                r.seconds("stop-grace-seconds", 20, 1, 600), r.integer("stub-delay-ms", 50, 0, 600_000),
                r.skipped(), r.optionalPath("json"), r.optionalPath("work-dir"), r.flag("keep-data"),
                r.optionalPath("shared-database").map(p -> p.toString().equals("true")
                        ? Path.of("app-polling/target/app-polling.jar") : p),
                r.integer("rounds", 1, 1, 20), r.targetFlags(targets), r.integer("soak-minutes", 0, 0, 1440),
                r.integer("soak-rate", 15, 1, 1000), r.integer("soak-chats", 300, 1, 100_000));
        r.rejectUnknown();
        return o;
    }

    /** The child JVM flags of one target: {@code --jvm-flags}, then its label's {@code --target-flags}. */
    List<String> jvmFlags(Target target) {
        List<String> flags = new ArrayList<>(jvmFlags);
        flags.addAll(targetFlags.getOrDefault(target.label(), List.of()));
        return List.copyOf(flags);
    }

    boolean runs(Phase phase) {
        return !soaks() && !skipped.contains(phase);
    }

    /** Whether this run is a soak ({@code --soak-minutes} above 0), which replaces the other phases. */
    boolean soaks() {
        return soakMinutes > 0;
    }

    private static String defaultJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Reads options by name, remembering which were used so that a misspelt one is an error. */
    private static final class Reader {
        private final Map<String, List<String>> given;
        private final Set<String> used = new java.util.HashSet<>();

        Reader(Map<String, List<String>> given) {
            this.given = given;
        }

        List<String> all(String name) {
            used.add(name);
            return given.getOrDefault(name, List.of());
        }

        String text(String name, String fallback) {
            List<String> v = all(name);
            return v.isEmpty() ? fallback : v.get(v.size() - 1);
        }

        int integer(String name, int fallback, int min, int max) {
            String v = text(name, String.valueOf(fallback));
            try {
                int n = Integer.parseInt(v.strip());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("--" + name + " must be a number from " + min + " to " + max
                    + ", got '" + v + "'");
        }

        Duration seconds(String name, int fallback, int min, int max) {
            return Duration.ofSeconds(integer(name, fallback, min, max));
        }

        boolean flag(String name) {
            return Boolean.parseBoolean(text(name, "false"));
        }

        Optional<Path> optionalPath(String name) {
            return Optional.of(text(name, "")).filter(s -> !s.isBlank()).map(Path::of);
        }

        List<String> words(String name) {
            String v = text(name, "").strip();
            return v.isEmpty() ? List.of() : List.of(v.split("\\s+"));
        }

        Map<String, String> environment() {
            Map<String, String> env = new LinkedHashMap<>();
            for (String pair : all("env")) {
                int eq = pair.indexOf('=');
                if (eq < 1 || !pair.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw new IllegalArgumentException("--env must be NAME=VALUE, got '" + pair + "'");
                }
                env.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            return Map.copyOf(env);
        }

        /** {@code LABEL=FLAGS} by label, split at the first '=' (flags have '=' of their own); a label no target
         * has is an error, as a misspelt one would otherwise measure the jar without the flag under test. */
        Map<String, List<String>> targetFlags(List<Target> targets) {
            Set<String> labels = new java.util.LinkedHashSet<>();
            targets.forEach(t -> labels.add(t.label()));
            Map<String, List<String>> flags = new LinkedHashMap<>();
            for (String pair : all("target-flags")) {
                int eq = pair.indexOf('=');
                if (eq < 1 || pair.substring(eq + 1).isBlank()) {
                    throw new IllegalArgumentException("--target-flags must be LABEL=FLAGS, got '" + pair + "'");
                }
                String label = pair.substring(0, eq);
                if (!labels.contains(label)) {
                    throw new IllegalArgumentException("--target-flags: no target is labelled '" + label
                            + "'; the labels are: " + String.join(", ", labels));
                }
                flags.computeIfAbsent(label, k -> new ArrayList<>())
                        .addAll(List.of(pair.substring(eq + 1).strip().split("\\s+")));
            }
            Map<String, List<String>> copy = new LinkedHashMap<>();
            flags.forEach((label, f) -> copy.put(label, List.copyOf(f)));
            return Collections.unmodifiableMap(copy);
        }

        Set<Phase> skipped() {
            Set<Phase> s = EnumSet.noneOf(Phase.class);
            for (String v : all("skip")) {
                Arrays.stream(v.split(",")).filter(p -> !p.isBlank()).map(Phase::parse).forEach(s::add);
            }
            return Collections.unmodifiableSet(s);
        }

        List<Target> targets() {
            List<Target> targets = new ArrayList<>();
            for (String name : text("runners", "webhook,polling").split(",")) {
                Runner runner = Runner.parse(name);
                List<String> jars = all(runner.key() + "-jar");
                if (jars.isEmpty()) {
                    targets.add(new Target(runner, "this checkout", runner.defaultJar()));
                }
                jars.forEach(j -> targets.add(Target.parse(runner, j)));
            }
            all("webhook-jar");
            all("polling-jar");
            return List.copyOf(targets);
        }

        void rejectUnknown() {
            for (String name : given.keySet()) {
                if (!used.contains(name)) {
                    throw new IllegalArgumentException("unknown option --" + name);
                }
            }
        }
    }
}
