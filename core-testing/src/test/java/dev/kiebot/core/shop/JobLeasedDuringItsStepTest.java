package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.jobs.ForwardingJobs;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.users.User;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A job that another thread of the worker leases while its step is still in hand (the step's write had ended the
 * lease and the job fell due) is left to that step, and the step gives the lease back at its end. Kept, that lease
 * held the job for {@link JobWorker#LEASE} after a step that wrote nothing more: a result read 90 s late, and on a
 * test's stopped clock never (the job threads' test in app-runtime failed so under a loaded CI machine).
 */
class JobLeasedDuringItsStepTest {
    private final ShopHarness h = new ShopHarness();

    @Test
    void aLeaseTakenWhileTheStepWasInHandIsGivenBackWhenTheStepEnds() throws Exception {
        h.command(42, "start");
        h.topUp(42, 10_000);
        User user = h.stores.users().find(42).orElseThrow();
        CountDownLatch submittedWritten = new CountDownLatch(1);
        CountDownLatch stepMayEnd = new CountDownLatch(1);
        AtomicBoolean holdOnce = new AtomicBoolean(true);
        // the step stops right after its last write of the job (SUBMITTED), as a thread does that is slow to end it
        Shop shop = h.anotherInstance(s -> s.withJobs(new ForwardingJobs(s.jobs()) {
            @Override
            public Optional<Job> update(Job next) {
                Optional<Job> written = super.update(next);
                if (written.map(j -> j.state() == JobState.SUBMITTED).orElse(false) && holdOnce.getAndSet(false)) {
                    submittedWritten.countDown();
                    await(stepMayEnd);
                }
                return written;
            }
        }));
        Generations.Start start = shop.generations().start(user, 42,
                new Effect.StartJob("img/m9", "default", Map.of("prompt", "a cat"), Map.of(), 300, false));
        Job job = ((Generations.Start.Started) start).job();

        ExecutorService stepThread = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> step = stepThread.submit(() -> shop.worker().runOnce(1));
            assertThat(submittedWritten.await(10, TimeUnit.SECONDS)).as("the step wrote SUBMITTED").isTrue();
            // the first read falls due while the step is still in hand: another thread leases the job and leaves it
            h.clock.advance(Duration.ofMinutes(1));
            assertThat(shop.worker().runOnce(1)).as("the job leased by the second thread").isEqualTo(1);
            assertThat(h.provider.submitted).hasSize(1);
            stepMayEnd.countDown();
            assertThat(step.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        } finally {
            stepMayEnd.countDown();
            stepThread.shutdownNow();
        }

        h.provider.succeed("task-1", "https://r/cat.png");
        h.clock.advance(Duration.ofSeconds(5)); // well short of the lease the second thread took
        shop.worker().runOnce(1);
        assertThat(h.stores.jobs().find(job.id()).orElseThrow().state())
                .as("the result read at once, not after the second thread's lease ran out")
                .isEqualTo(JobState.DELIVERED);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
