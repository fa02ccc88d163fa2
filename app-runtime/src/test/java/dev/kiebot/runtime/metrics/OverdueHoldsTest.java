package dev.kiebot.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.shop.OverdueHolds;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.RecordingMessenger;
import dev.kiebot.core.testing.memory.InMemoryStores;
import dev.kiebot.postgres.Database;
import dev.kiebot.postgres.PgStores;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.runtime.intake.ScriptedShop;
import dev.kiebot.runtime.testing.LogCapture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A due hold the sweep keeps leaving (V50: it skips one whose expiry lock or row another transaction holds) is seen:
 * {@code kiebot_ledger_overdue_hold_age_seconds} is its age past its deadline, and one WARN names it once it is
 * overdue longer than {@link OverdueHolds#WARN_AFTER}; before, nothing reported it and the user's money stayed held.
 * The WARN is core's (the shop's sweep says it, to a partner's shop too); the gauge is {@link OverdueHoldsMetrics}.
 */
class OverdueHoldsTest {
    private static final String GAUGE = "kiebot.ledger.overdue.hold.age.seconds";
    private static final String SCHEMA = "kiebot_overdueholds_" + System.nanoTime() % 100_000;
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");
    /** Advisory locks are the database's, not a schema's: ids of this test's own. */
    private static final String HELD = "gen-held-" + SCHEMA;
    private static final String FREE = "gen-free-" + SCHEMA;
    private static final String HELD_LATER = "gen-later-" + SCHEMA;
    private static final AccountId WALLET = AccountId.wallet(42);

    private final MutableClock clock = new MutableClock(T0);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LogCapture logs = LogCapture.attach();

    @AfterEach
    void detach() {
        logs.detach();
        TestDatabase.jdbi().useHandle(h -> h.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE"));
    }

    private double age() {
        return registry.get(GAUGE).gauge().value();
    }

    private List<String> told() {
        return logs.linesWithLevels().stream().filter(l -> l.contains(OverdueHolds.class.getName())).toList();
    }

    /** The runner's shop (its sweep, its gauge) on these stores. */
    private Shop shop(Stores stores) {
        Shop shop = ScriptedShop.builder(stores, new RecordingMessenger(), clock).build();
        OverdueHoldsMetrics.bindTo(registry, shop.overdueHolds(), clock);
        return shop;
    }

    @Test
    void aHoldWhoseExpiryLockIsHeldIsTheGaugesAgeAndOneWarningUntilItIsSwept() {
        try (Database db = Database.connect(TestDatabase.settings().withPoolSize(3).withSchema(SCHEMA))) {
            Stores stores = PgStores.create(db, clock).asCoreStores();
            Shop shop = shop(stores);
            Ledger ledger = stores.ledger();
            assertThat(ledger.transfer("stars:ch-1", AccountId.STARS_CLEARING, WALLET, 7_500,
                    TransferKind.TOP_UP_STARS).succeeded()).isTrue();
            assertThat(ledger.hold(HELD, WALLET, AccountId.REVENUE, 1_000, TransferKind.GENERATION,
                    T0.plusSeconds(60)).succeeded()).isTrue();
            assertThat(ledger.hold(FREE, WALLET, AccountId.REVENUE, 2_000, TransferKind.GENERATION,
                    T0.plusSeconds(90)).succeeded()).isTrue();
            assertThat(age()).isZero();

            clock.set(T0.plusSeconds(60).plus(Duration.ofMinutes(11)));
            try (Handle session = db.jdbi().open()) {
                holdExpiryLock(session, HELD);
                assertThat(shop.worker().sweepExpiredHolds(100)).isOne();
                assertThat(ledger.holdState(FREE)).contains(HoldState.EXPIRED);
                assertThat(age()).as("11 minutes past its deadline").isEqualTo(660.0);
                clock.advance(Duration.ofSeconds(30));
                assertThat(age()).as("growing between sweeps").isEqualTo(690.0);
                clock.advance(Duration.ofSeconds(30));
                assertThat(shop.worker().sweepExpiredHolds(100)).isZero();
                assertThat(age()).isEqualTo(720.0);
                session.rollback();
            }
            assertThat(told()).hasSize(1);
            assertThat(told().get(0)).startsWith("WARN ").contains("hold " + HELD + " ", "for 11 min", "had room", "pg_locks",
                    "pg_stat_activity");

            assertThat(shop.worker().sweepExpiredHolds(100)).as("nothing holds it now").isOne();
            assertThat(ledger.holdState(HELD)).contains(HoldState.EXPIRED);
            assertThat(age()).isZero();
            assertThat(told()).hasSize(2);
            assertThat(told().get(1)).startsWith("INFO ").contains("no hold is past its deadline");

            // cleared, a hold stuck later is told again
            assertThat(ledger.hold(HELD_LATER, WALLET, AccountId.REVENUE, 1_000, TransferKind.GENERATION,
                    clock.instant()).succeeded()).isTrue();
            clock.advance(Duration.ofMinutes(12));
            try (Handle session = db.jdbi().open()) {
                holdExpiryLock(session, HELD_LATER);
                assertThat(shop.worker().sweepExpiredHolds(100)).isZero();
                assertThat(age()).isEqualTo(720.0);
                session.rollback();
            }
            assertThat(told()).hasSize(3);
            assertThat(told().get(2)).startsWith("WARN ").contains("hold " + HELD_LATER + " ", "for 12 min");
        }
    }

    /** A report's transaction holding the hold's expiry lock, as TopUps.awaitHoldsResolving takes it. */
    private static void holdExpiryLock(Handle session, String holdId) {
        session.begin();
        session.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(1801, hashtext(:id))) l")
                .bind("id", Ledger.expireId(holdId)).mapTo(Integer.class).one();
    }

    /** An idle bot stays idle: a scrape reads nothing, the oldest due hold is read once after each sweep. */
    @Test
    void theOldestDueHoldIsReadAfterEachSweepAndNeverAtAScrape() {
        AtomicInteger reads = new AtomicInteger();
        Stores memory = InMemoryStores.create(clock);
        Ledger counted = new ForwardingLedger(memory.ledger()) {
            @Override
            public Optional<Transfer> oldestDueHold(Instant now) {
                reads.incrementAndGet();
                return real.oldestDueHold(now);
            }
        };
        Shop shop = ScriptedShop.builder(memory.withLedger(counted), new RecordingMessenger(), clock)
                .inMemoryForTests().build();
        OverdueHoldsMetrics.bindTo(registry, shop.overdueHolds(), clock);
        for (int i = 0; i < 5; i++) {
            assertThat(age()).isZero();
        }
        assertThat(reads).hasValue(0);
        shop.worker().sweepExpiredHolds(100);
        shop.worker().sweepExpiredHolds(100);
        assertThat(age()).isZero();
        assertThat(reads).hasValue(2);
    }
}
