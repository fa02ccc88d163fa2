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
        assertThat(upkeep.cleanup()).isEqualTo(new Upkeep.Cleaned(0, 0, 0));
    }
}
