package dev.kiebot.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One reading of everything that could grow in a long-lived bot, taken every minute of the soak: the tree's memory
 * ({@link ProcessTree}), the JVM's live heap (the total of {@code jcmd <pid> GC.class_histogram}, which counts the
 * objects a full GC left; the histogram is kept in the work dir, to compare the first with the last), heap and non-heap
 * in use right after it ({@code jvm_memory_used_bytes} of the runner's {@code /metrics}), its live threads and open
 * file descriptors, the tree's descriptors, the number of {@code /metrics} series (a meter tagged per chat or per job
 * would grow it) and per metric name, PostgreSQL's client backends, the database's size, and for every table its exact
 * row count, dead tuples and on-disk size ({@code psql} against the embedded server, whose port is in its {@code
 * postmaster.pid} and password in {@code kiebot.password}). A figure that cannot be read is NaN.
 */
final class SoakProbe {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final String TABLES_SQL = "select s.schemaname||'.'||s.relname, (xpath('/row/c/text()', "
            + "query_to_xml(format('select count(*) as c from %I.%I', s.schemaname, s.relname), false, true, '')))[1]"
            + "::text, s.n_dead_tup, pg_total_relation_size(s.relid) from pg_stat_user_tables s order by 1";
    private static final String SERVER_SQL = "select 'backends', count(*) from pg_stat_activity where backend_type = "
            + "'client backend' and pid <> pg_backend_pid() union all select 'database_bytes', "
            + "pg_database_size(current_database())";

    private final BotProcess bot;
    private final Path java;
    private final Path dataDir;
    private final String metricsToken;
    private final Path histograms;
    private int readings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param histograms where each reading's class histogram goes, {@code histogram-<n>.txt} */
    SoakProbe(BotProcess bot, Path java, Path dataDir, String metricsToken, Path histograms) {
        this.histograms = histograms;
        this.bot = bot;
        this.java = java;
        this.dataDir = dataDir;
        this.metricsToken = metricsToken;
    }

    /** Figure name → value, in a stable order; tables as {@code table <name> rows|dead|bytes}. */
    Map<String, Double> read() throws InterruptedException {
        Map<String, Double> m = new LinkedHashMap<>();
        long pid = bot.pid();
        String histogram = run(List.of(java.resolveSibling("jcmd").toString(), Long.toString(pid),
                "GC.class_histogram"), Map.of());
        try {
            Files.writeString(histograms.resolve("histogram-" + readings++ + ".txt"), histogram);
        } catch (IOException e) {
            // the figure below is what counts
        }
        m.put("live_heap_mb", histogramTotalBytes(histogram) / (1024.0 * 1024));
        TreeSample tree = bot.meter().now();
        m.put("rss_sum_mb", tree.rssKb() / 1024.0);
        m.put("rss_distinct_mb", tree.distinctKb() < 0 ? Double.NaN : tree.distinctKb() / 1024.0);
        m.put("processes", (double) tree.processes());
        Map<String, Double> metrics = metrics();
        m.put("heap_after_gc_mb", metrics.getOrDefault("heap_bytes", Double.NaN) / (1024.0 * 1024));
        m.put("nonheap_mb", metrics.getOrDefault("nonheap_bytes", Double.NaN) / (1024.0 * 1024));
        m.put("jvm_threads", statusNumber(pid, "Threads:"));
        m.put("jvm_fds", (double) fds(pid));
        m.put("tree_fds", (double) bot.meter().tree().pids().stream().mapToLong(SoakProbe::fds).sum());
        m.put("metrics_series", metrics.getOrDefault("series", Double.NaN));
        database(m);
        metrics.forEach((k, v) -> {
            if (k.startsWith("series ")) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** The histogram's last line: {@code Total  <instances>  <bytes>}; NaN without one. */
    static double histogramTotalBytes(String histogram) {
        for (String line : histogram.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 3 && f[0].equals("Total")) {
                return number(f[2]);
            }
        }
        return Double.NaN;
    }

    private void database(Map<String, Double> m) throws InterruptedException {
        Optional<Path> cluster = cluster();
        Map<String, String> env = new LinkedHashMap<>();
        Optional<Integer> port = cluster.flatMap(SoakProbe::port);
        Optional<String> password = cluster.flatMap(SoakProbe::password);
        if (port.isEmpty() || password.isEmpty()) {
            m.put("pg_backends", Double.NaN);
            return;
        }
        env.put("PGPASSWORD", password.get());
        List<String> psql = List.of("psql", "-X", "-q", "-h", "127.0.0.1", "-p", port.get().toString(), "-U",
                "postgres", "-d", "postgres", "-At", "-F", "|", "-c");
        for (String line : lines(run(append(psql, SERVER_SQL), env))) {
            String[] f = line.split("\\|");
            if (f.length == 2) {
                m.put(f[0].equals("backends") ? "pg_backends" : "pg_database_mb", f[0].equals("backends")
                        ? number(f[1]) : number(f[1]) / (1024.0 * 1024));
            }
        }
        for (String line : lines(run(append(psql, TABLES_SQL), env))) {
            String[] f = line.split("\\|");
            if (f.length == 4) {
                String t = "table " + f[0].replaceFirst("^public\\.", "");
                m.put(t + " rows", number(f[1]));
                m.put(t + " dead", number(f[2]));
                m.put(t + " kb", number(f[3]) / 1024.0);
            }
        }
    }

    /** The embedded server's directory: the one under the data dir holding a {@code postmaster.pid}. */
    private Optional<Path> cluster() {
        try (Stream<Path> files = Files.walk(dataDir, 4)) {
            return files.filter(p -> p.endsWith("postmaster.pid")).map(Path::getParent)
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@code postmaster.pid}'s fourth line. */
    private static Optional<Integer> port(Path cluster) {
        try {
            List<String> lines = Files.readAllLines(cluster.resolve("postmaster.pid"));
            return lines.size() > 3 ? Optional.of(Integer.parseInt(lines.get(3).strip())) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> password(Path cluster) {
        try {
            return Optional.of(Files.readString(cluster.resolve("kiebot.password")).strip()).filter(s -> !s.isEmpty());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Series count, heap/non-heap bytes in use, and {@code series <name>} per metric name. */
    private Map<String, Double> metrics() throws InterruptedException {
        Map<String, Double> m = new TreeMap<>();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bot.port() + "/metrics"))
                .header("Authorization", "Bearer " + metricsToken).timeout(Duration.ofSeconds(30)).GET().build();
        String body;
        try {
            HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return m;
            }
            body = r.body();
        } catch (IOException e) {
            return m;
        }
        double series = 0;
        double heap = 0;
        double nonheap = 0;
        for (String line : body.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            series++;
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name = line.substring(0, brace >= 0 ? brace : Math.max(0, line.indexOf(' ')));
            m.merge("series " + name, 1.0, Double::sum);
            if (name.equals("jvm_memory_used_bytes")) {
                double v = number(line.substring(space + 1));
                if (line.contains("area=\"heap\"")) {
                    heap += v;
                } else {
                    nonheap += v;
                }
            }
        }
        m.put("series", series);
        m.put("heap_bytes", heap);
        m.put("nonheap_bytes", nonheap);
        return m;
    }

    private static long fds(long pid) {
        String[] names = Path.of("/proc", Long.toString(pid), "fd").toFile().list();
        return names == null ? 0 : names.length;
    }

    private static double statusNumber(long pid, String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(name)) {
                    return number(line.substring(name.length()).strip());
                }
            }
        } catch (IOException e) {
            // gone
        }
        return Double.NaN;
    }

    private static double number(String s) {
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static List<String> append(List<String> command, String last) {
        List<String> c = new ArrayList<>(command);
        c.add(last);
        return c;
    }

    private static List<String> lines(String output) {
        return output.isBlank() ? List.of() : List.of(output.strip().split("\n"));
    }

    /** The command's standard output; empty when it could not run or took too long. */
    private static String run(List<String> command, Map<String, String> env) throws InterruptedException {
        try {
            ProcessBuilder b = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
            b.environment().putAll(env);
            Process p = b.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
