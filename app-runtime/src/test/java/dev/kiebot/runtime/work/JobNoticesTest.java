package dev.kiebot.runtime.work;

import static dev.kiebot.postgres.testing.LockWaits.awaitABackendWaitingForALock;
import static dev.kiebot.postgres.testing.LockWaits.awaitDoneOrALockWait;
import static dev.kiebot.postgres.testing.LockWaits.awaitQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.MediaType;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.JobWorker;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.RecordingMessenger;
import dev.kiebot.core.testing.ScriptedProvider;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.runtime.intake.ScriptedShop;
import dev.kiebot.testing.Patience;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A job's outcome, its money and what the user is told of it commit together, checked on the real PostgreSQL:
 * when the message or the job's new state cannot be written (the database lost at that moment), the job stays
 * where it was, with the money still held, and the next pass ends it and tells the user once — never a job that
 * ended with nobody told, nor money taken for a job that stays open. A Cancel, or a failure found before the send,
 * gives the money back only for a job that surely did not go to Kie: refunding one whose createTask was on its way left the shop paying Kie for a
 * result the user was told was cancelled.
 *
 * <p>Every job is started, cancelled and failed the way the shop does it: Ann orders through the storefront and
 * presses Cancel under its status, an admin sends {@code /refund}, the worker reads the provider's status (at a
 * callback, a pass, the deadline); never by calling core's money service directly, which neither a user nor the
 * provider can.
 */
class JobNoticesTest {
    /** Each task on a thread of its own: the common pool has one worker on two cores, and these tasks block. */
    private static final Executor ELSEWHERE = task -> new Thread(task, "elsewhere").start();

    private static final long ANN = 5_570_001;
    private static final long ADMIN = 5_570_900;
    /** What the shop quotes Ann for an image of {@code img/m9}: 0.019 USD × 78 × 2, to the kopeck. */
    private static final long PRICE = 297;
    /** And for an edit of one photo by {@code edit/pro} at 1K: 0.025 USD × 78 × 2. */
    private static final long EDIT_PRICE = 390;

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
        shop = ScriptedShop.builder(stores, messenger, clock).provider(provider)
                .settings(ShopSettings.defaults().withAdmins(Set.of(ADMIN)).withAdmission(AdmissionPolicy.off()))
                .build();
        stores.users().seen(ANN, "Ann", Optional.empty(), Optional.of("en"), clock.instant());
        stores.users().seen(ADMIN, "Boss", Optional.empty(), Optional.of("en"), clock.instant());
        stores.ledger().transfer("topup-ann", AccountId.STARS_CLEARING, AccountId.wallet(ANN), 10_000,
                TransferKind.TOP_UP_STARS);
    }

    private long updateIds = 1;

    /** One update from {@code userId}'s private chat, handled by the storefront; its replies stay queued. */
    private void serve(long userId, Event event) {
        shop.storefront().serve(new Incoming(updateIds++, new Actor(userId, userId, userId == ADMIN ? "Boss" : "Ann",
                Optional.empty(), Optional.of("en")), event));
    }

    /** Ann's update, handled and its replies delivered. @return what the shop sent her meanwhile */
    private List<Reply> send(Event event) {
        messenger.drain();
        serve(ANN, event);
        shop.sender().drain(100);
        return messenger.drain();
    }

    private Event press(String data) {
        return new Event.Callback("q" + updateIds, data, Optional.of(1L));
    }

    /** Ann opens {@code modelId}, describes "a cat" and picks 1:1. @return the confirmation's Generate button */
    private String confirmedImage(String modelId) {
        send(press("*|g|" + modelId));
        return ShopHarness.button(send(press(ShopHarness.button(send(new Event.Text("a cat")), "1:1"))), "Generate");
    }

    /** Ann orders an image of img/m9 at {@link #PRICE}, as a user does. */
    private Job start() {
        return started(send(press(confirmedImage("img/m9"))));
    }

    /** The job Ann's Generate just started (HELD: money held, not sent yet), its status message among the replies. */
    private Job started(List<Reply> generated) {
        assertThat(ShopHarness.lastText(generated)).contains("Queued");
        Job j = stores.jobs().recent(ANN, 1).get(0);
        assertThat(j.state()).isEqualTo(JobState.HELD);
        return j;
    }

    /**
     * The admin's {@code /refund} of the job, confirmed by its «↩️ Refund»: it stops a job under way and gives the money
     * back.
     */
    private void refundByAdmin(Job j) {
        messenger.drain();
        serve(ADMIN, new Event.Command("refund", j.id().display()));
        shop.sender().drain(100);
        List<Reply> asked = messenger.drain().stream().filter(r -> r.chatId() == ADMIN).toList();
        serve(ADMIN, new Event.Callback("q" + updateIds, ShopHarness.button(asked, "Refund"), Optional.of(1L)));
    }

    /** The provider says the job's task failed, and its callback makes the worker read the task again. */
    private void taskFailsAndItsCallbackComes(String task) {
        provider.set(task, new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "test"));
        shop.worker().checkTask(task);
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
        shop.worker().runOnce(10);
        Job sent = job(j);
        String task = sent.taskId().orElseThrow();
        outbox.unreachable.add(ANN);

        assertThatThrownBy(() -> taskFailsAndItsCallbackComes(task)).hasStackTraceContaining("outbox unavailable");
        assertThat(job(j).state()).as("rolled back with its notice").isEqualTo(sent.state());
        assertThat(stores.ledger().holdState(j.holdId())).contains(HoldState.PENDING);
        assertThat(balance()).isEqualTo(10_000 - PRICE);

        outbox.reachable(ANN);
        taskFailsAndItsCallbackComes(task); // the callback again: this read fails the job
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
        serve(ANN, press(confirmedImage("img/m9"))); // the job's first status, "Queued", waits in the outbox
        Job j = stores.jobs().recent(ANN, 1).get(0);
        CountDownLatch sending = new CountDownLatch(1);
        CountDownLatch sent = new CountDownLatch(1);
        Messenger slow = reply -> {
            if (reply instanceof Reply.SendText t && isQueuedStatus(t)) {
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
            CompletableFuture<Integer> sender = CompletableFuture.supplyAsync(() -> slowShop.sender().drain(1), ELSEWHERE);
            assertThat(Patience.await(sending, Duration.ofSeconds(30))).isTrue();
            CompletableFuture<Void> failing = CompletableFuture.runAsync(() -> refundByAdmin(j), ELSEWHERE);
            assertThat(Patience.await(noticePaused, Duration.ofSeconds(30))).as("the failure holds the job").isTrue();
            sent.countDown();
            awaitABackendWaitingForALock(); // the sender, for the job
            noticeGoes.countDown();
            assertThat(Patience.get(sender, Duration.ofSeconds(30))).isEqualTo(1);
            Patience.get(failing, Duration.ofSeconds(30));
            assertThat(job(j).state()).as("failed by the admin's /refund").isEqualTo(JobState.FAILED);
        } finally {
            sent.countDown();
            noticeGoes.countDown();
        }
        shop.sender().drain(100);
        assertThat(messenger.of(Reply.SendText.class)).filteredOn(JobNoticesTest::isQueuedStatus).hasSize(1);
        assertThat(messenger.texts()).filteredOn(t -> t.contains("returned to your balance")).hasSize(1);
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(job(j).statusMessageId()).as("kept after the chat's transaction").isPresent();
    }

    private static boolean isQueuedStatus(Reply.SendText t) {
        return t.text().contains("Queued.");
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
        String task = job(j).taskId().orElseThrow();
        provider.set(task, new TaskStatus.Running());
        List<CompletableFuture<Void>> failing = new ArrayList<>();
        jobs.afterNextWriteTo(JobState.RUNNING, () -> { // the worker read "running"; now the task fails
            failing.add(CompletableFuture.runAsync(() -> taskFailsAndItsCallbackComes(task), ELSEWHERE));
            awaitDoneOrALockWait(failing.get(0));
        });

        clock.advance(Duration.ofMinutes(2));
        shop.worker().runOnce(10);

        Patience.get(failing.get(0), Duration.ofSeconds(30));
        assertThat(job(j).state()).as("failed by the callback's read").isEqualTo(JobState.FAILED);
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
        List<CompletableFuture<Void>> failing = new ArrayList<>();
        jobs.afterNextWriteTo(JobState.SUBMITTED, () -> {
            failing.add(CompletableFuture.runAsync(() -> refundByAdmin(j), ELSEWHERE));
            awaitDoneOrALockWait(failing.get(0));
        });

        shop.worker().runOnce(10);

        Patience.get(failing.get(0), Duration.ofSeconds(30));
        assertThat(job(j).state()).as("failed by the admin's /refund").isEqualTo(JobState.FAILED);
        shop.sender().drain(100);
        List<String> status = messenger.texts();
        assertThat(status.get(status.size() - 1)).as("the last word in the status").contains("returned to your balance");
    }

    /** What another instance's worker writes before its createTask (on a thread and connection of its own). */
    private void anotherWorkerStartsSending(Job j) {
        CompletableFuture.runAsync(() -> stores.jobs().transition(j.id(), s -> s.state() == JobState.HELD,
                s -> s.submittingUntil(clock.instant().plus(JobWorker.SUBMIT_WINDOW))), ELSEWHERE).join();
    }

    @Test
    void aCancelPressedWhileTheWorkerSendsTheJobIsTooLateAndKeepsTheMoneyHeld() {
        List<Reply> generated = send(press(confirmedImage("img/m9")));
        Job j = started(generated);
        // the press reads the job twice: the conversation, whose job it is; then the Cancel, to move it. Right after
        // that second read, while the job was HELD, another worker starts sending it
        jobs.afterFind(2, () -> anotherWorkerStartsSending(j));

        assertThat(ShopHarness.lastText(send(press(ShopHarness.button(generated, "Cancel generation")))))
                .as("too late: the job is on its way to Kie").contains("can no longer be cancelled");

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
        send(press("*|g|edit/pro"));
        // Telegram says the photo is small; its download finds it too large (FakeFiles' "big-" ids)
        List<Reply> photo = send(new Event.Media(MediaType.PHOTO, "big-1", 1000, Optional.empty(), Optional.empty()));
        send(press(ShopHarness.button(photo, "Done")));
        List<Reply> resolution = send(new Event.Text("x"));
        Job j = started(send(press(ShopHarness.button(send(press(ShopHarness.button(resolution, "1K"))),
                "Generate"))));
        jobs.afterNextFind(() -> anotherWorkerStartsSending(j));

        shop.worker().runOnce(10); // the download finds the photo too large

        assertThat(job(j).state()).isEqualTo(JobState.SUBMITTING);
        assertThat(stores.ledger().holdState(j.holdId())).contains(HoldState.PENDING);
        assertThat(balance()).isEqualTo(10_000 - EDIT_PRICE);
    }

    /**
     * A free job failed (its deadline passed, a status read timed out) while Kie's result completes it on another
     * instance's thread: the job is delivered, so its free use stays spent. Before, the failure gave the use back
     * first and only then found the job succeeded: the user had the generation and the free use again. Here the
     * worker's pass past the deadline reads the task still running and fails the job; right after that failure read
     * the job, Kie's callback for its result is read on another thread.
     */
    @Test
    void aFreeJobThatSucceedsWhileItIsBeingFailedKeepsItsFreeUseSpent() {
        Job j = started(send(press(confirmedImage("img/m1")))); // one of the five free models
        assertThat(j.free()).isTrue();
        shop.worker().runOnce(10);
        String task = job(j).taskId().orElseThrow();
        LocalDate today = LocalDate.of(2026, 11, 30);
        assertThat(stores.freeUsage().used(ANN, today)).isEqualTo(1);
        clock.set(j.deadline().plusSeconds(1));
        messenger.drain();
        jobs.afterNextFind(() -> {
            provider.succeed(task, "https://r/cat.png");
            CompletableFuture.runAsync(() -> shop.worker().checkTask(task), ELSEWHERE).join();
        });

        shop.worker().runOnce(10); // the last read at the deadline finds it running: the job fails, or would
        shop.sender().drain(100);

        assertThat(messenger.texts()).as("the failure found the job succeeded and did nothing")
                .noneMatch(t -> t.contains("Generation failed") || t.contains("free generation was returned"));
        assertThat(job(j).state()).as("succeeded, and delivered by the callback's read").isEqualTo(JobState.DELIVERED);
        assertThat(stores.freeUsage().used(ANN, today)).as("the free use of a job that succeeded").isEqualTo(1);
    }

    @Test
    void aQueuedJobIsCancelledOnceWithItsMoneyBackAndOneNotice() {
        List<Reply> generated = send(press(confirmedImage("img/m9")));
        Job j = started(generated);
        String cancel = ShopHarness.button(generated, "Cancel generation");

        serve(ANN, press(cancel));
        serve(ANN, press(cancel)); // a second press: the job is cancelled already, not "too late to cancel"

        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(job(j).failure()).contains("job.cancelled");
        assertThat(stores.ledger().holdState(j.holdId())).contains(HoldState.VOIDED);
        assertThat(balance()).isEqualTo(10_000);
        shop.sender().drain(100);
        // one notice of the cancellation and its money; the second press is told the job is cancelled already
        assertThat(messenger.texts()).filteredOn(t -> t.contains("returned")).singleElement().asString()
                .startsWith("✖ Generation gen_1 cancelled.");
        assertThat(messenger.texts()).contains("Generation gen_1 is already cancelled.")
                .noneMatch(t -> t.contains("can no longer be cancelled"));
        shop.worker().runOnce(10);
        assertThat(provider.submitted).as("a cancelled job is never sent").isEmpty();
    }
}
