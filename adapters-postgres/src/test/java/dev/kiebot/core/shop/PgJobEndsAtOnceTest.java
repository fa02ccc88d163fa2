package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.ForwardingJobs;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.text.Msg;
import dev.kiebot.postgres.testing.LockWaits;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two things at once on one job, or on one user's money, over the real PostgreSQL stores, each in a transaction of its
 * own: the first is held right after a chosen ledger call (a hold's void or post, a hold, a credit, a turn taken)
 * until the second has ended or waits for a lock, so that the race is real and its order forced, no sleep; whether the
 * second waited is asserted too, so each test pins the order its pair takes the locks in. Each must run once (a
 * deadlock, 40P01, aborts one and {@code PgTransactions.inOne} runs it again: counted here, not timed), and the job
 * end once: one post or one void, the balance exact, the user told once, the results queued once.
 *
 * <p>A failure that voids first and then writes the job ({@code Generations.fail}: the sweep of an expired hold, an
 * admin's stop, the provider's failure) beside one that writes the job first and then voids ({@code failUnsent}: the
 * user's Cancel, the worker at a HELD job's deadline; {@code failCutOff}: the worker at a job cut off mid-send) took
 * the job's row and the void's lock in opposite orders: each waited for the other's, and PostgreSQL aborted one after
 * its {@code deadlock_timeout}. The second now takes the void's lock first, as the first does. The lock order:
 * {@code PgPersonalData}'s javadoc.
 */
class PgJobEndsAtOnceTest extends PgTwoAtOnce {
    private static final long WALLET = 100_000;
    /** Whether the second of the last {@link #race} was waiting for a lock when the first went on. */
    private boolean secondWaited;

    /**
     * A ledger whose call {@code which} ({@code void} or {@code post} of the hold {@code id}, {@code hold} or
     * {@code transfer} under it, {@code await}: {@code findAwaiting} of that id) waits for {@code go} once made, each time; {@code calls} counts
     * them (a transaction run again makes it again).
     */
    private static final class HeldAfter extends ForwardingLedger {
        private final String which;
        private final String id;
        final CountDownLatch made = new CountDownLatch(1);
        final CountDownLatch go = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();

        HeldAfter(Ledger ledger, String which, String id) {
            super(ledger);
            this.which = which;
            this.id = id;
        }

        @Override
        public LedgerResult voidHold(String voidId, String hold) {
            return after("void", hold, super.voidHold(voidId, hold));
        }

        @Override
        public LedgerResult post(String postId, String hold, long amount) {
            return after("post", hold, super.post(postId, hold, amount));
        }

        @Override
        public LedgerResult hold(String holdId, AccountId debit, AccountId credit, long amount, TransferKind kind,
                                 java.time.Instant timeoutAt) {
            return after("hold", holdId, super.hold(holdId, debit, credit, amount, kind, timeoutAt));
        }

        @Override
        public LedgerResult transfer(String transferId, AccountId debit, AccountId credit, long amount,
                                     TransferKind kind) {
            return after("transfer", transferId, super.transfer(transferId, debit, credit, amount, kind));
        }

        @Override
        public Optional<Transfer> findAwaiting(String awaited) {
            return after("await", awaited, super.findAwaiting(awaited));
        }

        private <T> T after(String call, String of, T r) {
            if (call.equals(which) && of.equals(id)) {
                calls.incrementAndGet();
                made.countDown();
                LockWaits.awaitQuietly(go);
            }
            return r;
        }
    }

    /**
     * {@code first} in a transaction of its own until its {@code held} call is made; then {@code second} until it ends
     * or waits for a lock ({@link #secondWaited}); then the first goes on. Both must end.
     */
    private <A, B> List<Object> race(HeldAfter held, Supplier<A> first, Supplier<B> second) throws Exception {
        Future<A> a = threads.submit(first::get);
        LockWaits.awaitQuietly(held.made);
        Future<B> b = threads.submit(second::get);
        LockWaits.awaitDoneOrALockWait(b);
        secondWaited = !b.isDone();
        held.go.countDown();
        return java.util.Arrays.asList(a.get(60, TimeUnit.SECONDS), b.get(60, TimeUnit.SECONDS));
    }

    private Job heldJob() {
        h.topUp(U, WALLET);
        h.orderAFoxImage(U);
        Job job = h.lastJob(U);
        assertThat(job.state()).isEqualTo(JobState.HELD);
        return job;
    }

    private long failures(Job job) {
        return h.stores.audit().byCorrelation(job.id().display()).stream().map(AuditEvent::action)
                .filter("gen.failed"::equals).count();
    }

    private long resultsSent() {
        h.deliver();
        return h.messenger.all().stream().filter(r -> r instanceof Reply.SendMedia m && m.chatId() == U).count();
    }

    private void pastItsHold(Job job) {
        h.clock.advance(Duration.between(h.clock.instant(), job.deadline()).plus(ShopSettings.HOLD_MARGIN)
                .plusMinutes(1));
    }

    /**
     * The user's Cancel of a job not sent yet (the bot down past its hold's deadline, the job still HELD) while the
     * upkeep's sweep, having expired its hold, fails it: the sweep's void (refused: expired) holds the void's lock,
     * the Cancel wrote the job and waited for that lock, the sweep then waited for the job's row. Now the Cancel waits
     * for the void's lock before it writes: the sweep fails the job, the Cancel finds it failed (cancelled, as
     * {@code cancel} says of a job failed meanwhile).
     */
    @Test
    @Timeout(180)
    void aUsersCancelBesideTheSweepFailingHisExpiredJobRunsEachOnce() throws Exception {
        Job job = heldJob();
        pastItsHold(job);
        HeldAfter sweeps = new HeldAfter(h.stores.ledger(), "void", job.holdId());
        Shop sweeping = h.anotherInstance(st -> st.withLedger(sweeps));
        AtomicInteger cancels = new AtomicInteger();

        List<Object> ended = race(sweeps, () -> sweeping.worker().sweepExpiredHolds(10),
                () -> h.stores.transactions().inOne(() -> {
                    cancels.incrementAndGet();
                    return h.shop.generations().cancel(job.id());
                }));

        assertThat(ended).as("one hold expired; the job cancelled (failed meanwhile)").containsExactly(1, true);
        assertThat(List.of(sweeps.calls.get(), cancels.get())).as("no deadlock: neither ran again")
                .containsExactly(1, 1);
        assertThat(secondWaited).as("the Cancel waiting for the void's turn").isTrue();
        assertThat(h.stored(job).state()).isEqualTo(JobState.FAILED);
        assertThat(failures(job)).as("failed and told once").isOne();
        assertThat(h.stores.ledger().holdState(job.holdId())).contains(HoldState.EXPIRED);
        assertThat(h.balance(U)).as("all of it back, once").isEqualTo(WALLET);
    }

    /**
     * An admin's stop ({@code /refund} of a job under way: {@code AdminRefundDesk.refund} fails it through
     * {@code Generations.fail}) while the worker fails the same job cut off mid-send at its deadline
     * ({@code failCutOff}: SUBMITTING, no task): the admin's void made first, the worker's write of the job waited for
     * by the admin's, the worker's void by the admin's lock, in the other order before.
     */
    @Test
    @Timeout(180)
    void anAdminsStopBesideTheWorkerFailingTheJobCutOffAtItsDeadlineRunsEachOnce() throws Exception {
        Job job = h.stores.jobs().update(heldJob().submitting()).orElseThrow();
        h.clock.advance(Duration.between(h.clock.instant(), job.deadline()).plusSeconds(1));
        HeldAfter admins = new HeldAfter(h.stores.ledger(), "void", job.holdId());
        Generations admin = h.anotherInstance(st -> st.withLedger(admins)).generations();
        AtomicInteger cutOffs = new AtomicInteger();

        List<Object> ended = race(admins,
                () -> admin.fail(job.id(), Msg.ERROR_STOPPED_BY_SUPPORT.key(), JobNote.STOPPED_BY_ADMIN.with()),
                () -> h.stores.transactions().inOne(() -> {
                    cutOffs.incrementAndGet();
                    return h.shop.generations().failCutOff(job.id(), ErrorKind.TIMEOUT.messageKey(), "a test");
                }));

        assertThat(ended).as("the admin's stop failed it; the worker found it failed")
                .extracting(o -> ((Optional<?>) o).isPresent()).containsExactly(true, false);
        assertThat(List.of(admins.calls.get(), cutOffs.get())).as("no deadlock: neither ran again")
                .containsExactly(1, 1);
        assertThat(secondWaited).as("the worker waiting for the void's turn").isTrue();
        assertThat(failures(job)).as("failed and told once").isOne();
        assertThat(h.stores.ledger().holdState(job.holdId())).contains(HoldState.VOIDED);
        assertThat(h.balance(U)).as("all of it back, once").isEqualTo(WALLET);
    }

    /**
     * Kie's callback for a job and the worker's status read of it finishing it at the same moment (the callback does
     * not wait for the worker's lease): the callback's post made, the read's post waits for its lock and then finds
     * it made; the read's move to SUCCEEDED then finds the job moved and delivers nothing. One post, one delivery.
     */
    @Test
    @Timeout(180)
    void aCallbackAndAStatusReadFinishingOneJobAtOnceChargeAndDeliverItOnce() throws Exception {
        h.topUp(U, WALLET);
        Job job = h.runningFoxImage(U);
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Succeeded(new JobResult(
                List.of("https://files/out.png"), MediaKind.PHOTO), Optional.empty()));
        h.clock.advance(Duration.ofSeconds(5));
        HeldAfter callbacks = new HeldAfter(h.stores.ledger(), "post", job.holdId());
        Shop called = h.anotherInstance(st -> st.withLedger(callbacks));
        AtomicInteger readPosts = new AtomicInteger();
        Shop reading = countingPosts(readPosts);
        h.messenger.drain();

        race(callbacks, () -> {
            called.worker().checkTask(job.taskId().orElseThrow(), Optional.of(job.id().display()));
            return null;
        }, () -> reading.worker().runOnce(10));

        assertThat(List.of(callbacks.calls.get(), readPosts.get())).as("no deadlock: neither ran again")
                .containsExactly(1, 1);
        assertThat(secondWaited).as("the read's post waiting for the callback's").isTrue();
        assertThat(h.stored(job).state()).isEqualTo(JobState.DELIVERED);
        assertThat(resultsSent()).as("the result queued once").isOne();
        assertThat(h.stores.ledger().holdState(job.holdId())).contains(HoldState.POSTED);
        assertThat(h.balance(U)).as("charged once").isEqualTo(WALLET - job.price());
    }

    /**
     * The result arriving (Kie's callback) while the sweep fails the job whose hold it expired: the sweep's void
     * (refused: expired) holds the void's lock; the result's post, refused as expired, moves the job to SUCCEEDED and
     * charges it again ({@code Generations.chargeAgain}); the sweep then finds the job done and neither fails nor
     * tells it. Charged once, delivered once, no refund told.
     */
    @Test
    @Timeout(180)
    void aResultArrivingWhileTheSweepFailsItsExpiredJobIsChargedOnceAndDeliveredNotRefunded() throws Exception {
        h.topUp(U, WALLET);
        Job job = h.runningFoxImage(U);
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Succeeded(new JobResult(
                List.of("https://files/out.png"), MediaKind.PHOTO), Optional.empty()));
        pastItsHold(job);
        HeldAfter sweeps = new HeldAfter(h.stores.ledger(), "void", job.holdId());
        Shop sweeping = h.anotherInstance(st -> st.withLedger(sweeps));
        AtomicInteger resultPosts = new AtomicInteger();
        Shop called = countingPosts(resultPosts);
        h.messenger.drain();

        List<Object> ended = race(sweeps, () -> sweeping.worker().sweepExpiredHolds(10), () -> {
            called.worker().checkTask(job.taskId().orElseThrow(), Optional.of(job.id().display()));
            return null;
        });

        assertThat(ended.get(0)).as("the hold expired").isEqualTo(1);
        assertThat(List.of(sweeps.calls.get(), resultPosts.get()))
                .as("no deadlock: neither ran again (the result posts its hold, then the charge again)")
                .containsExactly(1, 2);
        assertThat(secondWaited).as("the result waiting for nothing the sweep holds").isFalse();
        assertThat(h.stored(job).state()).isEqualTo(JobState.DELIVERED);
        assertThat(failures(job)).as("never failed nor told of a refund").isZero();
        assertThat(resultsSent()).as("the result queued once").isOne();
        assertThat(h.stores.ledger().holdState(Generations.chargedAgainId(job.holdId()))).contains(HoldState.POSTED);
        assertThat(h.balance(U)).as("charged once").isEqualTo(WALLET - job.price());
    }

    /**
     * An admin's stop of a running job while its result arrives: the stop's void made first, the result's post
     * refused (voided) and the job failed by the stop, told once; nothing delivered, the price back.
     */
    @Test
    @Timeout(180)
    void anAdminsStopBesideTheJobsResultVoidsItOnceAndDeliversNothing() throws Exception {
        h.topUp(U, WALLET);
        Job job = h.runningFoxImage(U);
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Succeeded(new JobResult(
                List.of("https://files/out.png"), MediaKind.PHOTO), Optional.empty()));
        h.clock.advance(Duration.ofSeconds(5));
        HeldAfter admins = new HeldAfter(h.stores.ledger(), "void", job.holdId());
        Generations admin = h.anotherInstance(st -> st.withLedger(admins)).generations();
        AtomicInteger resultPosts = new AtomicInteger();
        Shop called = countingPosts(resultPosts);
        h.messenger.drain();

        List<Object> ended = race(admins,
                () -> admin.fail(job.id(), Msg.ERROR_STOPPED_BY_SUPPORT.key(), JobNote.STOPPED_BY_ADMIN.with()),
                () -> {
                    called.worker().checkTask(job.taskId().orElseThrow(), Optional.of(job.id().display()));
                    return null;
                });

        assertThat(((Optional<?>) ended.get(0))).as("the admin's stop failed it").isPresent();
        assertThat(List.of(admins.calls.get(), resultPosts.get())).as("no deadlock: neither ran again")
                .containsExactly(1, 1);
        assertThat(secondWaited).as("the result's post waiting for the stop's void").isTrue();
        assertThat(h.stored(job).state()).isEqualTo(JobState.FAILED);
        assertThat(failures(job)).as("failed and told once").isOne();
        assertThat(resultsSent()).as("nothing delivered of a stopped job").isZero();
        assertThat(h.stores.ledger().holdState(job.holdId())).contains(HoldState.VOIDED);
        assertThat(h.balance(U)).as("all of it back, once").isEqualTo(WALLET);
    }

    /**
     * An admin's {@code /refund} of a finished job while the worker delivers it: the refund takes the user's turn and
     * writes the ledger, the delivery the job's row and the chat's outbox; neither waits for the other, each once.
     */
    @Test
    @Timeout(180)
    void anAdminsRefundBesideTheDeliveryOfTheSameJobRunsEachOnce() throws Exception {
        h.topUp(U, WALLET);
        Job job = h.runningFoxImage(U);
        JobResult result = new JobResult(List.of("https://files/out.png"), MediaKind.PHOTO);
        Job succeeded = h.shop.generations().complete(job.id(), result).orElseThrow();
        AtomicInteger refunds = new AtomicInteger();
        CountDownLatch refunded = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        Generations admin = h.anotherInstance(st -> st.withLedger(new ForwardingLedger(h.stores.ledger()) {
            @Override
            public LedgerResult transfer(String id, AccountId debit, AccountId credit, long amount,
                                         TransferKind kind) {
                LedgerResult r = super.transfer(id, debit, credit, amount, kind);
                if (id.equals(Ledger.refundId(job.holdId()))) {
                    refunds.incrementAndGet();
                    refunded.countDown();
                    LockWaits.awaitQuietly(go);
                }
                return r;
            }
        })).generations();
        AtomicInteger deliveries = new AtomicInteger();
        Shop delivering = h.anotherInstance(st -> st.withJobs(new ForwardingJobs(h.stores.jobs()) {
            @Override
            public Optional<Job> update(Job next) {
                if (next.state() == JobState.DELIVERED) {
                    deliveries.incrementAndGet();
                }
                return super.update(next);
            }
        }));
        h.clock.advance(Duration.ofSeconds(5));
        h.messenger.drain();

        Future<LedgerResult> refund = threads.submit(() -> h.stores.transactions().inOne(
                () -> admin.refundAfterCharge(succeeded, "a test")));
        LockWaits.awaitQuietly(refunded);
        Future<Integer> delivery = threads.submit(() -> delivering.worker().runOnce(10));
        LockWaits.awaitDoneOrALockWait(delivery);
        boolean waited = !delivery.isDone();
        go.countDown();

        assertThat(refund.get(60, TimeUnit.SECONDS).succeeded()).isTrue();
        assertThat(delivery.get(60, TimeUnit.SECONDS)).isOne();
        assertThat(List.of(refunds.get(), deliveries.get())).as("no deadlock: neither ran again")
                .containsExactly(1, 1);
        assertThat(waited).as("the delivery waiting for nothing the refund holds").isFalse();
        assertThat(h.stored(job).state()).isEqualTo(JobState.DELIVERED);
        assertThat(resultsSent()).as("the result queued once").isOne();
        assertThat(h.stores.ledger().transfers(AccountId.wallet(U))).filteredOn(t -> t.kind() == TransferKind.REFUND)
                .extracting(Transfer::amount).containsExactly(job.price());
        assertThat(h.balance(U)).as("charged, then refunded, once each").isEqualTo(WALLET);
    }

    /**
     * Two holds of one user at the same moment (two chats, two devices: the handlings of one user take his row of
     * {@code users} first and so take turns; an admin's hold of his money does not), his balance enough for one: the
     * first hold keeps his wallet's row, the second waits for it and is refused. One hold, the balance exact.
     */
    @Test
    @Timeout(180)
    void twoHoldsOfOneUserAtOnceHoldOnceWhenHisBalanceCoversOne() throws Exception {
        h.topUp(U, 1_500 - h.balance(U));
        java.time.Instant until = h.clock.instant().plus(Duration.ofHours(1));
        HeldAfter first = new HeldAfter(h.stores.ledger(), "hold", "gen_901");
        AtomicInteger seconds = new AtomicInteger();

        List<Object> held = race(first,
                () -> h.stores.transactions().inOne(() -> first.hold("gen_901", AccountId.wallet(U), AccountId.REVENUE,
                        1_000, TransferKind.GENERATION, until).succeeded()),
                () -> h.stores.transactions().inOne(() -> {
                    seconds.incrementAndGet();
                    return h.stores.ledger().hold("gen_902", AccountId.wallet(U), AccountId.REVENUE, 1_000,
                            TransferKind.GENERATION, until).succeeded();
                }));

        assertThat(held).as("the first held, the second refused").containsExactly(true, false);
        assertThat(List.of(first.calls.get(), seconds.get())).as("no deadlock: neither ran again")
                .containsExactly(1, 1);
        assertThat(secondWaited).as("the second hold waiting for his wallet's row").isTrue();
        assertThat(h.stores.ledger().balance(AccountId.wallet(U)).available()).isEqualTo(500);
    }

    /**
     * A Stars payment credited to the wallet while a hold of the same wallet is placed from outside his chat (a job
     * charged again by a worker, an admin's {@code /refund_stars}): the credit keeps the wallet's row, the hold waits
     * for it and then holds what only the credit made room for. Each once, the balance exact.
     */
    @Test
    @Timeout(180)
    void aStarsCreditBesideAHoldOfTheSameWalletLetsTheHoldSeeIt() throws Exception {
        // his wallet's balance row there already: the row a hold waits for (a hold of a wallet never credited finds
        // none to wait for, and is refused as before the credit, which is as right)
        h.topUp(U, 100);
        String payload = h.invoiceFor50Stars(U);
        long before = h.balance(U);
        HeldAfter credits = new HeldAfter(h.stores.ledger(), "transfer", TopUps.creditId("ch-1"));
        Shop paying = h.anotherInstance(st -> st.withLedger(credits));
        AtomicInteger holds = new AtomicInteger();

        List<Object> ended = race(credits, () -> {
            paying.storefront().serve(new dev.kiebot.core.conversation.Incoming(9_000_001, ShopHarness.actor(U, "en"),
                    new dev.kiebot.core.conversation.Event.SuccessfulPayment("ch-1", payload, "XTR", 50)));
            return null;
        }, () -> h.stores.transactions().inOne(() -> {
            holds.incrementAndGet();
            return h.stores.ledger().hold("gen_903", AccountId.wallet(U), AccountId.REVENUE, before + 7_500,
                    TransferKind.GENERATION, h.clock.instant().plus(Duration.ofHours(1))).succeeded();
        }));

        assertThat(ended.get(1)).as("held, the credit seen").isEqualTo(true);
        assertThat(List.of(credits.calls.get(), holds.get())).as("no deadlock: neither ran again")
                .containsExactly(1, 1);
        assertThat(secondWaited).as("the hold waiting for the credit's wallet row").isTrue();
        assertThat(h.balance(U)).as("all of it held").isZero();
        assertThat(h.stores.ledger().transfers(AccountId.wallet(U))).filteredOn(t -> t.id()
                .equals(TopUps.creditId("ch-1"))).extracting(Transfer::amount).as("credited once")
                .containsExactly(7_500L);
    }

    /**
     * Telegram's report of a Stars refund while the job the refunded credit pays for fails (the provider's failure, an
     * admin's stop): the report holds the turns of the job's hold's resolutions (TopUps.awaitHoldsResolving), the
     * failure's void waits for them; the report takes back what the wallet has and owes the rest from the hold, which
     * the void then gives to the Stars. The user ends with nothing, no loss, each once.
     */
    @Test
    @Timeout(180)
    void aStarsRefundReportBesideTheFailureOfTheJobItPaysTakesItBackOnce() throws Exception {
        String payload = h.paid50Stars(U, "ch-1");
        Job job = h.runningFoxImage(U);
        HeldAfter reports = new HeldAfter(h.stores.ledger(), "await", Ledger.expireId(job.holdId()));
        Shop reporting = h.anotherInstance(st -> st.withLedger(reports));
        AtomicInteger failures = new AtomicInteger();
        Generations failing = h.anotherInstance(st -> st.withLedger(new ForwardingLedger(h.stores.ledger()) {
            @Override
            public LedgerResult voidHold(String id, String hold) {
                failures.incrementAndGet();
                return super.voidHold(id, hold);
            }
        })).generations();

        List<Object> ended = race(reports, () -> {
            reporting.storefront().serve(new dev.kiebot.core.conversation.Incoming(9_000_001,
                    ShopHarness.actor(U, "en"), new dev.kiebot.core.conversation.Event.RefundedPayment("ch-1", payload,
                    "XTR", 50)));
            return null;
        }, () -> failing.fail(job.id(), ErrorKind.GENERATION_FAILED.messageKey(), "a test"));

        assertThat(((Optional<?>) ended.get(1))).as("the job failed").isPresent();
        assertThat(List.of(reports.calls.get(), failures.get())).as("no deadlock: neither ran again")
                .containsExactly(1, 1);
        assertThat(secondWaited).as("the void waiting for the report's turns").isTrue();
        starsBackOnce(job);
    }

    /** {@link #aStarsRefundReportBesideTheFailureOfTheJobItPaysTakesItBackOnce}, the failure's void made first. */
    @Test
    @Timeout(180)
    void aJobsFailureBesideAStarsRefundReportOfTheCreditItSpentGivesItBackOnce() throws Exception {
        String payload = h.paid50Stars(U, "ch-1");
        Job job = h.runningFoxImage(U);
        HeldAfter failures = new HeldAfter(h.stores.ledger(), "void", job.holdId());
        Generations failing = h.anotherInstance(st -> st.withLedger(failures)).generations();
        AtomicInteger reports = new AtomicInteger();
        Shop reporting = h.anotherInstance(st -> st.withLedger(new ForwardingLedger(h.stores.ledger()) {
            @Override
            public Optional<Transfer> findAwaiting(String id) {
                if (id.equals(HeldStarsRefunds.usersTurnId(U))) {
                    reports.incrementAndGet();
                }
                return super.findAwaiting(id);
            }
        }));

        List<Object> ended = race(failures,
                () -> failing.fail(job.id(), ErrorKind.GENERATION_FAILED.messageKey(), "a test"), () -> {
                    reporting.storefront().serve(new dev.kiebot.core.conversation.Incoming(9_000_001,
                            ShopHarness.actor(U, "en"), new dev.kiebot.core.conversation.Event.RefundedPayment("ch-1",
                            payload, "XTR", 50)));
                    return null;
                });

        assertThat(((Optional<?>) ended.get(0))).as("the job failed").isPresent();
        assertThat(List.of(failures.calls.get(), reports.get())).as("no deadlock: neither ran again")
                .containsExactly(1, 1);
        assertThat(secondWaited).as("the report waiting for the void's turn").isTrue();
        starsBackOnce(job);
    }

    /** Another instance whose ledger counts its posts in {@code posts}: a side run again by a deadlock posts twice. */
    private Shop countingPosts(AtomicInteger posts) {
        return h.anotherInstance(st -> st.withLedger(new ForwardingLedger(h.stores.ledger()) {
            @Override
            public LedgerResult post(String id, String hold, long amount) {
                posts.incrementAndGet();
                return super.post(id, hold, amount);
            }
        }));
    }

    private void starsBackOnce(Job job) {
        assertThat(h.stored(job).state()).isEqualTo(JobState.FAILED);
        assertThat(failures(job)).as("failed and told once").isOne();
        assertThat(h.balance(U)).as("the Stars back, the credit gone with them").isZero();
        assertThat(h.stores.ledger().transfers(AccountId.STARS_REFUND_LOSS)).as("nothing lost").isEmpty();
        assertThat(h.stores.payments().openHeldRefunds(10)).as("nothing owed left").isEmpty();
        assertThat(h.stores.ledger().balance(AccountId.STARS_CLEARING).posted()).as("the Stars went back whole")
                .isZero();
    }
}
