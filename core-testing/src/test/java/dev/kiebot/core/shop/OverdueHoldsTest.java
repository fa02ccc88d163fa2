package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.testing.memory.InMemoryStores;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A hold the sweep of expired holds keeps leaving past its deadline (kiebot's PostgreSQL ledger skips one whose lock
 * another transaction holds) keeps its user's money held: a partner's shop, which has no runner's gauge or WARN, is
 * told by the shop itself, through System.Logger as of its clocks parting ({@link ClockSkew}): one WARNING when it is
 * overdue longer than {@link OverdueHolds#WARN_AFTER}, one INFO when none is. Before, the shop's sweep said nothing.
 */
class OverdueHoldsTest {
    private static final AccountId WALLET = AccountId.wallet(42);

    /** What {@link OverdueHolds} says at INFO or above while a test runs. */
    private LoggedLines logged;
    private List<String> said;
    /** The in-memory ledger, whose sweep leaves every hold while {@link #locked} (a session holding their locks). */
    private LockableLedger ledger;
    private ShopHarness h;

    /** As kiebot's PostgreSQL ledger when another transaction holds the due holds' locks: its sweep takes none. */
    private static final class LockableLedger extends ForwardingLedger {
        volatile boolean locked;
        volatile boolean unreadable;
        /** What this store tells an operator to look at; the in-memory store, as the port's default, tells nothing. */
        volatile Optional<String> hint = Optional.empty();
        volatile boolean hintFails;

        LockableLedger(Ledger real) {
            super(real);
        }

        @Override
        public List<String> expire(Instant now, int limit) {
            return locked ? List.of() : real.expire(now, limit);
        }

        @Override
        public Optional<Transfer> oldestDueHold(Instant now) {
            if (unreadable) {
                throw new IllegalStateException("the store does not answer");
            }
            return real.oldestDueHold(now);
        }

        @Override
        public Optional<String> stuckHoldHint() {
            if (hintFails) {
                throw new IllegalStateException("the store's hint broke");
            }
            return hint;
        }
    }

    @BeforeEach
    void setUp() {
        logged = LoggedLines.recording(OverdueHolds.class, Level.INFO);
        said = logged.lines();
        h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults(), ManualPayments.off(),
                UnaryOperator.identity(), clock -> {
                    Stores memory = InMemoryStores.create(clock);
                    ledger = new LockableLedger(memory.ledger());
                    return memory.withLedger(ledger);
                });
        assertThat(h.stores.ledger().transfer("topup:1", AccountId.STARS_CLEARING, WALLET, 10_000,
                TransferKind.TOP_UP_STARS).succeeded()).isTrue();
    }

    @AfterEach
    void tearDown() {
        logged.close();
    }

    private void hold(String id, Duration dueIn) {
        assertThat(h.stores.ledger().hold(id, WALLET, AccountId.REVENUE, 1_000, TransferKind.GENERATION,
                h.clock.instant().plus(dueIn)).succeeded()).isTrue();
    }

    private Optional<Duration> age() {
        return h.shop.overdueHolds().oldestPastDeadline(h.clock.instant());
    }

    @Test
    void aHoldTheUpkeepsSweepKeepsLeavingIsOneWarningThenOneAllClear() {
        hold("hold-stuck", Duration.ofMinutes(1));
        ledger.locked = true;
        assertThat(age()).as("before any sweep").contains(Duration.ZERO);

        h.clock.advance(Duration.ofMinutes(6));
        h.shop.upkeep().expire();
        assertThat(age()).as("late, not stuck").contains(Duration.ofMinutes(5));
        assertThat(said).isEmpty();

        h.clock.advance(Duration.ofMinutes(6));
        h.shop.upkeep().expire();
        assertThat(said).singleElement().asString()
                .startsWith("WARNING hold hold-stuck has been past its deadline for 11 min and the sweep of expired "
                        + "holds has not taken it; its user's money stays held meanwhile.")
                .contains("The sweep had room (it expired 0 of at most 100) and left it: a session of the store "
                        + "holds its expiry's lock or its row (a transaction left open, a lock taken by hand in the "
                        + "database's console), or the store's expire skips it (a bug). No other line until")
                .doesNotContain("more holds are due")
                .as("core names no database: a store without a hint gets none of PostgreSQL's")
                .doesNotContain("PostgreSQL", "pg_");
        h.clock.advance(Duration.ofSeconds(30));
        assertThat(age()).as("growing between sweeps").contains(Duration.ofSeconds(11 * 60 + 30));

        h.clock.advance(Duration.ofSeconds(30));
        h.shop.upkeep().expire();
        assertThat(said).as("once a spell").hasSize(1);

        ledger.locked = false;
        h.shop.upkeep().expire();
        assertThat(h.stores.ledger().holdState("hold-stuck")).isPresent().get().asString().contains("EXPIRED");
        assertThat(age()).contains(Duration.ZERO);
        assertThat(said).hasSize(2);
        assertThat(said.get(1)).isEqualTo("INFO no hold is past its deadline longer than 10 min any more");

        // over, a hold stuck later is told again
        hold("hold-later", Duration.ZERO);
        ledger.locked = true;
        h.clock.advance(Duration.ofMinutes(12));
        h.shop.upkeep().expire();
        assertThat(said).hasSize(3);
        assertThat(said.get(2)).startsWith("WARNING hold hold-later has been past its deadline for 12 min");
    }

    /** A sweep that took all it could says both causes: a backlog it works through, or a hold it cannot lock. */
    @Test
    void aSweepOfAFullBatchNamesBothCauses() {
        hold("hold-a", Duration.ZERO);
        hold("hold-b", Duration.ZERO);
        hold("hold-c", Duration.ZERO);
        h.clock.advance(Duration.ofMinutes(11));

        assertThat(h.shop.worker().sweepExpiredHolds(2)).isEqualTo(2);
        assertThat(said).singleElement().asString().startsWith("WARNING hold hold-c has been past its deadline for "
                        + "11 min")
                .contains("The sweep expired a full batch (2, earliest deadline first): either more holds are due "
                        + "than a sweep takes, and the next sweeps take them 2 at a time (nothing to do), or a "
                        + "session of the store holds its expiry's lock or its row");

        assertThat(h.shop.worker().sweepExpiredHolds(2)).isEqualTo(1);
        assertThat(said).hasSize(2);
        assertThat(said.get(1)).startsWith("INFO ");
    }

    /** Where to look is the store's to say: its hint completes the cause, and one that throws costs the line nothing. */
    @Test
    void theStoresHintSaysWhereToLook() {
        hold("hold-a", Duration.ZERO);
        ledger.locked = true;
        ledger.hint = Optional.of("On MongoDB look in db.currentOp() for the session holding it, and kill it. ");
        h.clock.advance(Duration.ofMinutes(11));

        h.shop.upkeep().expire();
        assertThat(said).singleElement().asString().contains("or the store's expire skips it (a bug). On MongoDB look "
                + "in db.currentOp() for the session holding it, and kill it. No other line until");

        ledger.locked = false;
        h.shop.upkeep().expire();
        hold("hold-b", Duration.ZERO);
        ledger.locked = true;
        ledger.hintFails = true;
        h.clock.advance(Duration.ofMinutes(11));
        h.shop.upkeep().expire();
        assertThat(said).hasSize(3);
        assertThat(said.get(2)).startsWith("WARNING hold hold-b").contains("(a bug). No other line until");
    }

    /** A read that fails costs the sweep nothing and is shown as unknown, not as none. */
    @Test
    void aReadThatFailsLeavesTheSweepsWorkAndTheFigureUnknown() {
        hold("hold-a", Duration.ZERO);
        h.clock.advance(Duration.ofMinutes(11));
        ledger.unreadable = true;

        assertThat(h.shop.worker().sweepExpiredHolds(100)).isEqualTo(1);
        assertThat(age()).isEmpty();
        assertThat(said).isEmpty();

        ledger.unreadable = false;
        h.shop.worker().sweepExpiredHolds(100);
        assertThat(age()).contains(Duration.ZERO);
    }
}
