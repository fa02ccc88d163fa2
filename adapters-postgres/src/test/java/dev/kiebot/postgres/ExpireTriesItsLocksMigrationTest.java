package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.postgres.testing.LockWaits;
import dev.kiebot.postgres.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sweep that tries each hold's expiry lock (V50) upgrading a schema of V49 whose holds are past their deadline:
 * the V1 sweep there, which took the holds' rows and then waited for their expiry locks, is replaced in place, and the
 * first sweep after the upgrade leaves the due hold whose expiry lock a Stars refund report holds
 * ({@code TopUps.awaitHoldsResolving}) without waiting for it, expires the other, and the next sweep expires the first.
 */
class ExpireTriesItsLocksMigrationTest {
    private static final String SCRIPT = "V50__expire_tries_its_locks.sql";
    private static final String SCHEMA = "kiebot_expirelocks_" + System.nanoTime() % 100_000;
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
    /** Advisory locks are the database's, not a schema's: ids of this test's own. */
    private static final String HELD = "gen-held-" + SCHEMA;
    private static final String FREE = "gen-free-" + SCHEMA;
    private static final AccountId WALLET = AccountId.wallet(42);

    private final ExecutorService threads = Executors.newSingleThreadExecutor();

    @AfterEach
    void dropSchema() {
        threads.shutdownNow();
        TestDatabase.jdbi().useHandle(h -> h.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE"));
    }

    @Test
    void upgradedWithHoldsDueTheSweepLeavesTheHoldWhoseExpiryLockIsHeldAndTakesItNextTime() throws Exception {
        DatabaseSettings settings = TestDatabase.settings().withPoolSize(3).withSchema(SCHEMA);
        try (Database db = Database.connect(settings)) {
            PgLedger ledger = new PgLedger(db, CLOCK);
            assertThat(ledger.transfer("stars:ch-1", AccountId.STARS_CLEARING, WALLET, 7_500,
                    TransferKind.TOP_UP_STARS).succeeded()).isTrue();
            assertThat(ledger.hold(HELD, WALLET, AccountId.REVENUE, 1_000, TransferKind.GENERATION,
                    T0.plusSeconds(60)).succeeded()).isTrue();
            assertThat(ledger.hold(FREE, WALLET, AccountId.REVENUE, 2_000, TransferKind.GENERATION,
                    T0.plusSeconds(90)).succeeded()).isTrue();
            // the schema as V49 left it: V1's sweep, V50 not applied
            db.jdbi().useHandle(h -> {
                execute(h, v1Sweep());
                TestDatabase.forgetMigrationsFrom(h, SCRIPT);
            });
        }
        Instant past = T0.plusSeconds(120);
        try (Database db = Database.connect(settings)) {
            List<String> first;
            try (Handle report = db.jdbi().open()) {
                // a report's transaction holding the hold's expiry lock, as awaitHoldsResolving takes it
                report.begin();
                report.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(1801, hashtext(:id))) l")
                        .bind("id", "expire:" + HELD).mapTo(Integer.class).one();
                Future<List<String>> sweep = threads.submit(() -> sweepOnce(db, past));
                LockWaits.awaitDoneOrALockWait(sweep);
                // V1's sweep holds both rows and waits for the report's lock
                assertThat(sweep.isDone()).as("the sweep waited for no lock").isTrue();
                first = sweep.get();
                report.rollback();
            }
            assertThat(first).as("the hold whose expiry lock is held is left").containsExactly(FREE);
            assertThat(sweepOnce(db, past)).as("the next sweep, nothing holding it").containsExactly(HELD);
            assertThat(new PgLedger(db, CLOCK).balance(WALLET).available()).isEqualTo(7_500);
        }
    }

    private static List<String> sweepOnce(Database db, Instant now) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT * FROM kb_ledger_expire(:now, 100)")
                .bind("now", Timestamp.from(now))
                .mapTo(String.class)
                .list());
    }

    /** V1's kb_ledger_expire, as every schema before V50 has it, read from the migration that made it. */
    private static String v1Sweep() throws IOException {
        String v1;
        try (InputStream in = ExpireTriesItsLocksMigrationTest.class.getResourceAsStream(
                "/db/migration/V1__ledger.sql")) {
            v1 = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int from = v1.indexOf("CREATE FUNCTION kb_ledger_expire(");
        int to = v1.indexOf("\n$$;", from) + "\n$$;".length();
        assertThat(from).isNotNegative();
        return "CREATE OR REPLACE" + v1.substring(from + "CREATE".length(), to);
    }

    private static void execute(Handle h, String sql) throws SQLException {
        try (Statement st = h.getConnection().createStatement()) {
            st.execute(sql);
        }
    }
}
