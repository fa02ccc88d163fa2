package dev.kiebot.polling;

import static dev.kiebot.runtime.testing.E2eWorld.await;

import dev.kiebot.runtime.config.Settings;
import dev.kiebot.runtime.testing.E2eRunner;
import dev.kiebot.runtime.testing.E2eWorld;
import dev.kiebot.runtime.testing.RunnerScenarios;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Some of the scenarios again, on the install a newcomer gets from {@code ./kiebot}: the polling runner on its own
 * embedded PostgreSQL in {@code DATA_DIR}. There the workers are woken in process when work commits, not by
 * NOTIFY, and the safety poll is a minute: a lost wake-up makes a reply wait that minute, longer than any of these
 * scenarios waits for it. The other scenarios run on the shared test database ({@link PollingEndToEndTest}); each
 * one here costs a fresh database.
 */
@ExtendWith(MigratedTemplate.class)
class PollingOwnDatabaseEndToEndTest extends RunnerScenarios {
    /** The money paths, a restart on the same data, a stop under load (the database must stop last). */
    private static final Set<String> SCENARIOS = Set.of(
            "startToDeliveredResultChargesExactlyTheShownPrice",
            "aFailedTaskReturnsTheMoney",
            "freeTierMovesNoMoneyCountsAndStopsAtTheLimit",
            "aRestartAfterSubmitDeliversOnceAndChargesOnce",
            "aRunnerStoppedUnderLoadStopsCleanlyAndTheNextStartAnswersEveryUpdateOnce");

    @RegisterExtension
    static final ExecutionCondition ONLY_THESE = context -> context.getTestMethod()
            .map(m -> SCENARIOS.contains(m.getName())
                    ? ConditionEvaluationResult.enabled("runs on the bot's own database too")
                    : ConditionEvaluationResult.disabled("runs on the shared test database only"))
            .orElse(ConditionEvaluationResult.enabled("the class"));

    @TempDir
    Path dataDir;

    @Override
    protected E2eRunner start(Map<String, String> env, Clock clock) {
        Map<String, String> own = new HashMap<>(env);
        own.remove("DATABASE_URL");
        own.remove("DATABASE_USER");
        own.remove("DATABASE_PASSWORD");
        own.put("DATA_DIR", dataDir.toString());
        PollingRunner runner = PollingRunner.start(Settings.fromEnv(own), clock, Duration.ofMillis(200), 1,
                PollingEndToEndTest.QUICK_PAUSES, E2eWorld.KIE_READS);
        await("polling", runner::polling);
        return new PollingEndToEndTest.Polling(runner, world);
    }
}
