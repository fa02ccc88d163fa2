package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.users.User;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provider is told each job with a task that ended, whichever way ({@code GenerationProvider.taskEnded}): what it
 * keeps of the task in memory (Kie's Veo task awaiting its 1080p file) goes with the job, not only with the task's own
 * last answer.
 */
class TaskEndedTest {
    private ShopHarness h;
    private User user;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(42, "start");
        user = h.stores.users().find(42).orElseThrow();
        h.topUp(42, 10_000);
    }

    private Job sent() {
        Generations.Start s = h.shop.generations().start(user, 42,
                new Effect.StartJob("img/m9", "default", Map.of("prompt", "a cat"), Map.of(), 300, false));
        Job j = ((Generations.Start.Started) s).job();
        h.work(10);
        assertThat(h.stored(j).state()).isEqualTo(JobState.SUBMITTED);
        return j;
    }

    @Test
    void aJobRefundedAtItsDeadlineTellsTheProviderItsTaskEnded() {
        Job j = sent();
        h.clock.advance(Duration.between(h.clock.instant(), h.stored(j).deadline()).plusSeconds(1));
        h.work(10);

        assertThat(h.stored(j).state()).isEqualTo(JobState.FAILED);
        assertThat(h.provider.ended).containsExactly(h.stored(j).taskId().orElseThrow());
    }

    @Test
    void aJobDeliveredTellsTheProviderItsTaskEnded() {
        Job j = sent();
        h.provider.succeed("task-1", "https://r/cat.png");
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);

        assertThat(h.stored(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.provider.ended).containsExactly("task-1");
    }

    @Test
    void aJobCancelledBeforeItsSendTellsTheProviderNothing() {
        Generations.Start s = h.shop.generations().start(user, 42,
                new Effect.StartJob("img/m9", "default", Map.of("prompt", "a cat"), Map.of(), 300, false));
        Job j = ((Generations.Start.Started) s).job();
        assertThat(h.shop.generations().cancel(j.id())).isTrue();

        assertThat(h.stored(j).state()).isEqualTo(JobState.FAILED);
        assertThat(h.provider.ended).isEmpty();
    }
}
