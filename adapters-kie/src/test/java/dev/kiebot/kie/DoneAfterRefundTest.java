package dev.kiebot.kie;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.kie.fake.FakeKieServer.Endpoint;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A shop on the Kie adapter, against the fake Kie on 127.0.0.1, when Kie is still making a task at its job's deadline
 * and finishes it after the refund. The refund said nothing to the operator, and Kie's later success callback was
 * dropped without a line, though Kie charged the shop for the result. Now both are RECONCILE lines, and the result,
 * which Kie charged for and nobody had (review R2), is given to the user as a gift, once, his money staying back.
 */
class DoneAfterRefundTest extends ShopOverFakeKie {
    DoneAfterRefundTest() {
        super("https://bot.example/kie/callback/secret-token");
    }

    /** A pass that also expires the holds past their deadline, as the shop's sweeper does. */
    @Override
    void pass(Duration after) {
        h.clock.advance(after);
        shop.worker().runOnce(10);
        shop.worker().sweepExpiredHolds(10);
        h.deliver();
    }

    private List<String> reconciled(Job j) {
        return h.stores.audit().byCorrelation(j.id().display()).stream()
                .filter(e -> e.action().equals("gen.reconcile")).map(AuditEvent::detail).toList();
    }

    @Test
    void aTaskStillRunningAtTheDeadlineAndDoneAfterTheRefundIsToldToTheOperatorOnceEachAndGivenToTheUserOnce() {
        Job j = started(42);
        String task = taskOf(j);
        kie.running(task);
        for (int minute = 1; minute <= 12; minute++) {
            pass(Duration.ofMinutes(1));
        }
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(h.balance(42)).isEqualTo(10_000);
        assertThat(reconciled(j)).as("refunded while Kie was still at it").singleElement()
                .satisfies(d -> assertThat(d).contains(task, "not done at the deadline"));

        kie.succeed(task, "https://tempfile.example/late.png");
        for (int callback = 0; callback < 2; callback++) { // Kie sends it again when our answer is late
            shop.worker().checkTask(task, Optional.of(j.id().display()));
        }
        pass(Duration.ofSeconds(5));
        assertThat(reconciled(j)).hasSize(2).last()
                .satisfies(d -> assertThat(d).contains(task, "done after the job was refunded"));
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(h.messenger.of(Reply.SendMedia.class)).as("given once, for two callbacks")
                .singleElement().satisfies(m -> assertThat(m.source()).isEqualTo("https://tempfile.example/late.png"));
        assertThat(h.messenger.texts()).anySatisfy(t -> assertThat(t).contains("past its time", "is a gift"));
        assertThat(h.balance(42)).as("no money moved").isEqualTo(10_000);
        assertThat(h.stores.audit().byCorrelation(j.id().display()))
                .filteredOn(e -> e.action().equals("gen.delivered_late")).hasSize(1);
        assertThat(String.join("\n", h.admin("find", j.id().display()).stream()
                .filter(r -> r instanceof Reply.SendText || r instanceof Reply.EditText).map(Object::toString).toList()))
                .contains("given as a gift");
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /** A task Kie failed: its refund at once, and a later callback, leave nothing to settle. */
    @Test
    void aTaskKieFailedLeavesNothingToReconcile() {
        Job j = started(42);
        String task = taskOf(j);
        kie.fail(task, "500", "internal error");
        pass(Duration.ofSeconds(5));
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        int reads = kie.count(Endpoint.RECORD_INFO);
        shop.worker().checkTask(task, Optional.of(j.id().display()));
        assertThat(kie.count(Endpoint.RECORD_INFO)).as("read once more").isEqualTo(reads + 1);
        assertThat(reconciled(j)).isEmpty();
    }
}
