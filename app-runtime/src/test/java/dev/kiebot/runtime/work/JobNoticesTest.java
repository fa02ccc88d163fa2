package dev.kiebot.runtime.work;

import static dev.kiebot.postgres.testing.LockWaits.awaitABackendWaitingForALock;
import static dev.kiebot.postgres.testing.LockWaits.awaitDoneOrALockWait;
import static dev.kiebot.postgres.testing.LockWaits.awaitQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Generations;
import dev.kiebot.core.shop.JobWorker;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.RecordingMessenger;
import dev.kiebot.core.testing.ScriptedProvider;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.runtime.intake.ScriptedShop;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A job's outcome, its money and what the user is told of it commit together, checked on the real PostgreSQL:
 * when the message or the job's new state cannot be written (the database lost at that moment), the job stays
 * where it was, with the money still held, and the next pass ends it and tells the user once — never a job that
 * ended with nobody told, nor money taken for a job that stays open. A Cancel, or a failure found before the send,
 * gives the money back only for a job that surely did not go to Kie: refunding one whose createTask was on its way left the shop paying Kie for a
 * result the user was told was cancelled.
 */
class JobNoticesTest {
    private static final long ANN = 5_570_001;
    private static final long PRICE = 300;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
    private final RecordingMessenger messenger = new RecordingMessenger();
    private final ScriptedProvider provider = new ScriptedProvider();
    private FailingOutbox outbox;
    private FailingJobs jobs;
    private Stores stores;
    private Shop shop;

    @BeforeEach
    void emptyDatabase() {
        Stores pg = TestDatabase.emptyStores(clock);
        outbox = new FailingOutbox(pg.pendingReplies());
        jobs = new FailingJobs(pg.jobs());
        stores = FailingJobs.around(FailingOutbox.around(pg, outbox), jobs);
        shop = ScriptedShop.builder(stores, messenger, clock).provider(provider).build();
        stores.users().seen(ANN, "Ann", Optional.empty(), Optional.of("en"), clock.instant());
        stores.ledger().transfer("topup-ann", AccountId.STARS_CLEARING, AccountId.wallet(ANN), 10_000,
                TransferKind.TOP_UP_STARS);
    }

    private Job start() {
        Generations.Start s = shop.generations().start(stores.users().find(ANN).orElseThrow(), ANN,
                new Effect.StartJob("img/m9", "default", Map.of("prompt", "a cat"), Map.of(), PRICE, false));
        assertThat(s).isInstanceOf(Generations.Start.Started.class);
        return ((Generations.Start.Started) s).job();
    }

    private Job job(Job j) {
        return stores.jobs().find(j.id()).orElseThrow();
    }

    private long balance() {
        return stores.ledger().balance(AccountId.wallet(ANN)).available();
    }

    @Test
    void aFailedJobWhoseUserCannotBeToldKeepsItsHoldAndIsRefundedWithItsNoticeLater() {
        Job j = start();
        outbox.unreachable.add(ANN);

        assertThatThrownBy(() -> shop.generations().fail(j.id(), "error.provider_timeout", "test"))
                .hasStackTraceContaining("outbox unavailable");
        assertThat(job(j).state()).as("rolled back with its notice").isEqualTo(j.state());
        assertThat(stores.ledger().holdState(j.holdId())).contains(HoldState.PENDING);
        assertThat(balance()).isEqualTo(10_000 - PRICE);

        outbox.reachable(ANN);
        assertThat(shop.generations().fail(j.id(), "error.provider_timeout", "test")).isPresent();
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(stores.ledger().holdState(j.holdId())).contains(HoldState.VOIDED);
        assertThat(balance()).isEqualTo(10_000);
        shop.sender().drain(100);
        assertThat(messenger.texts()).filteredOn(t -> t.contains("returned to your balance")).hasSize(1);
    }

    @Test
    void aSucceededJobWhoseResultsCannotBeQueuedStaysSucceededAndIsDeliveredOnceLater() {
        Job j = start();
        shop.worker().runOnce(10);
        String task = job(j).taskId().orElseThrow();
        provider.succeed(task, "https://r/cat.png");
        outbox.unreachableAfter(ANN, 2); // the upload action and the photo are queued, the "done" status is not

        clock.advance(Duration.ofMinutes(2));
        shop.worker().runOnce(10); // the step fails and is logged; the job stays for the next pass
        assertThat(job(j).state()).as("rolled back with its results").isEqualTo(JobState.SUCCEEDED);
        shop.sender().drain(100);
        assertThat(messenger.of(Reply.SendMedia.class)).isEmpty();

        outbox.reachable(ANN);
        clock.advance(Duration.ofMinutes(2));
        shop.worker().runOnce(10);
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        shop.sender().drain(100);
        assertThat(messenger.of(Reply.SendMedia.class)).extracting(Reply.SendMedia::source)
                .containsExactly("https://r/cat.png");
        assertThat(stores.ledger().holdState(j.holdId())).contains(HoldState.POSTED);
    }

    @Test
    void aResultWhoseSuccessCannotBeRecordedTakesNoMoneyAndTheDeadlineEndsTheJob() {
        Job j = start();
        shop.worker().runOnce(10);
        provider.succeed(job(j).taskId().orElseThrow(), "https://r/cat.png");
        jobs.failNextWriteTo(JobState.SUCCEEDED);

        clock.advance(Duration.ofMinutes(2));
        shop.worker().runOnce(10); // the step fails and is logged; the job stays for the next pass
        assertThat(stores.ledger().holdState(j.holdId())).as("rolled back with the job's success")
                .contains(HoldState.PENDING);
        assertThat(job(j).state()).isIn(JobState.SUBMITTED, JobState.RUNNING);

        // before, the post had committed alone: past the deadline the pass could not void it, and the job
        // stayed open for ever with the money taken; now the deadline ends it: the task read once more there is
        // done, so its result is delivered and paid for once (a task still not done is refunded with its notice)
        clock.set(job(j).deadline().plusSeconds(1));
        shop.worker().runOnce(10);
        shop.sender().drain(100);
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(stores.ledger().holdState(j.holdId())).contains(HoldState.POSTED);
        assertThat(balance()).isEqualTo(10_000 - job(j).price());
        assertThat(messenger.of(Reply.SendMedia.class)).extracting(Reply.SendMedia::source)
                .containsExactly("https://r/cat.png");
    }

    /**
     * A job failing while its status is being sent: the failure holds the job, then queues its notice in the chat,
     * which the sender's settle holds for a moment (the send itself holds nothing now). Before, the sender then
     * waited for the job (to keep the status message's id) inside the chat's transaction: a deadlock, broken against
     * the sender when it had waited first, and its transaction ran again — the status went out twice (found by a
     * review). The test forces that order: the failure holds the job and pauses before its notice until the sender
     * waits for a lock.
     */
    @Test
    void aJobFailingWhileItsStatusIsBeingSentGetsItsStatusOnceAndItsNotice() throws Exception {
        Job j = start();
        stores.transactions().inOne(() -> {
            shop.generations().status(j, "queued", Keyboard.NONE);
            return null;
        });
        CountDownLatch sending = new CountDownLatch(1);
        CountDownLatch sent = new CountDownLatch(1);
        Messenger slow = reply -> {
            if (reply instanceof Reply.SendText t && t.text().equals("queued")) {
                sending.countDown();
                awaitQuietly(sent);
            }
            return messenger.send(reply);
        };
        Shop slowShop = ScriptedShop.builder(stores, messenger, clock).provider(provider).messenger(slow).build();
        CountDownLatch noticePaused = new CountDownLatch(1);
        CountDownLatch noticeGoes = new CountDownLatch(1);
        outbox.pauseNextAppend(ANN, noticePaused, noticeGoes);
        try {
            CompletableFuture<Integer> sender = CompletableFuture.supplyAsync(() -> slowShop.sender().drain(1));
            assertThat(sending.await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Optional<Job>> failing = CompletableFuture.supplyAsync(
                    () -> shop.generations().fail(j.id(), "error.provider_timeout", "test"));
            assertThat(noticePaused.await(30, TimeUnit.SECONDS)).as("the failure holds the job").isTrue();
            sent.countDown();
            awaitABackendWaitingForALock(); // the sender, for the job
            noticeGoes.countDown();
            assertThat(sender.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(failing.get(30, TimeUnit.SECONDS)).isPresent();
        } finally {
            sent.countDown();
            noticeGoes.countDown();
        }
        shop.sender().drain(100);
        assertThat(messenger.of(Reply.SendText.class)).filteredOn(t -> t.text().equals("queued")).hasSize(1);
        assertThat(messenger.texts()).filteredOn(t -> t.contains("returned to your balance")).hasSize(1);
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(job(j).statusMessageId()).as("kept after the chat's transaction").isPresent();
    }

    /**
     * A job failing (an admin's /refund, a callback's read) just after the worker stored its "generating" step: the
     * worker's progress line is queued in the same transaction as that step, so the failure waits for it and its
     * notice is the status the user is left with. Before, the line was queued apart and could follow the notice,
     * editing "money returned" back to "generating" (found by a review).
     */
    @Test
    void aJobFailingJustAfterTheWorkerStoredItsProgressEndsWithTheFailureNotice() throws Exception {
        Job j = start();
        shop.worker().runOnce(10);
        provider.set(job(j).taskId().orElseThrow(), new TaskStatus.Running());
        List<CompletableFuture<Optional<Job>>> failing = new ArrayList<>();
        jobs.afterNextWriteTo(JobState.RUNNING, () -> {
            failing.add(CompletableFuture.supplyAsync(
                    () -> shop.generations().fail(j.id(), "error.provider_timeout", "test")));
            awaitDoneOrALockWait(failing.get(0));
        });

        clock.advance(Duration.ofMinutes(2));
        shop.worker().runOnce(10);

        assertThat(failing.get(0).get(30, TimeUnit.SECONDS)).isPresent();
        shop.sender().drain(100);
        List<String> status = messenger.texts();
        assertThat(status.get(status.size() - 1)).as("the last word in the status").contains("returned to your balance");
    }

    /**
     * The same race one step earlier: a failure (or a result, by Kie's callback) coming right after the worker stored
     * the task id. The "queued at the AI service" line is queued with that step, so it cannot follow the notice.
     */
    @Test
    void aJobFailingJustAfterItWasSentEndsWithTheFailureNotice() throws Exception {
        Job j = start();
        List<CompletableFuture<Optional<Job>>> failing = new ArrayList<>();
        jobs.afterNextWriteTo(JobState.SUBMITTED, () -> {
            failing.add(CompletableFuture.supplyAsync(
                    () -> shop.generations().fail(j.id(), "error.provider_timeout", "test")));
            awaitDoneOrALockWait(failing.get(0));
        });

        shop.worker().runOnce(10);

        assertThat(failing.get(0).get(30, TimeUnit.SECONDS)).isPresent();
        shop.sender().drain(100);
        List<String> status = messenger.texts();
        assertThat(status.get(status.size() - 1)).as("the last word in the status").contains("returned to your balance");
    }

    /** What another instance's worker writes before its createTask (on a thread and connection of its own). */
    private void anotherWorkerStartsSending(Job j) {
        CompletableFuture.runAsync(() -> stores.jobs().transition(j.id(), s -> s.state() == JobState.HELD,
                s -> s.submittingUntil(clock.instant().plus(JobWorker.SUBMIT_WINDOW)))).join();
    }

    @Test
    void aCancelPressedWhileTheWorkerSendsTheJobIsTooLateAndKeepsTheMoneyHeld() {
        Job j = start();
        jobs.afterNextFind(() -> anotherWorkerStartsSending(j)); // the Cancel read the job while it was HELD

        assertThat(shop.generations().cancel(j.id())).as("too late: the job is on its way to Kie").isFalse();

        assertThat(job(j).state()).isEqualTo(JobState.SUBMITTING);
        assertThat(stores.ledger().holdState(j.holdId())).as("held for the result Kie will make")
                .contains(HoldState.PENDING);
        assertThat(balance()).isEqualTo(10_000 - PRICE);
    }

    /**
     * A worker whose lease ran out while it downloaded the inputs finds a photo too large, while another worker took
     * the job up and sent it: the job is the other's, paid for, not refunded under it.
     */
    @Test
    void aFailureBeforeTheSendLeavesAJobAnotherWorkerSentMeanwhile() {
        Generations.Start s = shop.generations().start(stores.users().find(ANN).orElseThrow(), ANN,
                new Effect.StartJob("edit/pro", "resolution=1K", Map.of("prompt", "x"),
                        Map.of("image_urls", List.of("big-1")), PRICE, false));
        Job j = ((Generations.Start.Started) s).job();
        jobs.afterNextFind(() -> anotherWorkerStartsSending(j));

        shop.worker().runOnce(10); // the download finds the photo too large

        assertThat(job(j).state()).isEqualTo(JobState.SUBMITTING);
        assertThat(stores.ledger().holdState(j.holdId())).contains(HoldState.PENDING);
        assertThat(balance()).isEqualTo(10_000 - PRICE);
    }

    /**
     * A free job failed (its deadline passed, a status read timed out) while Kie's result completes it on another
     * instance's thread: the job is delivered, so its free use stays spent. Before, the failure gave the use back
     * first and only then found the job succeeded: the user had the generation and the free use again.
     */
    @Test
    void aFreeJobThatSucceedsWhileItIsBeingFailedKeepsItsFreeUseSpent() {
        Generations.Start s = shop.generations().start(stores.users().find(ANN).orElseThrow(), ANN,
                new Effect.StartJob("img/m9", "default", Map.of("prompt", "a cat"), Map.of(), 0, true));
        Job j = ((Generations.Start.Started) s).job();
        shop.worker().runOnce(10);
        LocalDate today = LocalDate.of(2026, 11, 30);
        assertThat(stores.freeUsage().used(ANN, today)).isEqualTo(1);
        jobs.afterNextFind(() -> CompletableFuture.runAsync(() -> shop.generations().complete(j.id(),
                new JobResult(List.of("https://r/cat.png"), MediaKind.PHOTO))).join());

        assertThat(shop.generations().fail(j.id(), "error.provider_timeout", "deadline passed")).isEmpty();

        assertThat(job(j).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(stores.freeUsage().used(ANN, today)).as("the free use of a job that succeeded").isEqualTo(1);
    }

    @Test
    void aQueuedJobIsCancelledOnceWithItsMoneyBackAndOneNotice() {
        Job j = start();

        assertThat(shop.generations().cancel(j.id())).isTrue();
        assertThat(shop.generations().cancel(j.id())).as("a second press: the job is cancelled already").isTrue();

        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(job(j).failure()).contains("job.cancelled");
        assertThat(stores.ledger().holdState(j.holdId())).contains(HoldState.VOIDED);
        assertThat(balance()).isEqualTo(10_000);
        shop.sender().drain(100);
        assertThat(messenger.texts()).filteredOn(t -> t.contains("cancelled")).hasSize(1);
        shop.worker().runOnce(10);
        assertThat(provider.submitted).as("a cancelled job is never sent").isEmpty();
    }
}
