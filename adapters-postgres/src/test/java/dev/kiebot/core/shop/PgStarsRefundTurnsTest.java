package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
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
import dev.kiebot.core.payments.HeldStarsRefund;
import dev.kiebot.core.payments.StarsCharge;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.postgres.testing.LockWaits;
import dev.kiebot.postgres.testing.PgShops;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two refunds at the same moment against one Stars refund's money, through the real PostgreSQL stores, each in a
 * transaction of its own: the first stays open (a latch) until the second has ended or waits for a lock, so that the
 * race is real. Refunds of two jobs against one loss send back no more than was lost; reports of two charges on one
 * running hold owe no more than it holds. Before the turns, the second read what the first had not committed, and did
 * the same again.
 */
class PgStarsRefundTurnsTest {
    private static final long U = 42;
    private ShopHarness h;
    private HeldStarsRefunds held;
    private ExecutorService threads;

    @BeforeEach
    void started() {
        h = PgShops.startedByAdminAnd(U);
        held = new HeldStarsRefunds(h.stores, h.clock);
        threads = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void theLedgerStaysConsistent() {
        threads.shutdownNow();
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    private void spend(String id, long amount) {
        assertThat(h.stores.ledger().transfer(id, AccountId.wallet(U), AccountId.REVENUE, amount,
                TransferKind.GENERATION).succeeded()).isTrue();
    }

    private StarsCharge charge(String chargeId) {
        return h.stores.payments().charge(chargeId).orElseThrow();
    }

    /** Each in a transaction of its own, the first's kept open until the second has ended or waits for a lock. */
    private <T> List<T> race(Supplier<T> first, Supplier<T> second) throws Exception {
        CountDownLatch firstDone = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        Future<T> a = threads.submit(() -> h.stores.transactions().inOne(() -> {
            T r = first.get();
            firstDone.countDown();
            LockWaits.awaitQuietly(commit);
            return r;
        }));
        LockWaits.awaitQuietly(firstDone);
        Future<T> b = threads.submit(() -> h.stores.transactions().inOne(second));
        LockWaits.awaitDoneOrALockWait(b);
        commit.countDown();
        return List.of(a.get(), b.get());
    }

    @Test
    void refundsOfTwoJobsAtTheSameMomentSendBackNoMoreThanTheLoss() throws Exception {
        h.paid50Stars(U, "ch-1"); // 75 ₽
        h.clock.advance(Duration.ofMinutes(1));
        spend("gen_a", 3_750); // each job paid by ch-1, half of it
        spend("gen_b", 3_750);
        // a loss less than the two jobs ch-1 paid, as an earlier build booked one (HeldStarsRefunds.owe owed the
        // oldest hold whoever paid it): a top-up's job running at the report owed half of ch-1, the other half was
        // booked as loss; this build's report books all of ch-1 (the top-up's hold owes nothing), and the ledger the
        // old one left must still give no loss back twice
        RefundAgainstALossTakesItsTurnTest.halfOwedByATopUpsJobHalfLost(h, U);
        Transfer loss = h.stores.ledger().find(StarsRefundAttempts.lossId("ch-1")).orElseThrow();

        List<Long> toWallet = race(
                () -> held.giveBackAgainstLoss("gen_a", List.of("gen_a"), U, 3_750),
                () -> held.giveBackAgainstLoss("gen_b", List.of("gen_b"), U, 3_750));

        List<Transfer> reversals = h.stores.ledger().transfers(AccountId.STARS_REFUND_LOSS).stream()
                .filter(t -> t.credit().equals(AccountId.STARS_REFUND_LOSS)).toList();
        assertThat(reversals.stream().mapToLong(Transfer::amount).sum()).as("sent back against the loss")
                .isEqualTo(loss.amount());
        assertThat(h.stores.ledger().balance(AccountId.STARS_REFUND_LOSS).posted()).isZero();
        assertThat(toWallet).as("the first took the loss, the second gives his wallet all").containsExactly(0L, 3_750L);
    }

    /** Two admins' {@code /refund} of one job at the same moment: the second replays the first, nothing to the wallet. */
    @Test
    void twoRefundsOfOneJobAtTheSameMomentSendTheLossBackOnce() throws Exception {
        String payload = h.paid50Stars(U, "ch-1");
        h.clock.advance(Duration.ofMinutes(1));
        spend("gen_a", 7_500);
        h.send(U, new Event.RefundedPayment("ch-1", payload, "XTR", 50));

        List<Long> toWallet = race(
                () -> held.giveBackAgainstLoss("gen_a", List.of("gen_a"), U, 7_500),
                () -> held.giveBackAgainstLoss("gen_a", List.of("gen_a"), U, 7_500));

        assertThat(toWallet).as("all against the loss, each time").containsExactly(0L, 0L);
        assertThat(h.stores.ledger().balance(AccountId.STARS_REFUND_LOSS).posted()).isZero();
    }

    /**
     * A hold holding 1 500 of each of two charges, of which 1 500 is owed already to a third charge's report (as the
     * earlier build owed the oldest hold whoever paid it): two reports at the same moment each read room for 1 500,
     * and without the hold's turn both owed it, 4 500 from a hold of 3 000.
     */
    @Test
    void reportsOfTwoChargesAtTheSameMomentOweARunningHoldNoMoreThanItHolds() throws Exception {
        h.paid50Stars(U, "ch-1");
        h.paid50Stars(U, "ch-2");
        h.paid50Stars(U, "ch-3");
        spend("spent-1", 7_500 - 1_500);
        assertThat(h.stores.ledger().hold("gen_1", AccountId.wallet(U), AccountId.REVENUE, 3_000,
                TransferKind.GENERATION, h.clock.instant().plus(Duration.ofHours(1))).succeeded()).isTrue();
        spend("spent-2", 7_500 - 1_500 + 7_500);
        assertThat(h.stores.payments().recordHeldRefund(new HeldStarsRefund("ch-3", "gen_1", U, 1_500,
                h.clock.instant()))).isTrue();

        List<Long> owed = race(() -> held.owe(charge("ch-1"), 7_500), () -> held.owe(charge("ch-2"), 7_500));

        assertThat(h.stores.payments().heldRefundsOnHold("gen_1")).extracting(HeldStarsRefund::amount)
                .as("owed from the hold").containsExactlyInAnyOrder(1_500L, 1_500L);
        assertThat(owed).containsExactly(1_500L, 0L);
    }

    /**
     * A job's refund half against a Stars refund's loss and half to the wallet makes two ledger calls in one
     * transaction, while a job worker posts the same user's other hold. Each ledger call takes the wallet's row before
     * the system accounts' rows (V1__ledger.sql), but only within the call: the refund sent its loss part first
     * (revenue → loss, keeping that revenue row locked) and then waited for the wallet's row, which the post held while
     * it waited for that revenue row (the same of its 16 rows: the other hold is picked so). PostgreSQL broke the
     * deadlock after a second by aborting one, which ran again from the start ({@code PgTransactions.inOne}). The
     * refund now moves the wallet's part first: both take the wallet's row first, the post waits for the refund's
     * commit, and each runs once.
     */
    @Test
    void aRefundHalfAgainstALossBesideAPostOfTheUsersOtherHoldRunsOnceEach() throws Exception {
        String payload = h.paid50Stars(U, "ch-1");
        long price = priceOfAFoxImage();
        spend("spent-1", 7_500 - price / 2); // the job paid half by ch-1, half by the top-up after it
        h.topUp(U, 7_500);
        Job job = h.runningFoxImage(U);
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Succeeded(new JobResult(
                List.of("https://files/out.png"), MediaKind.PHOTO), Optional.empty()));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.deliver();
        spend("spent-2", h.balance(U));
        h.clock.advance(Duration.ofMinutes(1));
        h.send(U, new Event.RefundedPayment("ch-1", payload, "XTR", 50));
        String lossBack = HeldStarsRefunds.lossBackId(job.holdId(), StarsRefundAttempts.lossId("ch-1"));
        String other = onTheSameRevenueRow(lossBack);
        h.topUp(U, 100);
        assertThat(h.stores.ledger().hold(other, AccountId.wallet(U), AccountId.REVENUE, 100,
                TransferKind.GENERATION, h.clock.instant().plus(Duration.ofHours(1))).succeeded()).isTrue();

        CountDownLatch atTheWallet = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        Ledger paused = new ForwardingLedger(h.stores.ledger()) {
            @Override
            public LedgerResult transfer(String id, AccountId debit, AccountId credit, long amount, TransferKind k) {
                boolean refunds = id.equals(Ledger.refundId(job.holdId())) || id.equals(lossBack);
                if (refunds && calls.incrementAndGet() == 2) {
                    // the refund's first ledger call made, its second not yet: the worker's post comes now
                    atTheWallet.countDown();
                    LockWaits.awaitQuietly(go);
                }
                return super.transfer(id, debit, credit, amount, k);
            }
        };
        Generations admins = h.anotherInstance(st -> st.withLedger(paused)).generations();
        AtomicInteger refundRuns = new AtomicInteger();
        AtomicInteger postRuns = new AtomicInteger();
        Future<LedgerResult> refund = threads.submit(() -> h.stores.transactions().inOne(() -> {
            refundRuns.incrementAndGet();
            return admins.refundAfterCharge(job, "a test");
        }));
        LockWaits.awaitQuietly(atTheWallet);
        Future<LedgerResult> post = threads.submit(() -> h.stores.transactions().inOne(() -> {
            postRuns.incrementAndGet();
            return h.stores.ledger().post(Ledger.postId(other), other, 100);
        }));
        LockWaits.awaitDoneOrALockWait(post);
        go.countDown();

        assertThat(refund.get().succeeded()).isTrue();
        assertThat(post.get().succeeded()).isTrue();
        assertThat(h.balance(U)).as("the top-up's half").isEqualTo(price - price / 2);
        assertThat(List.of(refundRuns.get(), postRuns.get())).as("no deadlock: neither ran again")
                .containsExactly(1, 1);
    }

    /**
     * An admin's {@code /refund_stars} press of the user's other charge while Telegram's report of a refund holds the
     * user's turn (taken before it reads his running holds, held till it commits): the press waits, and its hold is
     * placed after the report, not between the report's read of the running holds and its taking back
     * ({@code StarsRefundReportBesideAnOutsideHoldTest}). Before, it held at once.
     */
    @Test
    void anAdminsRefundOfAnotherChargeWaitsForTheUsersTurnAReportHolds() throws Exception {
        h.paid50Stars(U, "ch-0");
        String press = ShopHarness.moneyButton(h.admin("refund_stars", "ch-0")).orElseThrow();
        String hold = StarsRefundAttempts.holdId("ch-0", 1);
        CountDownLatch turnTaken = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        Future<Object> report = threads.submit(() -> h.stores.transactions().inOne(() -> {
            held.takeUsersTurn(U); // as a report of another charge of his takes it
            turnTaken.countDown();
            LockWaits.awaitQuietly(commit);
            return null;
        }));
        LockWaits.awaitQuietly(turnTaken);
        Future<List<dev.kiebot.core.reply.Reply>> pressed = threads.submit(() -> h.press(ShopHarness.ADMIN, press));
        LockWaits.awaitDoneOrALockWait(pressed);
        boolean heldMeanwhile = h.stores.ledger().find(hold).isPresent();
        commit.countDown();
        report.get();
        pressed.get();

        assertThat(heldMeanwhile).as("no hold while the report holds the user's turn").isFalse();
        assertThat(h.stores.ledger().find(hold)).as("held once the report committed").isPresent();
    }

    /** A hold id whose post uses the same one of the revenue's 16 balance rows as the transfer {@code id}. */
    private static String onTheSameRevenueRow(String id) {
        return TestDatabase.jdbi().withHandle(x -> x.createQuery("SELECT 'other-' || i FROM generate_series(0, 999) i "
                        + "WHERE kb_ledger_shard(:a, 'other-' || i) = kb_ledger_shard(:a, :id) ORDER BY i LIMIT 1")
                .bind("a", AccountId.REVENUE.value()).bind("id", id).mapTo(String.class).one());
    }

    /** The fox image's price, read by ordering one on a user of its own. */
    private long priceOfAFoxImage() {
        long other = 77;
        h.command(other, "start");
        h.topUp(other, 100_000);
        return h.runningFoxImage(other).price();
    }
}
