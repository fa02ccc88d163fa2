package dev.kiebot.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The soak ({@code --soak-minutes=N}): a started runner, webhook or polling (its updates handed over by a
 * {@link SoakIntake}), under {@link SoakTraffic}'s steady mix for N minutes, read by a {@link SoakProbe} before the
 * traffic and at the end of every minute; at the end each figure's series and its slope per hour (least squares over
 * the readings from minute {@value #SLOPE_FROM_MINUTE} on, so the start's warm-up — the JIT, pools filling, the first
 * GCs — does not count as growth). A figure that grows per update without bound shows a steady slope however long the
 * run; one that levels off shows its slope falling as runs grow longer.
 */
final class Soak {
    /** What {@code /metrics} asks of the soak's scrapes (the webhook runner has a public URL: only a token). */
    static final String METRICS_TOKEN = "bench-soak-metrics-token-0123456789";
    /** Every new chat's welcome bonus, so confirmed orders past the day's free ones are paid from it. */
    static final String WELCOME_BALANCE_RUB = "1000";
    static final int SLOPE_FROM_MINUTE = 2;
    /** The soak's chats and updates, apart from the burst's and the load's. */
    private static final long FIRST_CHAT = 300_000_001L;
    private static final long FIRST_UPDATE = 300_000_001L;
    private static final List<String> DEFINITIONS = List.of(
            "soak: SoakTraffic's returning chats going round /start, Images, Nano Banana, a prompt (1 in 20 of 4,096 "
                    + "characters), 1:1, Generate (free, then paid from WELCOME_BALANCE_RUB=" + WELCOME_BALANCE_RUB
                    + "), the stub's photo, Again + Generate, /history, a stale button, /menu; each chat's next step "
                    + "only after the bot answered its last; webhook: POSTed on " + SoakIntake.Webhook.CONNECTIONS
                    + " keep-alive connections; polling: queued for getUpdates, accepted once an offset confirmed it",
            "soak readings at the start and after every minute: live_heap_mb = total of jcmd GC.class_histogram (the "
                    + "objects a full GC left; each histogram kept in the work dir); heap/nonheap = "
                    + "jvm_memory_used_bytes of /metrics right after it; threads, fds of the JVM (/proc); tree fds; "
                    + "/metrics series; PostgreSQL client backends; per table exact rows, dead tuples, on-disk size "
                    + "(pg_total_relation_size); *_per_h = least-squares slope per hour over the readings from "
                    + "minute " + SLOPE_FROM_MINUTE + " on");

    private final BenchOptions options;
    private final FakeBotApi api;
    private final BotProcess bot;
    private final SoakIntake intake;
    private final Path dataDir;
    private final Consumer<String> log;

    Soak(BenchOptions options, FakeBotApi api, BotProcess bot, SoakIntake intake, Path dataDir, Consumer<String> log) {
        this.options = options;
        this.api = api;
        this.bot = bot;
        this.intake = intake;
        this.dataDir = dataDir;
        this.log = log;
    }

    static List<String> definitions() {
        return DEFINITIONS;
    }

    /** What the child needs besides the benchmark's settings for the soak. */
    static Map<String, String> childEnvironment() {
        return Map.of("METRICS_TOKEN", METRICS_TOKEN, "WELCOME_BALANCE_RUB", WELCOME_BALANCE_RUB);
    }

    void run(Figures figures) throws InterruptedException {
        api.screens().enable();
        SoakProbe probe = new SoakProbe(bot, options.java(), dataDir, METRICS_TOKEN, dataDir.getParent());
        SoakTraffic traffic = new SoakTraffic(api.screens(), intake, FIRST_CHAT,
                options.soakChats(), FIRST_UPDATE);
        List<Double> minutes = new ArrayList<>();
        List<Map<String, Double>> readings = new ArrayList<>();
        List<Long> accepted = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + options.soakMinutes() * 60_000_000_000L;
        minutes.add(0.0);
        readings.add(probe.read());
        accepted.add(0L);
        Thread driver = new Thread(() -> {
            try {
                traffic.runUntil(end, options.soakRate());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "soak-traffic");
        driver.setDaemon(true);
        driver.start();
        for (int minute = 1; minute <= options.soakMinutes(); minute++) {
            long at = start + minute * 60_000_000_000L;
            long wait = at - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            if (minute == options.soakMinutes()) {
                driver.join();
            }
            Map<String, Double> r = probe.read();
            minutes.add((System.nanoTime() - start) / 60e9);
            readings.add(r);
            long acceptedNow = traffic.counts().getOrDefault("accepted", 0L);
            accepted.add(acceptedNow);
            log.accept(String.format(Locale.ROOT, "soak minute %d: %d updates accepted, %d photos; RSS %.0f MiB "
                            + "(distinct %.0f), live heap %.1f MiB, %.0f threads, %.0f fds, %.0f PG backends, "
                            + "%.0f /metrics series", minute, acceptedNow, traffic.counts().getOrDefault("photos", 0L),
                    r.get("rss_sum_mb"), r.get("rss_distinct_mb"), r.get("live_heap_mb"), r.get("jvm_threads"),
                    r.get("jvm_fds"), r.getOrDefault("pg_backends", Double.NaN),
                    r.getOrDefault("metrics_series", Double.NaN)));
        }
        report(figures, traffic, minutes, readings, accepted);
    }

    private void report(Figures figures, SoakTraffic traffic, List<Double> minutes,
                        List<Map<String, Double>> readings, List<Long> accepted) {
        long updates = accepted.get(accepted.size() - 1);
        figures.put("soak_minutes", options.soakMinutes()).put("soak_chats", options.soakChats())
                .put("soak_rate_per_s", options.soakRate())
                .put("soak_accepted_per_s", updates / (minutes.get(minutes.size() - 1) * 60));
        traffic.counts().forEach((k, v) -> figures.put("soak_" + k, v));
        Set<String> names = new LinkedHashSet<>();
        readings.forEach(r -> names.addAll(r.keySet()));
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "soak series (readings at minutes %s; %d updates accepted; *_per_h from minute %d on):%n",
                String.join(" ", minutes.stream().map(m -> String.format(Locale.ROOT, "%.1f", m)).toList()), updates,
                SLOPE_FROM_MINUTE));
        int unchanged = 0;
        List<Map<String, Object>> series = new ArrayList<>();
        for (String name : names) {
            double[] values = readings.stream().mapToDouble(r -> r.getOrDefault(name, Double.NaN)).toArray();
            boolean main = !name.startsWith("table ") && !name.startsWith("series ");
            if (!main && constant(values)) {
                unchanged++;
                continue;
            }
            double perHour = Slope.perHour(minutes, values, SLOPE_FROM_MINUTE);
            String key = "soak_" + name.replace(' ', '_').replace('.', '_');
            if (main) {
                figures.put(key + "_first", values[0]).put(key + "_last", values[values.length - 1])
                        .put(key + "_per_h", perHour);
            } else if (name.endsWith(" rows")) {
                figures.put(key + "_last", values[values.length - 1]).put(key + "_per_h", perHour);
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", name);
            s.put("values", java.util.Arrays.stream(values).boxed().toList());
            s.put("per_h", perHour);
            String perUpdate = "";
            if (name.endsWith(" kb") && updates > 0) {
                double bytes = (values[values.length - 1] - values[0]) * 1024 / updates;
                s.put("bytes_per_update", bytes);
                figures.put(key.replaceFirst("_kb$", "") + "_bytes_per_update", bytes);
                perUpdate = String.format(Locale.ROOT, "  (%.0f B per update)", bytes);
            }
            series.add(s);
            sb.append(String.format(Locale.ROOT, "  %-44s %s  | %s/h%s%n", name, String.join(" ",
                    java.util.Arrays.stream(values).mapToObj(Report::format).toList()), Report.format(perHour),
                    perUpdate));
        }
        sb.append(String.format(Locale.ROOT, "  (%d table and metric figures did not change)%n", unchanged));
        sb.append("  traffic: ").append(traffic.counts()).append('\n');
        // the whole series: in the JSON (the table shows only their last value's end)
        figures.put("soak_minutes_read", minutes);
        figures.put("soak_series", series);
        log.accept(sb.toString());
    }

    private static boolean constant(double[] values) {
        for (double v : values) {
            if (Double.compare(v, values[0]) != 0) {
                return false;
            }
        }
        return true;
    }
}
