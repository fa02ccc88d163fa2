package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.testing.memory.InMemoryStores;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances on one database decide by their own clocks (a job's 90-second lease, its send's five-minute window):
 * one whose clock is minutes off refunds an order the other is still making at the provider. The shop compares its
 * machine's clock with the stores' at the start of its work and in the upkeep's minute pass.
 */
class ClockSkewTest {
    /** How far the stores' clock is ahead of the machine's (the harness's clock). */
    private final AtomicReference<Duration> storesAhead = new AtomicReference<>(Duration.ZERO);
    /** What {@link ClockSkew} says at INFO or above while a test runs. */
    private LoggedLines logged;
    private List<String> said;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        logged = LoggedLines.recording(ClockSkew.class, Level.INFO);
        said = logged.lines();
        h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults(), ManualPayments.off(),
                b -> b.storesClock(() -> h.clock.instant().plus(storesAhead.get())));
    }

    @AfterEach
    void tearDown() {
        logged.close();
    }

    @Test
    void theWorkDoesNotStartOnAClockMinutesOffTheStores() {
        storesAhead.set(Duration.ofMinutes(3));

        assertThatThrownBy(() -> ShopWork.start(h.shop, ShopWork.Instances.SEVERAL))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("this machine's clock is 180 s behind the database's (a start is refused "
                        + "above 120 s)")
                .hasMessageContaining("Sync this machine's clock (NTP")
                .hasMessageContaining("When the database server's clock is the one off (every instance is refused), "
                        + "sync that one; to start meanwhile, raise the limit (Shop.Builder.clockSkewRefusedAbove; "
                        + "kiebot's runner: CLOCK_SKEW_MAX_SECONDS, 0: never refused)");
    }

    /**
     * The database server's own clock minutes off refuses every instance alike: the operator's way out is a higher
     * limit, or none, the WARNING still said.
     */
    @Test
    void anOperatorsLimitLetsAClockMinutesOffStartAndZeroNeverRefuses() {
        storesAhead.set(Duration.ofMinutes(3));
        ShopHarness raised = limited(Duration.ofMinutes(5));
        ShopWork.start(raised.shop, ShopWork.Instances.SEVERAL).close();
        assertThat(said).singleElement().asString().startsWith("WARNING this machine's clock is 180 s behind")
                .contains("(a start is refused above 300 s)");

        storesAhead.set(Duration.ofDays(2));
        said.clear();
        ShopHarness off = limited(Duration.ZERO);
        ShopWork.start(off.shop, ShopWork.Instances.SEVERAL).close();
        assertThat(off.shop.clockSkew().refusedAbove()).isEmpty();
        assertThat(said).singleElement().asString().startsWith("WARNING this machine's clock is 172800 s behind")
                .contains("(a start is never refused: the limit is off)");

        storesAhead.set(Duration.ofSeconds(70));
        ShopHarness stricter = limited(Duration.ofMinutes(1));
        assertThatThrownBy(() -> ShopWork.start(stricter.shop, ShopWork.Instances.SEVERAL))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("70 s behind the database's (a start is refused above 60 s)");
    }

    /** A shop whose stores' clock is {@link #storesAhead} of its own, refusing a start above {@code limit}. */
    private ShopHarness limited(Duration limit) {
        AtomicReference<ShopHarness> made = new AtomicReference<>();
        made.set(new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults(), ManualPayments.off(),
                b -> b.storesClock(() -> made.get().clock.instant().plus(storesAhead.get()))
                        .clockSkewRefusedAbove(limit)));
        return made.get();
    }

    @Test
    void aNegativeLimitIsRefusedByTheBuilder() {
        assertThatThrownBy(() -> new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults(), ManualPayments.off(),
                b -> b.clockSkewRefusedAbove(Duration.ofSeconds(-1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clockSkewRefusedAbove (kiebot's runner: CLOCK_SKEW_MAX_SECONDS) must be 0 "
                        + "(never refuse a start) or more, got PT-1S");
    }

    @Test
    void aClockOffLessThanTheRefusalStartsWithAWarning() {
        storesAhead.set(Duration.ofSeconds(-90));

        ShopWork.start(h.shop, ShopWork.Instances.SEVERAL).close();

        assertThat(said).singleElement().asString().startsWith("WARNING this machine's clock is 90 s ahead of the "
                + "database's").contains("Sync this machine's clock (NTP)");
        assertThat(h.shop.clockSkew().last().orElseThrow()).as("half the read's round trip allowed")
                .isBetween(Duration.ofSeconds(89), Duration.ofSeconds(90));
    }

    /** Told once a spell, in the upkeep's minute pass, and when it is over. */
    @Test
    void theUpkeepWarnsOnceWhenTheClocksPartAndSaysWhenTheyAgree() {
        Upkeep upkeep = h.shop.upkeep();
        upkeep.expire();
        assertThat(said).isEmpty();

        storesAhead.set(Duration.ofSeconds(45));
        upkeep.expire();
        upkeep.expire();
        assertThat(said).singleElement().asString().startsWith("WARNING this machine's clock is 45 s behind");

        storesAhead.set(Duration.ofSeconds(2));
        upkeep.expire();
        assertThat(said).hasSize(2).last().asString()
                .isEqualTo("INFO this machine's clock agrees with the database's again (2.0 s apart)");
        assertThat(h.shop.clockSkew().last().orElseThrow()).isBetween(Duration.ofSeconds(-2), Duration.ofSeconds(-1));
    }

    /**
     * A stores' clock that takes its time to answer (a slow first query, the embedded database starting) and agrees
     * with the machine's: it answers the time it began the read at, the machine's clock 200 ms on by then. Taken
     * whole, the machine's clock is 100 ms ahead (the read's middle against its start); half the read's round trip
     * (at least 200 ms, the time it slept) is allowed either way, so no skew: the start is never refused on a healthy
     * box whose database is slow to answer.
     */
    @Test
    void aSlowAnswerOfAClockThatAgreesIsNoSkew() {
        MutableClock machine = MutableClock.at("2026-11-21T10:00:00Z");
        Duration answering = Duration.ofMillis(200);
        ClockSkew skew = new ClockSkew(machine, Optional.<StoresClock>of(() -> {
            Instant began = machine.instant();
            machine.advance(answering);
            try {
                Thread.sleep(answering.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return began;
        }));

        assertThat(skew.measure()).contains(Duration.ZERO);
    }

    /** A stores' clock that cannot be read stops neither the start nor the minute pass's other work. */
    @Test
    void anUnreadableStoresClockStopsNothing() {
        ShopHarness unreadable = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults(), ManualPayments.off(),
                b -> b.storesClock(() -> {
                    throw new IllegalStateException("the database is down");
                }));
        ShopWork.start(unreadable.shop, ShopWork.Instances.SEVERAL).close();
        unreadable.shop.upkeep().expire();
        assertThat(unreadable.shop.clockSkew().last()).isEmpty();
    }

    /**
     * README's wiring started several processes on one DATABASE_URL with no stores' clock: nothing compared the
     * machines' clocks, and one minutes off refunded the others' orders unsaid. Refused at the start, saying what to
     * give; a shop in memory (a test's: no other process can share it) and one given the clock start.
     */
    @Test
    void severalInstancesOnADatabaseWithoutTheStoresClockAreRefusedSayingWhatToGive() {
        ShopHarness unclocked = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults(), ManualPayments.off(),
                b -> b, clock -> durable(InMemoryStores.create(clock)));

        assertThatThrownBy(() -> ShopWork.start(unclocked.shop, ShopWork.Instances.SEVERAL))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Shop.builder() was given no storesClock")
                .hasMessageContaining("Shop.builder().storesClock(new PgClock(database.jdbi()))")
                .hasMessageContaining("or a StoresClock reading your database's current time")
                .hasMessageContaining("or start with Instances.ONE")
                // the easy way out, wrong for a deploy's overlap: the partner reads when it is
                .hasMessageContaining("not even a deploy's new process started before the old one stopped");
        ShopWork.start(unclocked.shop, ShopWork.Instances.ONE).close(); // the refused start left the work to start

        AtomicReference<ShopHarness> clocked = new AtomicReference<>();
        clocked.set(new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults(), ManualPayments.off(),
                b -> b.storesClock(() -> clocked.get().clock.instant()), clock -> durable(InMemoryStores.create(clock))));
        ShopWork.start(clocked.get().shop, ShopWork.Instances.SEVERAL).close();
        ShopHarness inMemory = new ShopHarness();
        ShopWork.start(inMemory.shop, ShopWork.Instances.SEVERAL).close();
    }

    /** {@code s} with transactions that say they survive a restart, as a database's do. */
    private static Stores durable(Stores s) {
        Transactions memory = s.transactions();
        Transactions durable = TransactionsOver.durable(memory);
        return new Stores(s.users(), s.chatStates(), s.ledger(), s.jobs(), s.payments(), s.freeUsage(),
                s.processedUpdates(), s.audit(), s.admissions(), s.broadcasts(), s.manualTopUps(), s.supportTickets(),
                s.figures(), s.pendingReplies(), durable, s.pausedModels(), s.externalRefundDues(), s.personalData());
    }
}
