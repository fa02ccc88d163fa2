package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.testing.ShopHarness;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A running job's hold owed part of a Stars refund, and was voided without settling it (a stop between the expiry and
 * its settling, or the build before): the Stars' money back on the wallet paid another job before the sweep found
 * the wallet empty and booked it as lost. That job was charged after the report's loss of credit spent
 * ({@code stars-loss:<charge>}); the walk says the Stars paid it. HeldStarsRefunds.againstLoss reads a loss of credit
 * spent only when booked at or after the job's charge (line 306), so this job's refund went to the wallet whole: the
 * user had its price twice, in Stars and on the wallet. FAILS ON MAIN (297 on the wallet); passes with that filter
 * replaced by true (PIT's surviving mutant), which is the fix this test asks for.
 */
class StarsMoneySpentBeforeItsHoldSettledTest {
    private static final long U = 42;
    private static final String CH1 = "ch-1";
    private ShopHarness h;
    private String payload;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(ShopHarness.ADMIN, "start");
        h.command(U, "start");
        payload = h.paid50Stars(U, CH1); // 50 ⭐: 75 ₽
    }

    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    private void succeeds(Job job) {
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Succeeded(new JobResult(
                List.of("https://files/out.png"), MediaKind.PHOTO), Optional.empty()));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.deliver();
    }

    private long lossBalance() {
        return h.stores.ledger().transfers(AccountId.STARS_REFUND_LOSS).stream()
                .mapToLong(t -> AccountId.STARS_REFUND_LOSS.equals(t.debit()) ? t.amount() : -t.amount()).sum();
    }

    /**
     * X delivered and A running on the Stars' money, the rest of it free: the report takes the free part back, books
     * X's price as lost and A's as owed. A is voided unsettled; B, charged after the loss, spends what came back;
     * the sweep finds nothing to take and books A's price as lost too. The user has all 50 ⭐ back: B's refund is
     * money he has in Stars, and goes against the loss, not to his wallet.
     */
    @Test
    void aJobPaidWithAVoidedHoldsStarsMoneyBeforeItsSettlingIsRefundedAgainstTheLoss() {
        Job x = h.runningFoxImage(U);
        succeeds(x);
        long price = x.price();
        Job a = h.runningFoxImage(U);
        h.clock.advance(Duration.ofMinutes(1));
        h.send(U, new Event.RefundedPayment(CH1, payload, "XTR", 50));
        assertThat(h.balance(U)).as("the free part taken back").isZero();
        assertThat(h.stores.ledger().find(StarsRefundAttempts.lossId(CH1)))
                .hasValueSatisfying(t -> assertThat(t.amount()).as("X's price, spent").isEqualTo(price));

        assertThat(h.stores.ledger().voidHold(Ledger.voidId(a.holdId()), a.holdId()).succeeded()).isTrue();
        assertThat(h.balance(U)).as("A's hold given back, not settled yet").isEqualTo(price);
        h.clock.advance(Duration.ofMinutes(1));
        Job b = h.runningFoxImage(U);
        succeeds(b);
        assertThat(h.balance(U)).isZero();
        h.shop.worker().sweepExpiredHolds(10);
        assertThat(h.stores.ledger().find(HeldStarsRefunds.lossId(CH1, a.holdId())))
                .hasValueSatisfying(t -> assertThat(t.amount()).as("nothing left to take: lost").isEqualTo(price));
        assertThat(lossBalance()).as("the whole charge lost: X and what B spent").isEqualTo(2 * price);

        h.adminConfirmed("refund", b.id().display());
        assertThat(h.balance(U)).as("B's price is back with him in Stars: not on his wallet as well").isZero();
        assertThat(h.stores.ledger().find(Ledger.refundId(b.holdId()))).isEmpty();
        assertThat(h.stores.ledger().find(HeldStarsRefunds.lossBackId(b.holdId(), StarsRefundAttempts.lossId(CH1))))
                .hasValueSatisfying(t -> {
                    assertThat(t.amount()).isEqualTo(price);
                    assertThat(t.kind()).isEqualTo(TransferKind.REFUND);
                });
        assertThat(lossBalance()).as("the shop lost X alone").isEqualTo(price);
    }
}
