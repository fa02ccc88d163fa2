package dev.kiebot.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Measures one runner jar: a first life on a fresh data dir (ready time, idle, burst), then a second life on
 * the same data dir (ready time after a restart, then the fixed-time load for the webhook runner). The load
 * runs last because it leaves a backlog the bot works on long after; the burst runs on a bot that has been
 * idle, like a crowd arriving.
 */
final class RunnerScenario {
    /** How each figure is taken; printed with the results. */
    static final List<String> DEFINITIONS = List.of(
            "ready_*_s: child process start until GET /readyz first answers 200 (polled every 20 ms); start_cpu_s: "
                    + "CPU of the tree until then",
            "CPU: utime+stime of every process of the tree (the child JVM, its descendants, the embedded postmaster "
                    + "found by its data dir on the command line, and its backends) plus the times of the members "
                    + "they reaped, from /proc; _jvm_ = the child JVM alone",
            "database: embedded = the bot's own PostgreSQL (the default); shared = --shared-database, a server "
                    + "started apart and reached by DATABASE_URL, whose postgres processes count in the tree (its "
                    + "start is not in ready_fresh_s)",
            "idle_cpu_pct_core: CPU over the idle window as % of one core, after the settle time, nothing sent",
            "RSS = sum of VmRSS over the tree (shared pages counted in every process); PSS = sum of Pss from "
                    + "smaps_rollup (shared pages, e.g. PostgreSQL's shared buffers, split between the sharers); "
                    + "RSS distinct = the tree's resident pages with every physical page counted once, however many "
                    + "members map it (from /proc/[pid]/pagemap; needs root, else NaN): the memory the tree keeps "
                    + "resident; peaks are sampled every 500 ms",
            "idle_rss_mb, idle_rss_distinct_mb, idle_processes: at the end of the idle window; *_mean_*, "
                    + "idle_processes_mean: the mean of the samples over the window (every 500 ms), max: their "
                    + "highest: an idle bot's pooled database connection lives about two seconds a minute, so a "
                    + "window of 60 s or more holds one beat of its looks",
            "burst: " + ChatAnswers.DEFINITION,
            "burst2_* (burst3_*, ...): the same burst again from N new chats as soon as the one before was "
                    + "answered: a warm bot (the first burst also pays the JIT compiling the code it runs)",
            "burst_intake_s: until every update was accepted (webhook: answered 200) or confirmed by a getUpdates "
                    + "offset (polling); burst_cpu_s_per_1000: CPU from handing over the first update until the "
                    + "last reply (or max wait), per 1,000 replied chats; p50/p99 are over all N chats (n/a when "
                    + "that many were not replied to)",
            "load: distinct /start updates from distinct chats on fixed connections after an unmeasured warm-up; "
                    + "accepted = answered 200; latency = one POST from send to response; nearest-rank "
                    + "percentiles; load_cpu_pct_core = tree CPU over the load as % of one core");

    private static final long BURST_FIRST_CHAT = 100_000_001L;
    private static final long BURST_FIRST_UPDATE = 1_000_001L;
    private static final long LOAD_FIRST_CHAT = 500_000_001L;
    private static final long LOAD_FIRST_UPDATE = 100_000_001L;
    /** Making a build's database template: migrations on a fresh cluster, a few seconds on this machine. */
    private static final Duration TEMPLATE_TIMEOUT = Duration.ofMinutes(2);

    private final Target target;
    private final BenchOptions options;
    private final Path dir;
    private final int round;
    private final Figures figures = new Figures();
    private final AtomicLong loadSeq = new AtomicLong();
    /** The database server of {@code --shared-database}, for the whole scenario (it outlives a bot's restart). */
    private Optional<SharedServer> server = Optional.empty();

    /** {@code round}: which of {@code --rounds} this is (from 1), for the progress lines. */
    RunnerScenario(Target target, BenchOptions options, Path dir, int round) {
        this.target = target;
        this.options = options;
        this.dir = dir;
        this.round = round;
    }

    /** The start of a progress line: {@code [webhook before]}, with {@code round 2/5} when there are rounds. */
    static String tag(Target target, int round, int rounds) {
        return "[" + (rounds > 1 ? "round " + round + "/" + rounds + " " : "") + target.runner().key() + " "
                + target.label() + "]";
    }

    /** The figures taken; with an {@code error} entry when the bot could not be measured to the end. */
    Figures run() throws InterruptedException {
        figures.put("target", target.label()).put("runner", target.runner().key()).put("jar", target.jar().toString())
                .put("database", options.sharedDatabase().isPresent() ? "shared" : "embedded")
                .put("load_avg_before", Machine.loadAverage());
        long benchTicks = ProcessTree.ownCpuTicks();
        try (FakeBotApi api = FakeBotApi.start()) {
            if (options.sharedDatabase().isPresent()) {
                server = Optional.of(SharedServer.start(options.java(), options.sharedDatabase().get(),
                        dir.resolve("server"), dir.resolve("server.log")));
            }
            firstLife(api);
            if (options.runs(Phase.RESTART) || loads()) {
                secondLife(api);
            }
            log("Bot API calls the bot made: %s", api.callsByMethod());
        } catch (BenchFailure e) {
            log("FAILED: %s", e.getMessage());
            figures.put("error", e.getMessage());
        } finally {
            if (server.isPresent()) {
                server.get().close();
            }
        }
        figures.put("bench_cpu_s", (ProcessTree.ownCpuTicks() - benchTicks) / (double) ProcessTree.CLOCK_TICKS_PER_SECOND);
        figures.put("load_avg_after", Machine.loadAverage());
        return figures;
    }

    private void firstLife(FakeBotApi api) throws InterruptedException {
        if (server.isEmpty()) {
            long from = System.nanoTime();
            boolean made = BotProcess.ownTemplate(options.java(), target.jar(), options.extraEnv(),
                    dir.resolve("template.log"), TEMPLATE_TIMEOUT);
            log(made ? "this build's database template ready in %.2f s (outside the measured window)"
                    : "no database template of this build (%.2f s; see template.log): it starts with initdb, which "
                    + "makes its first burst cheaper than a side that starts from a template (BENCHMARKS, section 51)",
                    (System.nanoTime() - from) / 1e9);
        }
        BotProcess bot = start(api, "fresh data dir");
        try {
            Duration ready = bot.awaitReady(options.readyTimeout());
            TreeSample atReady = bot.meter().now();
            figures.put("ready_fresh_s", seconds(ready)).put("start_cpu_s", atReady.cpuSeconds());
            log("ready after %.2f s on a fresh data dir (%d processes)", seconds(ready), atReady.processes());
            if (options.runs(Phase.IDLE)) {
                idle(bot);
            }
            if (options.runs(Phase.BURST)) {
                for (int i = 0; i < options.bursts(); i++) {
                    burst(bot, api, i);
                }
            }
            if (options.soaks()) {
                SoakIntake intake = target.runner() == Runner.POLLING ? SoakIntake.polling(api.updates())
                        : SoakIntake.webhook(WebhookEndpoint.onLocalPort(bot.port()));
                new Soak(options, api, bot, intake, dir.resolve("data").toAbsolutePath(), line -> log("%s", line))
                        .run(figures);
            }
        } finally {
            bot.stop(options.stopGrace());
        }
    }

    private void secondLife(FakeBotApi api) throws InterruptedException {
        BotProcess bot = start(api, "restart on the same data dir");
        try {
            Duration ready = bot.awaitReady(options.readyTimeout());
            figures.put("ready_restart_s", seconds(ready));
            log("ready after %.2f s on the existing data dir", seconds(ready));
            if (loads()) {
                load(bot);
            }
        } finally {
            bot.stop(options.stopGrace());
        }
    }

    private void idle(BotProcess bot) throws InterruptedException {
        Thread.sleep(options.settle().toMillis());
        bot.meter().resetPeak();
        TreeSample from = bot.meter().now();
        Thread.sleep(options.idle().toMillis());
        TreeSample to = bot.meter().now();
        TreeMeter.Mean mean = bot.meter().mean();
        TreeMeter.Peak peak = bot.meter().peak();
        figures.put("idle_s", to.secondsSince(from))
                .put("idle_cpu_pct_core", 100 * to.cpuSecondsSince(from) / to.secondsSince(from))
                .putMb("idle_rss_mb", to.rssKb()).putMb("idle_pss_mb", to.pssKb())
                .putMb("idle_rss_distinct_mb", to.distinctKb()).put("idle_processes", to.processes())
                .putMb("idle_rss_mean_mb", Math.round(mean.rssKb()))
                .putMb("idle_rss_distinct_mean_mb", Math.round(mean.distinctKb()))
                .put("idle_processes_mean", mean.processes()).putMb("idle_rss_max_mb", peak.rssKb());
        log("idle: %.1f %% of a core over %.0f s; RSS %d MiB", 100 * to.cpuSecondsSince(from) / to.secondsSince(from),
                to.secondsSince(from), to.rssKb() / 1024);
    }

    /** The {@code index}-th burst (from 0): N new updates from N chats no earlier burst used. */
    private void burst(BotProcess bot, FakeBotApi api, int index) throws InterruptedException {
        int n = options.updates();
        long firstUpdate = BURST_FIRST_UPDATE + (long) index * n;
        long firstChat = BURST_FIRST_CHAT + (long) index * n;
        List<Long> ids = new ArrayList<>(n);
        List<String> updates = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(firstUpdate + i);
            updates.add(BenchUpdates.burst(firstUpdate + i, firstChat + i, i));
        }
        String name = index == 0 ? "burst" : "burst" + (index + 1);
        ChatAnswers answers = api.answers();
        answers.track(firstChat, n);
        bot.meter().resetPeak();
        TreeSample before = bot.meter().now();
        long start = System.nanoTime();
        OptionalLong intakeDone = handOver(bot, api, ids, updates, name);
        answers.awaitAllReplied(start + options.maxWait().toNanos());
        TreeSample after = bot.meter().now();
        if (intakeDone.isEmpty() && target.runner() == Runner.POLLING) {
            intakeDone = api.updates().drainedAtNanos();
        }
        recordBurst(name, n, answers.replySeconds(start), answers.acknowledgeSeconds(start), before, after,
                intakeDone.isPresent() ? (intakeDone.getAsLong() - start) / 1e9 : Double.NaN);
        TreeMeter.Peak peak = bot.meter().peak();
        figures.putMb(name + "_peak_rss_mb", peak.rssKb()).putMb(name + "_peak_pss_mb", peak.pssKb())
                .putMb(name + "_peak_rss_distinct_mb", peak.distinctKb());
    }

    /** Gives the burst to the bot; returns when the last update was accepted, if known already. */
    private OptionalLong handOver(BotProcess bot, FakeBotApi api, List<Long> ids, List<String> updates,
                                  String name) throws InterruptedException {
        if (target.runner() == Runner.POLLING) {
            api.updates().addAll(ids, updates);
            return OptionalLong.empty();
        }
        WebhookLoad.Delivery d = new WebhookLoad(WebhookEndpoint.onLocalPort(bot.port()))
                .deliverAll(updates, options.burstConnections());
        if (d.failed() > 0) {
            figures.put(name + "_not_accepted", d.failed());
        }
        return d.failed() == 0 ? OptionalLong.of(d.lastAcceptedNanos()) : OptionalLong.empty();
    }

    private void recordBurst(String name, int n, double[] replies, double[] acks, TreeSample before,
                             TreeSample after, double intakeSeconds) {
        double cpu = after.cpuSecondsSince(before);
        figures.put(name + "_updates", n).put(name + "_replied", replies.length)
                .put(name + "_intake_s", intakeSeconds)
                .put(name + "_all_acknowledged_s", nthOrNaN(acks, n, 100))
                .put(name + "_reply_p50_s", nthOrNaN(replies, n, 50))
                .put(name + "_reply_p99_s", nthOrNaN(replies, n, 99))
                .put(name + "_all_replied_s", nthOrNaN(replies, n, 100))
                .put(name + "_cpu_window_s", after.secondsSince(before)).put(name + "_cpu_s", cpu)
                .put(name + "_cpu_jvm_s", after.rootCpuSecondsSince(before))
                .put(name + "_cpu_s_per_1000", replies.length == 0 ? Double.NaN : cpu / replies.length * 1000);
        log("%s: %d of %d chats replied, the last after %.2f s; %.1f CPU-s (%.1f per 1,000)", name, replies.length,
                n, replies.length == 0 ? Double.NaN : replies[replies.length - 1], cpu,
                cpu / Math.max(1, replies.length) * 1000);
    }

    /** The nearest-rank p-th percentile over all {@code n} chats; NaN when that chat was not answered. */
    private static double nthOrNaN(double[] sortedSeconds, int n, double p) {
        int rank = Latencies.rank(p, n);
        return rank < sortedSeconds.length ? sortedSeconds[rank] : Double.NaN;
    }

    private void load(BotProcess bot) throws InterruptedException {
        WebhookLoad load = new WebhookLoad(WebhookEndpoint.onLocalPort(bot.port()));
        Supplier<String> next = () -> {
            long seq = loadSeq.getAndIncrement();
            return BenchUpdates.start(LOAD_FIRST_UPDATE + seq, LOAD_FIRST_CHAT + seq);
        };
        if (!options.loadWarmup().isZero()) {
            load.runFor(options.loadWarmup(), options.loadConnections(), next);
        }
        bot.meter().resetPeak();
        TreeSample before = bot.meter().now();
        WebhookLoad.Load r = load.runFor(options.load(), options.loadConnections(), next);
        TreeSample after = bot.meter().now();
        TreeMeter.Peak peak = bot.meter().peak();
        figures.put("load_connections", options.loadConnections()).put("load_s", r.seconds())
                .put("load_accepted", r.accepted()).put("load_accepted_per_s", r.acceptedPerSecond())
                .put("load_not_accepted", r.rejected() + r.failed())
                .put("load_p50_ms", r.latencies().percentileMillis(50))
                .put("load_p99_ms", r.latencies().percentileMillis(99))
                .put("load_max_ms", r.latencies().percentileMillis(100))
                .put("load_cpu_pct_core", 100 * after.cpuSecondsSince(before) / after.secondsSince(before))
                .putMb("load_peak_rss_mb", peak.rssKb()).putMb("load_peak_pss_mb", peak.pssKb())
                .putMb("load_peak_rss_distinct_mb", peak.distinctKb());
        log("load: %.0f accepted/s at %d connections, p50 %.1f ms, p99 %.1f ms, %d not accepted",
                r.acceptedPerSecond(), options.loadConnections(), r.latencies().percentileMillis(50),
                r.latencies().percentileMillis(99), r.rejected() + r.failed());
    }

    private boolean loads() {
        return options.runs(Phase.LOAD) && target.runner() == Runner.WEBHOOK;
    }

    private BotProcess start(FakeBotApi api, String why) {
        int port = freePort();
        Path dataDir = dir.resolve("data").toAbsolutePath();
        List<String> own = options.targetFlags().getOrDefault(target.label(), List.of());
        log("starting %s%s (%s), log %s", target.jar(), own.isEmpty() ? "" : " with " + String.join(" ", own), why,
                dir.resolve("bot.log"));
        return BotProcess.start(new BotProcess.Launch(options.java(), options.jvmFlags(target), target.jar(),
                environment(api, port, dataDir), server.map(SharedServer::treeMarker).orElse(dataDir.toString()),
                dir.resolve("bot.log"), port));
    }

    /** The child's whole configuration: the bot's defaults except what the benchmark needs, plus --env. */
    private Map<String, String> environment(FakeBotApi api, int port, Path dataDir) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TELEGRAM_BOT_TOKEN", FakeBotApi.TOKEN);
        env.put("TELEGRAM_API_URL", api.baseUrl());
        env.put("KIE_STUB", "1");
        env.put("KIE_STUB_DELAY_MS", String.valueOf(options.stubDelayMillis()));
        env.put("DATA_DIR", dataDir.toString());
        server.ifPresent(db -> env.put("DATABASE_URL", db.databaseUrl()));
        env.put("PORT", String.valueOf(port));
        if (target.runner() == Runner.WEBHOOK) {
            env.putAll(WebhookEndpoint.onLocalPort(port).childEnvironment());
        } else {
            env.put("BOT_MODE", "polling");
        }
        if (options.soaks()) {
            env.putAll(Soak.childEnvironment());
        }
        env.putAll(options.extraEnv());
        return env;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "%s %s%n", tag(target, round, options.rounds()),
                String.format(Locale.ROOT, format, args));
    }
}
