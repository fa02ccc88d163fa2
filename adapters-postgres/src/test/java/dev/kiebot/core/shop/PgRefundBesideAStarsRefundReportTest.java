package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.postgres.testing.LockWaits;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * An admin's {@code /refund} of a job and Telegram's report of the Stars refund of the payment that paid it, at the
 * same moment, through the real PostgreSQL stores (review Q1): the refund's transaction stays open (a latch) at its
 * transfer to the wallet until the report has ended or waits for a lock. Before the user's turn
 * ({@code HeldStarsRefunds.takeUsersTurn}) the report found the wallet empty and booked the whole payment as the shop's
 * loss, and the refund, having read no loss, paid the wallet: the user had the job's money and his Stars.
 */
class PgRefundBesideAStarsRefundReportTest extends PgTwoAtOnce {
    private static final long PAID = 7_500; // 50 Stars

    @Test
    void aReportAtTheMomentOfTheRefundLeavesHimNoMoreThanHePaid() throws Exception {
        String payload = h.paid50Stars(U, "ch-1");
        Job job = h.runningFoxImage(U);
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Succeeded(new JobResult(
                List.of("https://files/out.png"), MediaKind.PHOTO), Optional.empty()));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.deliver();
        assertThat(h.stores.ledger().transfer("spent", AccountId.wallet(U), AccountId.REVENUE, h.balance(U),
                TransferKind.GENERATION).succeeded()).isTrue();

        CountDownLatch atTheWallet = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        Ledger held = new ForwardingLedger(h.stores.ledger()) {
            @Override
            public LedgerResult transfer(String id, AccountId debit, AccountId credit, long amount, TransferKind k) {
                LedgerResult r = super.transfer(id, debit, credit, amount, k);
                if (id.equals(Ledger.refundId(job.holdId())) && first.getAndSet(false)) {
                    atTheWallet.countDown();
                    LockWaits.awaitQuietly(commit);
                }
                return r;
            }
        };
        Shop adminsInstance = h.anotherInstance(s -> s.withLedger(held));
        // the admin's /refund asked (it moves nothing), its «Refund» pressed on the other instance
        String confirm = ShopHarness.moneyButton(h.admin("refund", job.id().display())).orElseThrow();
        Future<?> refund = threads.submit(() -> adminsInstance.storefront().serve(new Incoming(7002,
                ShopHarness.actor(ShopHarness.ADMIN, "en"), new Event.Callback("q7002", confirm, Optional.of(1L)))));
        LockWaits.awaitQuietly(atTheWallet);
        Future<?> report = threads.submit(() -> h.shop.storefront().serve(new Incoming(7001,
                ShopHarness.actor(U, "en"), new Event.RefundedPayment("ch-1", payload, "XTR", 50))));
        LockWaits.awaitDoneOrALockWait(report);
        commit.countDown();
        refund.get();
        report.get();

        assertThat(first).as("the refund went to the wallet (no loss yet when it read)").isFalse();
        long starsBack = PAID; // Telegram gave him the whole payment back in Stars
        assertThat(h.balance(U) + starsBack).as("his wallet and his Stars back: no more than he paid")
                .isLessThanOrEqualTo(PAID);
        assertThat(h.stores.ledger().balance(AccountId.STARS_REFUND_LOSS).posted()).as("lost: what went on other "
                + "things (a debit, below zero); the job's refund was taken back from the wallet")
                .isEqualTo(-(PAID - job.price()));
    }
}
