package dev.kiebot.kie;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.kie.fake.FakeKieServer.Endpoint;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kie answered a createTask with success and no task id the adapter can read ({@code {"code":200,"msg":"success",
 * "data":{}}}): Kie took the order and made the task, the bot does not know which. It was a garbled answer, the job
 * refunded at once with a RECONCILE line while Kie made the result and charged the shop for it, and Kie's callback,
 * naming the job, then found a refunded job. Now it is a lost answer, as a createTask unanswered in time is: the job
 * waits for that callback until its deadline, its money held and its user told, and never goes to Kie twice.
 */
class CreateAnswerWithoutTaskIdTest extends ShopOverFakeKie {
    private static final long PRICE = 297;

    CreateAnswerWithoutTaskIdTest() {
        super("https://bot.example/kie/callback/secret-token");
    }

    @BeforeEach
    void createsAnsweredWithoutTaskId() {
        kie.answerCreatesWithoutTaskId();
    }

    @Test
    void aSuccessWithoutATaskIdWaitsForKiesCallbackAndIsDeliveredChargedOnce() {
        h.orderAFoxImage(42);
        Job j = h.lastJob(42);
        h.messenger.drain();
        shop.worker().runOnce(10);
        h.deliver();

        assertThat(kie.taskIds()).as("Kie made the task").hasSize(1);
        assertThat(job(j).state()).isEqualTo(JobState.SUBMITTING);
        assertThat(job(j).awaitsTask()).isTrue();
        assertThat(h.stores.ledger().holdState(j.holdId())).contains(HoldState.PENDING);
        assertThat(h.balance(42)).isEqualTo(10_000 - PRICE);
        assertThat(h.messenger.texts()).anyMatch(t -> t.contains("did not confirm in time"));

        String task = kie.taskIds().get(0);
        h.clock.advance(Duration.ofMinutes(2));
        kie.succeed(task, "https://r/fox.png");
        shop.worker().checkTask(task, Optional.of(j.id().display())); // Kie's callback, naming the job
        shop.worker().runOnce(10);
        h.deliver();

        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(job(j).taskId()).contains(task);
        assertThat(h.messenger.of(Reply.SendMedia.class)).singleElement()
                .satisfies(m -> assertThat(m.source()).isEqualTo("https://r/fox.png"));
        assertThat(h.balance(42)).as("charged once").isEqualTo(10_000 - PRICE);
        assertThat(kie.count(Endpoint.CREATE_TASK)).as("never sent twice").isEqualTo(1);
        assertThat(h.stores.audit().byCorrelation(j.id().display())).extracting(e -> e.action())
                .contains("gen.awaiting_callback").doesNotContain("gen.reconcile", "gen.failed");
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }
}
