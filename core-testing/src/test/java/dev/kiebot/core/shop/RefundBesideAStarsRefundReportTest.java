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
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.testing.ShopHarness;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * An admin's {@code /refund} of a job and Telegram's report of the Stars refund of the payment that paid it, at the
 * same moment (review Q1). The refund read no loss yet; the report, committed meanwhile, found the wallet empty and
 * booked the whole payment as the shop's loss; the refund then paid the wallet: the user had the job's money and his
 * Stars. Both take the user's turn now ({@code HeldStarsRefunds.takeUsersTurn}): the report runs here where the refund
 * would wait for it, at its turn, or, when the refund takes none, at its transfer to the wallet (in memory nothing
 * waits; PostgreSQL's race: {@code PgRefundBesideAStarsRefundReportTest}).
 */
class RefundBesideAStarsRefundReportTest {
    private static final long U = 42;
    private static final long PAID = 7_500; // 50 Stars

    private static Job deliveredAndAllSpent(ShopHarness h) {
        Job job = h.runningFoxImage(U);
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Succeeded(new JobResult(
                List.of("https://files/out.png"), MediaKind.PHOTO), Optional.empty()));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.deliver();
        assertThat(h.stores.ledger().transfer("spent", AccountId.wallet(U), AccountId.REVENUE,
                h.balance(U), TransferKind.GENERATION).succeeded()).isTrue();
        assertThat(h.balance(U)).isZero();
        return job;
    }

    private static ShopHarness started() {
        ShopHarness h = new ShopHarness();
        h.command(ShopHarness.ADMIN, "start");
        h.command(U, "start");
        return h;
    }

    /** In turn, the report first: all of the job's refund against the loss, nothing to the wallet. */
    @Test
    void theReportFirstThenTheRefund() {
        ShopHarness h = started();
        String payload = h.paid50Stars(U, "ch-1");
        Job job = deliveredAndAllSpent(h);
        h.send(U, new Event.RefundedPayment("ch-1", payload, "XTR", 50));
        h.adminConfirmed("refund", job.id().display());
        assertThat(h.balance(U)).isZero();
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    @Test
    void aReportAtTheMomentOfTheRefundLeavesHimNoMoreThanHePaid() {
        ShopHarness h = started();
        String payload = h.paid50Stars(U, "ch-1");
        Job job = deliveredAndAllSpent(h);
        AtomicBoolean ran = new AtomicBoolean();
        Runnable report = () -> {
            if (ran.compareAndSet(false, true)) {
                // its own thread, as Telegram's update is: committed before the refund goes on
                Thread t = new Thread(() -> h.shop.storefront().serve(new Incoming(7001, ShopHarness.actor(U, "en"),
                        new Event.RefundedPayment("ch-1", payload, "XTR", 50))));
                t.start();
                try {
                    t.join();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        };
        Ledger racing = new ForwardingLedger(h.stores.ledger()) {
            @Override
            public Optional<Transfer> findAwaiting(String id) {
                if (id.equals(HeldStarsRefunds.usersTurnId(U))) {
                    report.run(); // it held the turn: the refund goes on once it has ended
                }
                return super.findAwaiting(id);
            }

            @Override
            public LedgerResult transfer(String id, AccountId debit, AccountId credit, long amount, TransferKind k) {
                if (id.equals(Ledger.refundId(job.holdId()))) {
                    report.run(); // no turn taken: it comes between the refund's read of the losses and its transfer
                }
                return super.transfer(id, debit, credit, amount, k);
            }
        };
        Shop second = h.anotherInstance(s -> s.withLedger(racing));

        String confirm = refundConfirmation(h, job);
        second.storefront().serve(new Incoming(7002, ShopHarness.actor(ShopHarness.ADMIN, "en"),
                new Event.Callback("q7002", confirm, Optional.of(1L))));

        assertThat(ran).isTrue();
        long starsBack = PAID; // Telegram gave him the whole payment back in Stars
        assertThat(h.balance(U) + starsBack).as("his wallet and his Stars back: no more than he paid")
                .isLessThanOrEqualTo(PAID);
        assertThat(JobRefundParts.of(h.stores.ledger(), job.holdId(), U).inStars()).as("all against the loss")
                .isEqualTo(job.price());
        assertThat(h.stores.ledger().balance(AccountId.STARS_REFUND_LOSS).posted())
                .as("lost (a debit, below zero): what went on other things, not the job given back")
                .isEqualTo(-(PAID - job.price()));
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * Two admins' {@code /refund} of one job at the same moment, wholly against the loss: the second waits for the
     * user's turn before reading whether it was refunded, and says so; it replayed the first's reversal, wrote
     * nothing new and answered as a refund made now, and the admin and the user were told twice. The other refund runs
     * here where this one would wait for it.
     */
    @Test
    void twoRefundsOfOneJobAtTheSameMomentAreToldOnce() {
        // two admins, each with his own confirmation of the job's refund (one admin's second /refund replaces his first)
        long secondAdmin = 2;
        ShopHarness h = new ShopHarness(dev.kiebot.core.testing.TestCatalog.catalog(),
                dev.kiebot.core.conversation.ShopSettings.defaults()
                        .withAdmins(java.util.Set.of(ShopHarness.ADMIN, secondAdmin))
                        .withAdmission(dev.kiebot.core.intake.AdmissionPolicy.off()));
        h.command(ShopHarness.ADMIN, "start");
        h.command(secondAdmin, "start");
        h.command(U, "start");
        String payload = h.paid50Stars(U, "ch-1");
        Job job = deliveredAndAllSpent(h);
        h.send(U, new Event.RefundedPayment("ch-1", payload, "XTR", 50));
        AtomicBoolean ran = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<String> confirm = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<String> othersConfirm =
                new java.util.concurrent.atomic.AtomicReference<>();
        Ledger racing = new ForwardingLedger(h.stores.ledger()) {
            @Override
            public Optional<Transfer> findAwaiting(String id) {
                if (id.equals(HeldStarsRefunds.usersTurnId(U)) && ran.compareAndSet(false, true)) {
                    Thread t = new Thread(() -> h.shop.storefront().serve(new Incoming(7003,
                            ShopHarness.actor(secondAdmin, "en"), new Event.Callback("q7003", othersConfirm.get(),
                            Optional.of(1L)))));
                    t.start();
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
                return super.findAwaiting(id);
            }
        };
        Shop second = h.anotherInstance(s -> s.withLedger(racing));
        h.deliver();
        h.messenger.drain();

        confirm.set(refundConfirmation(h, job));
        othersConfirm.set(ShopHarness.moneyButton(h.send(secondAdmin, new Event.Command("refund",
                job.id().display()))).orElseThrow());
        h.messenger.drain();
        second.storefront().serve(new Incoming(7004, ShopHarness.actor(ShopHarness.ADMIN, "en"),
                new Event.Callback("q7004", confirm.get(), Optional.of(1L))));
        h.deliver();
        List<String> told = h.messenger.texts();
        String already = ShopHarness.lastText(h.admin("refund", job.id().display()));

        assertThat(ran).isTrue();
        assertThat(told).as("the second admin hears it was refunded already").contains(already);
        assertThat(told).as("nothing said twice").doesNotHaveDuplicates();
        assertThat(h.balance(U)).isZero();
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /** The admin's {@code /refund} of the job asked (it moves nothing): its «Refund» button's data, to press. */
    private static String refundConfirmation(ShopHarness h, Job job) {
        return ShopHarness.moneyButton(h.admin("refund", job.id().display())).orElseThrow();
    }
}
