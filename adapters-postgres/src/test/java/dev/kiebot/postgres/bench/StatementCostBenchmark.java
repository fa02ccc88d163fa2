package dev.kiebot.postgres.bench;

import com.sun.management.ThreadMXBean;
import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.postgres.Database;
import dev.kiebot.postgres.PgStores;
import dev.kiebot.postgres.PgTransactions;
import dev.kiebot.postgres.testing.StatementsSeen;
import dev.kiebot.postgres.testing.TestDatabase;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.Arguments;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.junit.jupiter.api.Test;

/**
 * What the JVM does around the statements of an update's handling, counted rather than timed (the machine's CPU
 * seconds are noisy when it is shared): bytes allocated by the handling thread and statements run per handling, for
 * a handling made of the stores' own statements (the intake's record; in one transaction the claim, the user's
 * upsert, the chat state's read and write, the done mark). Not a test; issue 13's CPU target, BENCHMARKS.md
 * section 64.
 *
 * <p>Its name keeps it out of the build's test runs; run it alone (the figures go to standard output and to
 * {@code adapters-postgres/target/statement-cost.txt}):
 * <pre>
 * mvn -B -o -q -T1 test -pl core,core-testing,adapters-postgres -Djacoco.skip=true -Dtest=StatementCostBenchmark
 *   -Dsurefire.failIfNoSpecifiedTests=false -Dbench.handlings=20000   (after 5,000 to warm up)
 * </pre>
 */
class StatementCostBenchmark {
    private static final int WARM_UP_HANDLINGS = 5_000;

    @Test
    void measure() throws java.io.IOException {
        int handlings = Integer.parseInt(System.getProperty("bench.handlings", "20000"));
        Database db = TestDatabase.get();
        TestDatabase.truncateAll();
        PgStores stores = PgStores.create(db, Clock.systemUTC());
        PgTransactions tx = new PgTransactions(db.jdbi());
        AtomicLong statements = new AtomicLong();
        SqlLogger kept = StatementsSeen.by(db.jdbi(), context -> statements.incrementAndGet());
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        run(stores, tx, 1, WARM_UP_HANDLINGS);
        statements.set(0);
        long bytes0 = threads.getThreadAllocatedBytes(thread);
        long cpu0 = threads.getCurrentThreadCpuTime();
        run(stores, tx, 1 + WARM_UP_HANDLINGS, handlings);
        long bytes = threads.getThreadAllocatedBytes(thread) - bytes0;
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        String line = String.format("%d handlings: %.1f statements, %,d bytes allocated, %.0f µs CPU of this thread per "
                        + "handling (%,d bytes per statement)", handlings, statements.get() / (double) handlings,
                bytes / handlings, cpu / 1e3 / handlings, bytes / Math.max(1, statements.get()));
        db.jdbi().getConfig(SqlStatements.class).setSqlLogger(kept);
        Jdbi plain = Jdbi.create(() -> {
            throw new java.sql.SQLException("never connected");
        }).installPlugin(new PostgresPlugin());
        line += String.format("%nargument lookups of a statement binding a long, a String and a timestamp, from a "
                        + "fresh copy of the config: %.2f µs CPU as the bot's Jdbi is configured, %.2f µs as Jdbi is "
                        + "without it", lookupMicros(db.jdbi(), threads), lookupMicros(plain, threads));
        System.out.println(line);
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "statement-cost.txt"), line + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /** CPU of this thread per statement: its copy of the config, and its three types looked up. */
    private static double lookupMicros(Jdbi jdbi, ThreadMXBean threads) {
        int rounds = 200_000;
        long sink = 0;
        for (int pass = 0; pass < 2; pass++) { // the first pass warms up
            long cpu0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < rounds; i++) {
                Arguments arguments = jdbi.getConfig().createCopy().get(Arguments.class);
                sink += arguments.prepareFor(long.class).isPresent() ? 1 : 0;
                sink += arguments.prepareFor(String.class).isPresent() ? 1 : 0;
                sink += arguments.prepareFor(OffsetDateTime.class).isPresent() ? 1 : 0;
            }
            if (pass == 1) {
                if (sink == 0) {
                    throw new IllegalStateException("no argument found");
                }
                return (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / rounds;
            }
        }
        throw new AssertionError();
    }

    private static void run(PgStores stores, PgTransactions tx, long firstId, int handlings) {
        for (long id = firstId; id < firstId + handlings; id++) {
            long chat = 1_000_000 + id;
            Instant now = Instant.now();
            stores.processedUpdates().record(id, chat, "{\"update_id\":" + id + "}", now);
            tx.inOne(() -> {
                PendingUpdate u = stores.processedUpdates().claimNext().orElseThrow();
                stores.users().seen(u.chatId(), "Name " + u.chatId(), Optional.of("user" + u.chatId()),
                        Optional.empty(), now);
                Optional<String> state = stores.chatStates().load(u.chatId());
                stores.chatStates().save(u.chatId(), state.orElse("menu"));
                stores.processedUpdates().done(u.updateId(), now);
                return u;
            });
        }
    }
}
