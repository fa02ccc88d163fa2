package dev.kiebot.postgres;

import com.sun.management.ThreadMXBean;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.Inbox;
import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.postgres.testing.TestDatabase;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Bytes allocated and CPU of the handling thread per handled update, with the chat state's write and the outbox
 * append in the done mark's statement ({@link HeldWrites}, as {@link PgStores#create} makes the stores) and without (the same stores made
 * apart, by their public constructors, which never hold), in alternating blocks in one JVM on the test database:
 * the burst's mix (/start, menu, images, each from a new user) through core's inbox, as StatementsPerUpdateTest
 * counts it. Not a test (its name keeps it out of the build's runs); BENCHMARKS.md section 68:
 * <pre>
 * mvn -B -o -q -T1 test -pl core,core-testing,adapters-postgres -Djacoco.skip=true -Dtest=HeldWritesBenchmark
 *   -Dsurefire.failIfNoSpecifiedTests=false -Dbench.pairs=10 -Dbench.block=300   (figures in target/held-writes.txt)
 * </pre>
 */
class HeldWritesBenchmark {
    private static final String[] MIX = {"start", "*|m", "*|c|IMAGE"};

    @Test
    void measure() throws java.io.IOException {
        int pairs = Integer.getInteger("bench.pairs", 10);
        int block = Integer.getInteger("bench.block", 300);
        Database db = TestDatabase.get();
        TestDatabase.truncateAll();
        ShopHarness fused = harness(clock -> PgStores.create(db, clock));
        ShopHarness apart = harness(clock -> apart(db, clock));
        Inbox[] inboxes = {new Inbox(fused.shop, HeldWritesBenchmark::translated),
                new Inbox(apart.shop, HeldWritesBenchmark::translated)};
        ShopHarness[] harnesses = {fused, apart};
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] next = {1};
        for (int i = 0; i < 10; i++) { // warm-up: both ways, the compiler's work done
            for (int way = 0; way < 2; way++) {
                run(harnesses[way], inboxes[way], next, block, threads);
            }
        }
        List<double[]> rows = new ArrayList<>();
        StringBuilder out = new StringBuilder(String.format("%d pairs of blocks of %d handlings (fused, apart; "
                + "per handling: bytes allocated, µs CPU of the handling thread)%n", pairs, block));
        for (int p = 0; p < pairs; p++) {
            double[] row = new double[4];
            for (int k = 0; k < 2; k++) {
                int way = (p + k) % 2; // which goes first alternates
                long[] cost = run(harnesses[way], inboxes[way], next, block, threads);
                row[way * 2] = cost[0] / (double) block;
                row[way * 2 + 1] = cost[1] / 1e3 / block;
            }
            rows.add(row);
            out.append(String.format("pair %2d: fused %,.0f B %.0f µs; apart %,.0f B %.0f µs%n", p + 1, row[0],
                    row[1], row[2], row[3]));
        }
        out.append(String.format("median: fused %,.0f B %.0f µs; apart %,.0f B %.0f µs; fused lower in %d of %d "
                        + "pairs (bytes), %d of %d (CPU)%n", median(rows, 0), median(rows, 1), median(rows, 2),
                median(rows, 3), rows.stream().filter(r -> r[0] < r[2]).count(), pairs,
                rows.stream().filter(r -> r[1] < r[3]).count(), pairs));
        System.out.print(out);
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "held-writes.txt"), out.toString(),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    private static ShopHarness harness(java.util.function.Function<dev.kiebot.core.testing.MutableClock, PgStores> s) {
        return new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN)),
                ShopHarness.MANUAL, UnaryOperator.identity(), clock -> s.apply(clock).asCoreStores());
    }

    /** The stores as PgStores.create makes them, but those that hold made by their public constructors: none holds. */
    private static PgStores apart(Database db, java.time.Clock clock) {
        Jdbi jdbi = db.jdbi();
        Wakeups wakeups = db.wakeups();
        PgStores together = PgStores.create(db, clock);
        return new PgStores(together.ledger(), together.jobs(), together.users(), new PgChatStates(jdbi),
                together.freeUsage(), together.payments(), new PgProcessedUpdates(jdbi, wakeups), together.audit(),
                together.admissions(), together.broadcasts(), together.manualTopUps(), together.supportTickets(),
                together.figures(), new PgPendingReplies(jdbi, wakeups), new PgTransactions(jdbi),
                together.pausedModels(), together.externalRefundDues(), new PgPersonalData(jdbi));
    }

    /** {@code n} updates of the mix, each recorded, handled (measured) and delivered: bytes and CPU ns of handling. */
    private static long[] run(ShopHarness h, Inbox inbox, long[] next, int n, ThreadMXBean threads) {
        long thread = Thread.currentThread().getId();
        long bytes = 0;
        long cpu = 0;
        for (int i = 0; i < n; i++) {
            long id = next[0]++;
            inbox.record(id, 10_000_000 + id, MIX[(int) (id % MIX.length)]);
            long b0 = threads.getThreadAllocatedBytes(thread);
            long c0 = threads.getCurrentThreadCpuTime();
            if (!inbox.handleOne()) {
                throw new IllegalStateException("update " + id + " was not handled");
            }
            cpu += threads.getCurrentThreadCpuTime() - c0;
            bytes += threads.getThreadAllocatedBytes(thread) - b0;
            h.deliver();
            h.messenger.drain();
        }
        return new long[] {bytes, cpu};
    }

    private static double median(List<double[]> rows, int column) {
        double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static Optional<Incoming> translated(PendingUpdate u) {
        Event event = u.payload().equals("start") ? new Event.Command("start", "")
                : new Event.Callback("q" + u.updateId(), u.payload(), Optional.of(7L));
        return Optional.of(new Incoming(u.updateId(), ShopHarness.actor(u.chatId(), "ru"), event));
    }
}
