package dev.kiebot.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.runtime.config.Settings;
import dev.kiebot.runtime.testing.E2eWorld;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Instances sharing a database decide by their own clocks: one three minutes ahead takes another's 90-second job lease
 * and refunds an order Kie is still making. Such an instance does not start, and says what to do.
 */
class ClockSkewStartTest {
    @Test
    void aMachineMinutesOffTheDatabasesClockDoesNotStart() {
        try (E2eWorld world = new E2eWorld()) {
            Settings settings = Settings.fromEnv(world.env(Map.of()));
            Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(3));
            assertThatThrownBy(() -> Kiebot.assemble(settings, ahead, "lock").close())
                    .isInstanceOf(StartFailure.class)
                    .hasMessageContaining("this machine's clock is 180 s ahead of the database's")
                    .hasMessageContaining("Sync this machine's clock (NTP")
                    .hasMessageContaining("kiebot's runner: CLOCK_SKEW_MAX_SECONDS, 0: never refused");
        }
    }

    /**
     * The database server's own clock three minutes off refuses every instance: the operator raises the limit
     * (CLOCK_SKEW_MAX_SECONDS) and the bot starts, the skew still measured.
     */
    @Test
    void theOperatorsLimitLetsItStart() {
        try (E2eWorld world = new E2eWorld()) {
            Settings settings = Settings.fromEnv(world.env(Map.of("CLOCK_SKEW_MAX_SECONDS", "600")));
            Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(3));
            try (Kiebot bot = Kiebot.assemble(settings, ahead, "lock")) {
                assertThat(bot.shop().clockSkew().last().orElseThrow()).isGreaterThan(Duration.ofMinutes(2));
                // /readyz shows it, and is not made "not ready" by it (README, "Health and operations")
                assertThat((String) bot.health().report().get("clock"))
                        .matches("off: 1[78]\\d s ahead of the database's, more than the 30 s warned of");
            }
        }
    }
}
