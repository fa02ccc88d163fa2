package dev.kiebot.polling;

import static dev.kiebot.runtime.testing.E2eWorld.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.runtime.Kiebot;
import dev.kiebot.runtime.config.Settings;
import dev.kiebot.runtime.testing.E2eWorld;
import dev.kiebot.runtime.testing.RunnerScenarios;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scenarios through the long-polling runner, plus its singleton lock and shutdown. */
class PollingEndToEndTest extends RunnerScenarios {

    private static final class Polling implements Runner {
        final PollingRunner runner;
        final E2eWorld world;

        Polling(PollingRunner runner, E2eWorld world) {
            this.runner = runner;
            this.world = world;
        }

        @Override
        public Kiebot bot() {
            return runner.bot();
        }

        @Override
        public void deliver(String updateJson) {
            world.telegram.enqueue(updateJson);
        }

        @Override
        public void close() {
            runner.close();
        }
    }

    @Override
    protected Runner start(Map<String, String> env, Clock clock) {
        Polling p = new Polling(PollingRunner.start(Settings.fromEnv(env), clock, Duration.ofMillis(200), 1), world);
        await("lock and polling", p.runner::polling);
        return p;
    }

    @Test
    void aSecondInstanceWaitsAndTakesOverWhenTheFirstStops() {
        Polling first = (Polling) startRunner(Map.of("PORT", Integer.toString(E2eWorld.freePort())), Clock.systemUTC());
        PollingRunner second = PollingRunner.start(Settings.fromEnv(world.env(Map.of())), Clock.systemUTC(),
                Duration.ofMillis(200), 1);
        try {
            E2eWorld.sleep(1000);
            assertThat(first.runner.polling()).isTrue();
            assertThat(second.polling()).as("standby instance must not poll").isFalse();
            assertThat(second.bot().health().ready()).isFalse();
            first.close();
            long t0 = System.nanoTime();
            await("takeover", second::polling);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
            second.bot().shop().storefront();
            world.telegram.enqueue(updates.command(ALICE, "start", ""));
            world.awaitText(ALICE, "Balance: 1.00 ₽");
        } finally {
            second.close();
        }
    }

    @Test
    void a409BacksOffInsteadOfSpinningAndRecovers() {
        world.telegram.failNext("getUpdates", 3, dev.kiebot.telegram.fake.FakeTelegramServer.Failure.apiError(409,
                "Conflict: terminated by other getUpdates request"));
        Polling p = (Polling) startRunner(Map.of(), Clock.systemUTC());
        p.deliver(updates.command(ALICE, "start", ""));
        world.awaitText(ALICE, "Balance");
        // 3 conflicts cost 1 + 2 + 4 s of backoff: far fewer calls than a spinning loop would make
        assertThat(world.telegram.callsTo("getUpdates").stream().filter(c -> c.status() == 409)).hasSize(3);
        assertThat(world.telegram.callsTo("deleteWebhook")).isNotEmpty();
    }

    @Test
    void closingStopsWithinTenSeconds() {
        Polling p = (Polling) startRunner(Map.of(), Clock.systemUTC());
        p.deliver(updates.command(ALICE, "start", ""));
        world.awaitText(ALICE, "Balance");
        long t0 = System.nanoTime();
        p.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void offsetsAreConfirmedOnlyAfterRecording() {
        Polling p = (Polling) startRunner(Map.of(), Clock.systemUTC());
        p.deliver(updates.command(ALICE, "start", ""));
        world.telegram.awaitUpdatesConfirmed(E2eWorld.WAIT);
        await("recorded", () -> !p.bot().shop().stores().jobs().recent(ALICE, 1).isEmpty()
                || world.telegram.lastTextTo(ALICE).isPresent());
        assertThat(world.telegram.lastTextTo(ALICE)).isPresent();
    }
}
