package dev.kiebot.runtime.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.PollPolicy;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.SubmitRequest;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.shop.JobWorker;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.testing.memory.InMemoryLedger;
import dev.kiebot.kie.fake.FakeKieServer;
import dev.kiebot.runtime.config.SmokeTestSettings;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The smoke test's status reads, against a scripted provider and a clock that moves 30 s per read: Kie's early
 * "not found" is forgiven within {@link JobWorker#NOT_FOUND_GRACE} of the submission, as the shop's worker forgives
 * it, and fails the run after it. The result is downloaded from a fake Kie server.
 */
class SmokeTestStatusReadsTest {
    private static final Duration READ_TAKES = Duration.ofSeconds(30);

    private final FakeKieServer files = FakeKieServer.start();
    private final MutableClock clock = MutableClock.at("2026-11-21T10:00:00Z");
    private final InMemoryLedger ledger = new InMemoryLedger(clock);
    private final Deque<Object> answers = new ArrayDeque<>();
    private int reads;

    @AfterEach
    void stop() {
        files.close();
    }

    /** Answers each status read with the next scripted answer (the last one again when they run out). */
    private final GenerationProvider provider = new GenerationProvider() {
        @Override
        public String submit(SubmitRequest request) {
            return "task-1";
        }

        @Override
        public TaskStatus status(Model model, String taskId) throws ProviderException {
            reads++;
            clock.advance(READ_TAKES);
            Object next = answers.size() > 1 ? answers.poll() : answers.peek();
            if (next instanceof ProviderException e) {
                throw e;
            }
            return (TaskStatus) next;
        }

        @Override
        public String upload(byte[] content, String fileName, String mimeType) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.Optional<BigDecimal> credits() {
            return java.util.Optional.of(BigDecimal.ZERO);
        }
    };

    private SmokeTest.Outcome run() {
        SmokePlan plan = SmokePlan.of(TestCatalog.catalog(), Pricing.defaults(),
                new SmokeTestSettings(true, Optional.empty(), Map.of()));
        // a Kie on this machine, as the result's server here
        return new SmokeTest(plan, ledger, provider, URI.create("http://127.0.0.1:1"), PollPolicy.every(Duration.ZERO),
                Duration.ofMinutes(10), Optional.empty(), clock, "test").run();
    }

    private static ProviderException notFound() {
        return new ProviderException(ErrorKind.NOT_FOUND, "Task not found", true);
    }

    @Test
    void kiesEarlyNotFoundIsReadAgainAndTheRunPasses() {
        files.serve("/files/result.png", new byte[] {1, 2, 3});
        answers.add(notFound());
        answers.add(new TaskStatus.Succeeded(new JobResult(List.of(files.baseUrl() + "/files/result.png"),
                MediaKind.PHOTO)));

        SmokeTest.Outcome outcome = run();

        assertThat(outcome.passed()).as(outcome.detail()).isTrue();
        assertThat(reads).isEqualTo(2);
        // the report counts the read Kie answered "not found" too
        assertThat(outcome.timings()).filteredOn(t -> t.what() == SmokeTest.Measure.RESULT).singleElement()
                .satisfies(t -> assertThat(t.count()).isEqualTo(2))
                .satisfies(t -> assertThat(t.took()).isEqualTo(READ_TAKES.multipliedBy(2)));
        assertThat(ledger.balance(SmokeTest.ACCOUNT).debitsPending()).isZero();
    }

    @Test
    void aTaskStillNotFoundAfterTheGraceFailsTheRun() {
        answers.add(notFound());

        SmokeTest.Outcome outcome = run();

        assertThat(outcome.failedAt()).contains(SmokeTest.Step.RESULT);
        assertThat(outcome.detail()).contains("NOT_FOUND", "Task not found");
        // read every 30 s until the grace (3 minutes) ran out
        assertThat(reads).isEqualTo((int) JobWorker.NOT_FOUND_GRACE.dividedBy(READ_TAKES));
        assertThat(ledger.balance(SmokeTest.ACCOUNT).debitsPending()).isZero();
    }

    @Test
    void anyOtherFailedReadStillFailsTheRunAtOnce() {
        answers.add(new ProviderException(ErrorKind.AUTH, "You do not have access permissions", true));

        SmokeTest.Outcome outcome = run();

        assertThat(outcome.failedAt()).contains(SmokeTest.Step.RESULT);
        assertThat(outcome.detail()).contains("AUTH");
        assertThat(reads).isEqualTo(1);
    }
}
