package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.postgres.testing.PgShops;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Stars refund Telegram reports while a running job holds part of the credit, through the real PostgreSQL stores:
 * the held part is owed from the job's hold, not lost at once. The job fails (or its hold expires): the money it gave
 * back goes to the Stars and the user ends with nothing. It succeeds: what it kept is the shop's loss then. A second
 * report of the same refund takes, books, audits and tells nothing.
 */
class PgStarsRefundHeldByAJobTest {
    private static final long U = 42;
    private static final String CH = "ch-1";
    private ShopHarness h;
    private String payload;

    @BeforeEach
    void paidAndRunning() {
        h = PgShops.startedByAdminAnd(U);
        payload = h.paid50Stars(U, CH); // 75 ₽
    }

    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
        assertThat(h.stores.ledger().balance(AccountId.STARS_CLEARING).posted())
                .as("the Stars went back whole: the clearing account owes nothing for the charge").isZero();
    }

    private List<dev.kiebot.core.reply.Reply> report() {
        return h.send(U, new Event.RefundedPayment(CH, payload, "XTR", 50));
    }

    private List<Transfer> losses() {
        return h.stores.ledger().transfers(AccountId.STARS_REFUND_LOSS);
    }

    private void taskEnds(Job job, TaskStatus status) {
        h.provider.set(job.taskId().orElseThrow(), status);
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
    }

    @Test
    void theJobFailsAndTheHeldPartGoesToTheStarsNotBackToTheUser() {
        Job job = h.runningFoxImage(U);
        report();
        assertThat(losses()).as("nothing spent yet").isEmpty();
        assertThat(h.stores.payments().heldRefundsOnHold(job.holdId())).singleElement()
                .satisfies(o -> assertThat(o.amount()).isEqualTo(job.price()));
        int audited = h.stores.audit().byCorrelation(CH).size();
        assertThat(report()).as("a second report tells nothing").isEmpty();
        assertThat(h.stores.audit().byCorrelation(CH)).hasSize(audited);

        taskEnds(job, new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "boom"));
        assertThat(h.stored(job).state()).isEqualTo(JobState.FAILED);
        assertThat(h.balance(U)).isZero();
        assertThat(losses()).isEmpty();
        assertThat(h.stores.payments().openHeldRefunds(10)).isEmpty();
    }

    @Test
    void theJobSucceedsAndWhatItKeptIsTheLoss() {
        Job job = h.runningFoxImage(U);
        report();
        assertThat(losses()).as("not lost before the job keeps it").isEmpty();
        taskEnds(job, new TaskStatus.Succeeded(new JobResult(List.of("https://files/out.png"), MediaKind.PHOTO)));
        assertThat(h.balance(U)).isZero();
        assertThat(losses()).singleElement().satisfies(t -> {
            assertThat(t.id()).isEqualTo("stars-loss:" + CH + ":" + job.holdId());
            assertThat(t.amount()).isEqualTo(job.price());
        });
    }

    @Test
    void theHoldExpiresAndTheHeldPartGoesToTheStars() {
        Job job = h.runningFoxImage(U);
        report();
        h.clock.advance(Duration.between(h.clock.instant(), job.deadline()).plus(ShopSettings.HOLD_MARGIN)
                .plusMinutes(1));
        assertThat(h.shop.worker().sweepExpiredHolds(10)).isEqualTo(1);
        assertThat(h.stores.ledger().holdState(job.holdId())).contains(HoldState.EXPIRED);
        assertThat(h.balance(U)).isZero();
        assertThat(losses()).isEmpty();
        assertThat(h.stores.ledger().transfers(AccountId.wallet(U))).filteredOn(t -> t.kind()
                == TransferKind.STARS_REFUND).extracting(Transfer::amount)
                .containsExactlyInAnyOrder(7_500 - job.price(), job.price());
    }

    /**
     * Delivered after the report (its charge the loss), then refunded by an admin: the refund goes back against the
     * loss, not to the wallet (he has his Stars back), once; the loss account nets to nothing.
     */
    @Test
    void anAdminsRefundOfTheDeliveredJobGoesAgainstTheLossNotToTheWallet() {
        Job job = h.runningFoxImage(U);
        report();
        taskEnds(job, new TaskStatus.Succeeded(new JobResult(List.of("https://files/out.png"), MediaKind.PHOTO)));
        h.deliver();
        h.adminConfirmed("refund", job.id().display());
        h.adminConfirmed("refund", job.id().display());
        assertThat(h.balance(U)).as("the Stars and the credit both, before").isZero();
        assertThat(h.stores.ledger().balance(AccountId.STARS_REFUND_LOSS).posted()).isZero();
        assertThat(losses()).filteredOn(t -> t.credit().equals(AccountId.STARS_REFUND_LOSS)).singleElement()
                .satisfies(t -> assertThat(t.amount()).isEqualTo(job.price()));
    }
}
