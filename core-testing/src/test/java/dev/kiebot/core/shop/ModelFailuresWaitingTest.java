package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The jobs {@link ModelFailures} counted as the provider's timeout when they began to wait for a callback: a failure
 * rolled back does not forget one (it would be counted again at its next failure), and the memory of them is bounded
 * (a job ended by another instance on the same database never ends here).
 */
class ModelFailuresWaitingTest {
    private static final long U = 42;
    private static final String TIMEOUT = "error.provider_timeout";
    private ShopHarness h;
    private ModelFailures failures;

    @BeforeEach
    void setUp() {
        h = new ShopHarness().startedByAdminAnd(U);
        h.topUp(U, 100_000);
        failures = new ModelFailures(h.stores, TestCatalog.catalog(), ShopSettings.defaults(), h.shop.texts(),
                h.shop.outbox(), h.clock);
    }

    private void inOne(Runnable work) {
        h.stores.transactions().inOne(() -> {
            work.run();
            return null;
        });
    }

    @Test
    void aFailureRolledBackKeepsTheWaitingJobCountedAndItsFailureLaterCountsNothingMore() {
        Job job = h.runningFoxImage(U);
        inOne(() -> failures.unanswered(job));
        assertThat(failures.inARow(job.modelId())).isEqualTo(1);

        assertThatThrownBy(() -> inOne(() -> {
            failures.failed(job, TIMEOUT);
            throw new IllegalStateException("rolled back after the failure was counted");
        })).isInstanceOf(IllegalStateException.class);
        inOne(() -> failures.failed(job, TIMEOUT));

        assertThat(failures.inARow(job.modelId())).as("counted once, as it began to wait").isEqualTo(1);
        assertThat(failures.countedWhileWaiting()).as("ended: forgotten").isZero();
    }

    @Test
    void aJobLongPastItsDeadlineIsForgottenAndNoMoreThanTheMostAreKept() {
        Job ended = h.runningFoxImage(U);
        inOne(() -> failures.unanswered(ended));
        // ended by another instance: nothing here ever removes it
        h.clock.advance(Duration.between(h.clock.instant(), ended.deadline())
                .plus(ModelFailures.WAITING_KEPT_PAST_DEADLINE).plusSeconds(1));

        Job waiting = h.runningFoxImage(U);
        for (int i = 0; i < ModelFailures.WAITING_KEPT_MAX + 10; i++) {
            Job another = withId(waiting, new JobId(1_000_000 + i));
            inOne(() -> failures.unanswered(another));
        }

        assertThat(failures.countedWhileWaiting()).isEqualTo(ModelFailures.WAITING_KEPT_MAX);
        inOne(() -> failures.failed(ended, TIMEOUT));
        assertThat(failures.countedWhileWaiting()).as("the one past its deadline was not among them")
                .isEqualTo(ModelFailures.WAITING_KEPT_MAX);
    }

    private static Job withId(Job j, JobId id) {
        return new Job(id, j.userId(), j.chatId(), j.language(), j.modelId(), j.skuId(), j.values(), j.files(),
                j.price(), j.free(), j.state(), j.taskId(), j.result(), j.failure(), j.failureKind(),
                j.statusMessageId(),
                j.createdAt(), j.deadline(), j.nextCheckAt(), j.succeededAt(), j.submittedAt(), j.polls(),
                j.resultMissingReads(), j.version());
    }
}
