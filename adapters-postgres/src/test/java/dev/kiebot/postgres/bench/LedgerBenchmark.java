package dev.kiebot.postgres.bench;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.postgres.Database;
import dev.kiebot.postgres.DatabaseSettings;
import dev.kiebot.postgres.EmbeddedDatabase;
import dev.kiebot.postgres.PgLedger;
import dev.kiebot.postgres.testing.LedgerInvariants;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ledger throughput: concurrent clients each doing hold + post pairs (a paid generation's two ledger
 * requests) on user wallets, for a fixed time; then every invariant is verified (Reconciliation + SQL).
 *
 * <pre>
 * mvn -q -Pbench -pl adapters-postgres -am test-compile exec:java
 *   -Dbench.seconds=20 -Dbench.clients=32 -Dbench.wallets=64 -Dbench.pool=0 -Dbench.durable=false
 * </pre>
 * {@code bench.pool=0} means 2 x cores + 1. {@code bench.durable=true} runs the embedded server with
 * synchronous_commit=on and fsync (as the production embedded default). With {@code TEST_DATABASE_URL} set,
 * that database is used and its tables are emptied first.
 */
public final class LedgerBenchmark {
    private LedgerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 20);
        int clients = Integer.getInteger("bench.clients", 32);
        int walletCount = Integer.getInteger("bench.wallets", 64);
        int cores = Runtime.getRuntime().availableProcessors();
        int pool = Integer.getInteger("bench.pool", 0);
        pool = pool > 0 ? pool : 2 * cores + 1;
        boolean durable = Boolean.getBoolean("bench.durable");

        String url = System.getenv("TEST_DATABASE_URL");
        EmbeddedDatabase embedded = null;
        Path dir = null;
        DatabaseSettings settings;
        if (url != null && !url.isBlank()) {
            settings = DatabaseSettings.fromUrl(url).withPoolSize(pool);
        } else {
            dir = Files.createTempDirectory("kiebot-bench-");
            embedded = EmbeddedDatabase.startIn(dir.resolve("pg"), durable);
            settings = embedded.settings(dir, pool);
        }
        System.out.printf("ledger benchmark: %d clients, %d wallets, pool %d, %d s, %d cores, database %s%s%n",
                clients, walletCount, pool, seconds, cores, embedded == null ? "TEST_DATABASE_URL" : "embedded",
                embedded == null ? "" : durable ? " (durable: fsync, synchronous_commit=on)"
                        : " (fsync off, synchronous_commit=off)");
        int exit;
        try (Database db = Database.connect(settings)) {
            db.jdbi().useHandle(h -> h.execute("TRUNCATE ledger_entries, ledger_open_holds, ledger_transfers, "
                    + "ledger_failed_transfers, ledger_balances RESTART IDENTITY CASCADE"));
            PgLedger ledger = new PgLedger(db, Clock.systemUTC());
            AccountId[] wallets = new AccountId[walletCount];
            for (int i = 0; i < walletCount; i++) {
                wallets[i] = AccountId.wallet(10_000 + i);
                ledger.transfer("bench-topup-" + i, AccountId.STARS_CLEARING, wallets[i], 900_000_000_000L,
                        TransferKind.TOP_UP_STARS);
            }
            run(ledger, wallets, clients, Duration.ofSeconds(3), "warm-up", false);
            long clientCpu0 = processCpuNanos();
            long serverCpu0 = postgresCpuTicks();
            Result r = run(ledger, wallets, clients, Duration.ofSeconds(seconds), "run", true);
            double clientCpuUs = (processCpuNanos() - clientCpu0) / 1e3 / r.pairs;
            double serverCpuUs = (postgresCpuTicks() - serverCpu0) * 10_000.0 / r.pairs;
            System.out.printf("RESULT: %.0f hold+post pairs/s (%.0f ledger requests/s), %d pairs in %.1f s, "
                            + "pair latency p50 %.1f ms, p99 %.1f ms, failures %d%n",
                    r.pairs / r.seconds, 2 * r.pairs / r.seconds, r.pairs, r.seconds, r.p50, r.p99, r.failures);
            System.out.printf("cpu per pair: client (this JVM) %.0f us, PostgreSQL processes on this machine %.0f us"
                    + "; load average now %.2f%n", clientCpuUs, serverCpuUs,
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            long t0 = System.nanoTime();
            List<String> violations = new ArrayList<>(Reconciliation.check(ledger));
            violations.addAll(LedgerInvariants.violations(db.jdbi()));
            System.out.printf("invariants: Reconciliation.check + %d SQL checks over %d transfers in %.1f s: "
                            + "%d violations%n", LedgerInvariants.checkCount(),
                    db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM ledger_transfers")
                            .mapTo(Long.class).one()),
                    (System.nanoTime() - t0) / 1e9, violations.size());
            violations.stream().limit(20).forEach(v -> System.out.println("  VIOLATION " + v));
            exit = violations.isEmpty() && r.failures == 0 ? 0 : 1;
        } finally {
            if (embedded != null) {
                embedded.close();
                deleteQuietly(dir);
            }
        }
        System.exit(exit);
    }

    private record Result(long pairs, double seconds, double p50, double p99, long failures) {
    }

    private static Result run(PgLedger ledger, AccountId[] wallets, int clients, Duration duration, String label,
                              boolean measure) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong pairs = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<long[]>> fs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            fs.add(pool.submit(() -> {
                long[] latencies = new long[1 << 16];
                int n = 0;
                long k = 0;
                start.await();
                while (!stop.get()) {
                    AccountId w = wallets[(int) ((client + k * clients) % wallets.length)];
                    String hold = label + "-" + client + "-" + k++;
                    long t = System.nanoTime();
                    LedgerResult h = ledger.hold(hold, w, AccountId.REVENUE, 100 + (k % 900), TransferKind.GENERATION,
                            java.time.Instant.now().plusSeconds(600));
                    LedgerResult p = ledger.post(Ledger.postId(hold), hold, 100 + (k % 900));
                    if (!(h instanceof LedgerResult.Created) || !(p instanceof LedgerResult.Created)) {
                        failures.incrementAndGet();
                    }
                    pairs.incrementAndGet();
                    if (n < latencies.length) {
                        latencies[n++] = System.nanoTime() - t;
                    }
                }
                return Arrays.copyOf(latencies, n);
            }));
        }
        long t0 = System.nanoTime();
        start.countDown();
        Thread.sleep(duration.toMillis());
        stop.set(true);
        List<Long> all = new ArrayList<>();
        for (Future<long[]> f : fs) {
            for (long l : f.get(1, TimeUnit.MINUTES)) {
                all.add(l);
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        all.sort(null);
        double p50 = all.isEmpty() ? 0 : all.get(all.size() / 2) / 1e6;
        double p99 = all.isEmpty() ? 0 : all.get((int) (all.size() * 0.99)) / 1e6;
        if (measure) {
            return new Result(pairs.get(), secs, p50, p99, failures.get());
        }
        System.out.printf("%s: %d pairs in %.1f s%n", label, pairs.get(), secs);
        return null;
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() : 0;
    }

    /** utime + stime (clock ticks) of every process named postgres (Linux /proc), 0 elsewhere. */
    private static long postgresCpuTicks() {
        long total = 0;
        java.io.File[] procs = new java.io.File("/proc").listFiles((d, n) -> n.chars().allMatch(Character::isDigit));
        if (procs == null) {
            return 0;
        }
        for (java.io.File p : procs) {
            try {
                String stat = Files.readString(p.toPath().resolve("stat"));
                int close = stat.lastIndexOf(')');
                if (!stat.substring(stat.indexOf('(') + 1, close).equals("postgres")) {
                    continue;
                }
                String[] f = stat.substring(close + 2).split(" ");
                total += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (Exception ignored) {
                // the process ended meanwhile
            }
        }
        return total;
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // best effort
        }
    }
}
