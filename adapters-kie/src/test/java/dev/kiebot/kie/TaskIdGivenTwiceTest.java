package dev.kiebot.kie;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.kie.fake.FakeKieServer;
import dev.kiebot.kie.fake.FakeKieServer.Endpoint;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A shop on the Kie adapter, against the fake Kie on 127.0.0.1, when Kie answers a createTask with a task id it gave
 * another job before. The store keeps a task id to one job, so the second job's write is refused, and no retry ends
 * that: the job waited SUBMITTING until its hold expired (11-20 minutes), 21 WARN lines, then a RECONCILE line
 * saying "after a restart" where there was none. Now it fails at once, refunded, with one RECONCILE line.
 */
class TaskIdGivenTwiceTest extends ShopOverFakeKie {
    @BeforeEach
    void secondUser() {
        h.command(43, "start");
        h.topUp(43, 10_000);
    }

    @Test
    void aTaskIdAnotherJobHoldsFailsTheJobAtOnceWithOneReconcileLine() {
        Job a = started(42);
        String task = taskOf(a);
        kie.succeed(task, "https://tempfile.example/user42.png");
        pass(Duration.ofSeconds(5));
        assertThat(job(a).state()).isEqualTo(JobState.DELIVERED);

        kie.enqueue(Endpoint.CREATE_TASK, FakeKieServer.Reply.ok(
                "{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"" + task + "\"}}"));
        Job b = started(43);
        assertThat(job(b).state()).as("failed in the pass that sent it").isEqualTo(JobState.FAILED);
        assertThat(job(b).taskId()).isEmpty();
        assertThat(h.stores.ledger().holdState(job(b).holdId())).contains(HoldState.VOIDED);
        assertThat(h.balance(43)).isEqualTo(10_000);
        assertThat(h.stores.audit().byCorrelation(b.id().display())).filteredOn(e -> e.action().equals("gen.reconcile"))
                .singleElement().satisfies(e -> assertThat(e.detail()).contains(task, a.id().display()));

        for (int minute = 1; minute <= 30; minute++) {
            pass(Duration.ofMinutes(1));
            shop.worker().sweepExpiredHolds(10);
        }
        assertThat(h.stores.audit().byCorrelation(b.id().display())).extracting(e -> e.action())
                .containsOnlyOnce("gen.reconcile", "gen.failed");
        assertThat(job(a).state()).as("the task's first job keeps it").isEqualTo(JobState.DELIVERED);
        assertThat(h.messenger.of(Reply.SendMedia.class)).as("user 43 never gets user 42's result")
                .noneMatch(m -> m.chatId() == 43);
        assertThat(h.balance(43)).isEqualTo(10_000);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }
}
