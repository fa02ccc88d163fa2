package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.testing.ShopHarness;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The periodic work a shop needs is listed by core, each task with its period, so a partner schedules the list
 * rather than a set of calls remembered from the README (a forgotten hold sweep left users' money held for good).
 */
class UpkeepTest {
    @Test
    void theTasksAreTheExpiriesEveryMinuteTheCleanupHourlyAndTheBacklogsEveryMinute() {
        Upkeep upkeep = new ShopHarness().shop.upkeep();

        assertThat(upkeep.tasks()).extracting(Upkeep.Task::name, Upkeep.Task::every).containsExactly(
                org.assertj.core.groups.Tuple.tuple("expiries", Duration.ofMinutes(1)),
                org.assertj.core.groups.Tuple.tuple("cleanup", Duration.ofHours(1)),
                org.assertj.core.groups.Tuple.tuple("backlogs", Duration.ofMinutes(1)));
        upkeep.tasks().forEach(t -> t.run().run()); // an empty shop: each runs without a failure
        assertThat(upkeep.cleanup()).isEqualTo(new Upkeep.Cleaned(0, 0, 0, 0));
    }

    /**
     * Free uses and welcome bonuses are counted by the shop's day ({@code ShopSettings.zone()}, Moscow here): the
     * cleanup's cutoff is a day of that zone too. At 01:30 in Moscow, still the evening before in UTC, the day 30 days
     * back in Moscow is the cutoff: the day before it goes, that day stays.
     */
    @Test
    void theFreeUsesCutoffIsADayOfTheShopsZoneNotOfUtc() {
        ShopHarness h = new ShopHarness();
        h.clock.set(java.time.Instant.parse("2026-11-21T22:30:00Z")); // 2026-11-22 01:30 in Moscow
        java.time.LocalDate cutoff = java.time.LocalDate.parse("2026-10-23"); // 30 days back, in Moscow
        h.stores.freeUsage().tryUse(1, cutoff.minusDays(1), 5, "before the cutoff");
        h.stores.freeUsage().tryUse(1, cutoff, 5, "on the cutoff");

        assertThat(h.shop.upkeep().cleanup().freeUses()).as("the day before Moscow's cutoff").isEqualTo(1);
        assertThat(h.stores.freeUsage().usedByAll(cutoff)).as("the cutoff day kept").isEqualTo(1);
    }
}
