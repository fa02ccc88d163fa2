package dev.kiebot.runtime.smoke;

import static dev.kiebot.runtime.testing.E2eWorld.await;
import static dev.kiebot.runtime.testing.E2eWorld.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.shop.JobWorker;
import dev.kiebot.kie.fake.FakeKieServer;
import dev.kiebot.runtime.Kiebot;
import dev.kiebot.runtime.config.Settings;
import dev.kiebot.runtime.testing.CleanLogs;
import dev.kiebot.runtime.testing.E2eWorld;
import dev.kiebot.runtime.testing.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SMOKE_TEST_ON_START against the fake Kie: one real generation through the whole path, reported to the admins
 * (admin 900 in {@link E2eWorld}, who never talked to the bot and so reads Russian) whether it passed or failed;
 * never under KIE_STUB. A failed run's report quotes Kie's answer: every line is checked for secrets and user data
 * ({@link CleanLogs}).
 */
@ExtendWith(CleanLogs.class)
class SmokeTestEndToEndTest {
    private static final long ADMIN = 900;

    private E2eWorld world;
    private LogCapture logs;
    private Kiebot bot;

    @BeforeEach
    void world() {
        world = new E2eWorld();
        logs = LogCapture.attach();
    }

    @AfterEach
    void stop() {
        if (bot != null) {
            bot.close();
        }
        logs.detach();
        world.close();
    }

    private Kiebot start(Map<String, String> extra) {
        bot = Kiebot.assemble(Settings.fromEnv(world.env(extra)), Clock.systemUTC(), "lock");
        bot.startProcessing();
        return bot;
    }

    private String adminMessage(String contains) {
        return world.awaitText(ADMIN, contains).text();
    }

    @Test
    void aPassingRunGeneratesDownloadsReleasesTheHoldAndTellsTheAdmins() {
        world.kie.autoSucceedAfter(1);
        Kiebot b = start(with("SMOKE_TEST_ON_START", "1", "SMOKE_TEST_INPUT_JSON", "{\"prompt\": \"a lighthouse\"}"));

        String report = adminMessage("✅ Проверочная генерация после запуска прошла: z-image — результат получен через Kie.\n");
        // each step's time in words, no API name: «резерв цены 0,03 с · задача в Kie 0,04 с · результат через …»
        assertThat(report).contains("z-image", "резерв цены ", "задача в Kie ", "результат через ", "скачано ",
                "всего ").containsPattern("всего \\d+,\\d\\d\u00A0с$").doesNotContain("createTask", "hold ");
        assertThat(world.kie.requests(FakeKieServer.Endpoint.CREATE_TASK)).singleElement()
                .satisfies(r -> assertThat(r.bodyText()).contains("z-image", "a lighthouse"));
        assertThat(world.kie.requests(FakeKieServer.Endpoint.FILES)).as("the result was downloaded").isNotEmpty();
        String hold = b.shop().stores().ledger().transfers(SmokeTest.ACCOUNT).get(0).id();
        await("hold released", () -> b.shop().stores().ledger().holdState(hold).equals(
                java.util.Optional.of(HoldState.VOIDED)));
        assertThat(b.shop().stores().ledger().balance(SmokeTest.ACCOUNT).posted()).isZero();
        assertThat(Reconciliation.check(b.shop().stores().ledger())).isEmpty();
        await("logged", () -> logs.lines().stream().anyMatch(l -> l.contains("smoke test passed: z-image")));
    }

    /**
     * The report reads in the shop's own words (TEXTS_FILE) where it gave them, as every other alert to the admins does:
     * it was written with kiebot's texts alone.
     */
    @Test
    void theReportSpeaksTheShopsOwnTexts(@TempDir Path dir) throws IOException {
        Path texts = Files.writeString(dir.resolve("texts.properties"), """
                ru.admin.smoke_passed=Запуск проверен: {0} работает.\\n{1}
                ru.admin.smoke_took_total=итого {0}
                """);
        world.kie.autoSucceedAfter(1);
        start(with("SMOKE_TEST_ON_START", "1", "SMOKE_TEST_INPUT_JSON", "{\"prompt\": \"a lighthouse\"}",
                "TEXTS_FILE", texts.toString()));

        assertThat(adminMessage("Запуск проверен: z-image работает.\n")).contains("резерв цены ")
                .containsPattern("итого \\d+,\\d\\d\u00A0с$");
    }

    @Test
    void aFailedTaskIsReportedToTheAdminsWithTheStepAndTheHoldIsReleased() {
        Kiebot b = start(with("SMOKE_TEST_ON_START", "1", "SMOKE_TEST_MODEL_ID", "google/nano-banana"));
        // start() has returned while the smoke test waits for this task: it runs beside the bot, not before it
        // its id, not only its request: the fake records a request before it creates the task
        await("task created", () -> world.kie.taskIds().size() == 1);
        assertThat(b.health().report()).containsEntry("db", true).containsEntry("migrations", true);
        assertThat(b.health().report().get("schemaVersion")).as("the database's, as the probe read it")
                .isInstanceOf(Integer.class);
        world.kie.fail(world.kie.taskIds().get(0), "500", "internal error");

        String report = adminMessage("❌ Проверочная генерация после запуска не прошла на шаге «ожидание результата»"
                + " (google/nano-banana): ");
        assertThat(report).contains("internal error", "задача в Kie ").doesNotContain("Смоук", "смоук", "createTask");
        await("logged as an error", () -> logs.lines().stream()
                .anyMatch(l -> l.contains("smoke test FAILED at result (google/nano-banana)")));
        await("hold released", () -> b.shop().stores().ledger().balance(SmokeTest.ACCOUNT).debitsPending() == 0);
        assertThat(Reconciliation.check(b.shop().stores().ledger())).isEmpty();
    }

    /** Kie says "success" with no result URL: read again as the shop's worker does, a bounded number of times. */
    @Test
    void aSuccessThatStaysWithoutAResultFailsAfterTheFurtherReads() {
        // Kie answers createTask only once its task reads "success" without a result, so every status read sees that:
        // set while the smoke test could already read, a read in flight at that moment was counted as one after it
        java.util.concurrent.CountDownLatch kiesAnswer = world.kie.holdCreateAnswers();
        start(with("SMOKE_TEST_ON_START", "1", "SMOKE_TEST_MODEL_ID", "google/nano-banana"));
        await("task created", () -> world.kie.taskIds().size() == 1);
        String task = world.kie.taskIds().get(0);
        world.kie.succeedWithoutResult(task);
        kiesAnswer.countDown();

        String report = adminMessage("❌ Проверочная генерация после запуска не прошла на шаге «ожидание результата»"
                + " (google/nano-banana): ");
        assertThat(report).contains("without result URLs");
        assertThat(world.kie.task(task).statusReads()).isEqualTo(1 + JobWorker.RESULT_MISSING_READS_MAX);
    }

    @Test
    void underTheStubItIsSkippedWithALogLine() {
        start(with("SMOKE_TEST_ON_START", "1", "KIE_STUB", "1"));

        assertThat(logs.lines()).anyMatch(l -> l.contains("smoke test skipped: KIE_STUB"));
        assertThat(world.kie.count(FakeKieServer.Endpoint.CREATE_TASK)).isZero();
        assertThat(world.telegram.textsTo(ADMIN)).noneMatch(t -> t.contains("Проверочная генерация"));
    }

    @Test
    void anUnknownModelOrAMissingInputStopsTheStartNamingWhatToSet() {
        assertThatThrownBy(() -> start(with("SMOKE_TEST_ON_START", "1", "SMOKE_TEST_MODEL_ID", "nano-banan")))
                .hasMessageContaining("SMOKE_TEST_MODEL_ID: unknown model 'nano-banan' (closest: nano-banana-2");
        assertThatThrownBy(() -> start(with("SMOKE_TEST_ON_START", "1", "SMOKE_TEST_MODEL_ID",
                "google/nano-banana-edit"))).hasMessageContaining("SMOKE_TEST_INPUT_JSON")
                .hasMessageContaining("image_urls");
        assertThat(List.of(SmokePlan.DEFAULT_PROMPT)).allMatch(p -> !p.isBlank());
    }
}
