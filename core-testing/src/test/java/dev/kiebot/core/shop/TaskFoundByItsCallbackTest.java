package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.jobs.CallbackUrl;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.SubmitRequest;
import dev.kiebot.core.jobs.TaskOrigin;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ForwardingProvider;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.users.User;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A job cut off after Kie answered createTask with a task id and before that id was stored (the process killed, the
 * database lost): the job says SUBMITTING with no task, and Kie's callback names only Kie's task id. It was refunded
 * after {@code SUBMIT_WINDOW} as cut off mid-send, with a RECONCILE line, while Kie made the result and charged the
 * shop for it. Each task's callback URL now names its job; a callback for a task no job has leads to the job it names
 * only when Kie itself, read with the shop's key, keeps the task as made of that job's model with an address naming
 * the job and its moment of making (whatever base: the public URL may have changed since), and the job still waits
 * for a task. Every other callback changes nothing.
 */
class TaskFoundByItsCallbackTest {
    private static final String BASE = "https://bot.example/kie/callback/secret-token";
    private ShopHarness h;
    private User user;

    @BeforeEach
    void setUp() {
        h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))
                .withAdmission(AdmissionPolicy.off()), ShopHarness.MANUAL, b -> b.callbackUrl(Optional.of(BASE)));
        h.command(42, "start");
        user = h.stores.users().find(42).orElseThrow();
        h.topUp(42, 10_000);
    }

    private Job start() {
        return HeldCatImage.start(h, user, 42);
    }

    private Job job(Job j) {
        return h.stored(j);
    }

    /** The process died after Kie made {@code taskId} for the job and before the id was written. */
    private Job cutOffAfterKieMade(String taskId) {
        Job j = start();
        h.stores.jobs().update(job(j).submittingUntil(h.clock.instant().plus(JobWorker.SUBMIT_WINDOW)));
        h.provider.made(taskId, new TaskOrigin("img/m9", CallbackUrl.forJob(BASE, j)));
        h.messenger.drain();
        return j;
    }

    private List<String> auditOf(Job j) {
        return h.stores.audit().byCorrelation(j.id().display()).stream().map(e -> e.action()).toList();
    }

    @Test
    void theTaskSentCarriesItsJobInItsCallbackUrl() {
        Job j = start();
        h.work(10);
        assertThat(h.provider.submitted).extracting(SubmitRequest::callbackUrl)
                .containsExactly(Optional.of(BASE + "?job=" + j.id().display() + "&made=" + j.createdAt().toEpochMilli()));
    }

    @Test
    void kiesCallbackForATaskWhoseIdWasNeverStoredDeliversItsResultChargedOnce() {
        Job j = cutOffAfterKieMade("kie-7");
        h.shop.worker().checkTask("kie-7", Optional.of(j.id().display()));
        assertThat(job(j).state()).as("taken, and read: Kie still makes it").isEqualTo(JobState.RUNNING);
        assertThat(job(j).taskId()).contains("kie-7");

        h.provider.succeed("kie-7", "https://r/cat.png");
        h.clock.advance(JobWorker.SUBMIT_WINDOW.plusSeconds(1));
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.messenger.of(Reply.SendMedia.class)).extracting(Reply.SendMedia::source)
                .containsExactly("https://r/cat.png");
        assertThat(h.balance(42)).isEqualTo(9_700);
        assertThat(h.stores.ledger().holdState(j.holdId())).contains(HoldState.POSTED);
        assertThat(h.stores.ledger().balance(AccountId.REVENUE).posted()).isEqualTo(300);
        assertThat(h.messenger.texts()).noneMatch(t -> t.contains("returned to your balance"));
        assertThat(auditOf(j)).doesNotContain("gen.reconcile").contains("gen.submitted", "gen.delivered");
        assertThat(h.provider.submitted).as("never sent again").isEmpty();
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * The worker leased the job as cut off mid-send (its window over, still no task) and, before its step failed it,
     * Kie's callback found the job's task on another thread: the job keeps the task and goes on. Failed by the step's
     * stale copy, the user was refunded and the result Kie made and charged for was never delivered.
     */
    @Test
    void aTaskTheCallbackFoundWhileTheWorkerHeldTheJobAsCutOffIsKept() {
        Job j = cutOffAfterKieMade("kie-7");
        h.clock.advance(JobWorker.SUBMIT_WINDOW.plusSeconds(1));
        Job asLeased = job(j);
        h.shop.worker().checkTask("kie-7", Optional.of(j.id().display()));
        h.shop.worker().advance(asLeased);
        assertThat(job(j).state()).isEqualTo(JobState.RUNNING);
        assertThat(h.stores.ledger().holdState(j.holdId())).contains(HoldState.PENDING);
        assertThat(auditOf(j)).doesNotContain("gen.reconcile", "gen.failed");

        h.provider.succeed("kie-7", "https://r/cat.png");
        h.clock.advance(Duration.ofMinutes(1));
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.balance(42)).isEqualTo(9_700);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /** The same past the job's deadline: the deadline's refund of a job cut off mid-send waits for no task either. */
    @Test
    void aTaskTheCallbackFoundWhileTheWorkerHeldTheJobPastItsDeadlineIsKept() {
        Job j = cutOffAfterKieMade("kie-7");
        Job asLeased = job(j);
        h.clock.advance(Duration.between(h.clock.instant(), asLeased.deadline()).plusSeconds(1));
        h.shop.worker().checkTask("kie-7", Optional.of(j.id().display()));
        h.shop.worker().advance(asLeased);
        assertThat(job(j).state()).isNotEqualTo(JobState.FAILED);
        assertThat(auditOf(j)).doesNotContain("gen.reconcile", "gen.failed");
    }

    /**
     * A job cut off mid-send whose task Kie made and finishes after the send's window (a video's minutes): the job waits
     * for Kie's callback until its deadline, its money held and its user told, instead of a refund at the window's end
     * for a result Kie then made and charged for.
     */
    @Test
    void aJobCutOffMidSendWaitsPastItsWindowForKiesCallback() {
        Job j = cutOffAfterKieMade("kie-7");
        h.clock.advance(JobWorker.SUBMIT_WINDOW.plusSeconds(1));
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.SUBMITTING);
        assertThat(job(j).nextCheckAt()).isEqualTo(job(j).deadline());
        assertThat(h.stores.ledger().holdState(j.holdId())).contains(HoldState.PENDING);
        assertThat(h.messenger.texts()).anyMatch(t -> t.contains(j.id().display())
                && t.contains("did not confirm in time") && t.matches("(?s).*3\\h₽ goes back to your balance 10\\hminutes after the generation was started.*"));
        assertThat(auditOf(j)).contains(JobWorker.AWAITING_CALLBACK).doesNotContain("gen.reconcile", "gen.failed");
        assertThat(ShopHarness.lastText(h.command(42, "history"))).as("/history says what the status says")
                .contains(j.id().display() + " · ", "waiting for the AI service to confirm");
        int told = h.messenger.texts().size();
        h.shop.worker().advance(job(j));
        assertThat(auditOf(j)).as("a second look at a waiting job starts no second wait")
                .containsOnlyOnce(JobWorker.AWAITING_CALLBACK);
        assertThat(h.messenger.texts()).hasSize(told);

        h.clock.advance(Duration.ofMinutes(3));
        h.provider.succeed("kie-7", "https://r/cat.png");
        h.shop.worker().checkTask("kie-7", Optional.of(j.id().display()));
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.balance(42)).isEqualTo(9_700);
        assertThat(auditOf(j)).doesNotContain("gen.reconcile", "gen.failed");
        assertThat(h.provider.submitted).as("never sent again").isEmpty();
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * A createTask Kie did not answer in time may well have made the task (a slow answer is a busy Kie): the job waits
     * for Kie's callback as one cut off mid-send does, never sent twice, rather than refunded at once for a result
     * Kie may make and charge for.
     */
    @Test
    void aCreateTaskUnansweredInTimeWaitsForKiesCallback() {
        Job j = sentAndLost(new ProviderException(ErrorKind.TIMEOUT, "read timed out", true));
        assertWaits(j);
        assertThat(h.messenger.texts()).anyMatch(t -> t.contains("did not confirm in time"));

        h.provider.made("kie-5", new TaskOrigin("img/m9", CallbackUrl.forJob(BASE, j)));
        h.provider.succeed("kie-5", "https://r/cat.png");
        h.clock.advance(Duration.ofMinutes(7));
        h.shop.worker().checkTask("kie-5", Optional.of(j.id().display()));
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.balance(42)).isEqualTo(9_700);
        assertThat(h.provider.submitted).as("sent once").hasSize(1);
    }

    /**
     * At the deadline a job that waited since a restart cut its send off fails as cut off («связь прервалась»), not as
     * the model too slow: a restart cutting off a few sends of one model must not count toward «model down»
     * (ModelFailures counts the provider's timeouts); one that waited after an unanswered createTask fails as a timeout.
     */
    @Test
    void aJobThatWaitedSinceARestartFailsAsCutOffAndOneThatWaitedAfterATimeoutAsATimeout() {
        Job cut = cutOffAfterKieMade("kie-7");
        refundedAtTheDeadline(cut);
        assertThat(job(cut).failure()).contains("error.provider_uncertain");

        Job unanswered = sentAndLost(new ProviderException(ErrorKind.TIMEOUT, "read timed out", true));
        refundedAtTheDeadline(unanswered);
        assertThat(job(unanswered).failure()).contains("error.provider_timeout");
    }

    /** A connection lost after the createTask was sent leaves it as uncertain as no answer: the job waits too. */
    @Test
    void aCreateTaskWhoseConnectionWasLostAfterTheSendWaitsForKiesCallback() {
        assertWaits(sentAndLost(new ProviderException(ErrorKind.CONNECT, "connection lost: IOException", true)));
    }

    /**
     * A Kie that hangs on every createTask is told to the admins as its users' jobs begin to wait (each counted as
     * Kie's timeout toward «model failing»), not at their deadlines half an hour later; a job counted so counts nothing
     * more when it fails at its deadline.
     */
    @Test
    void createTasksKieLeavesUnansweredAreToldAsTheJobsBeginToWaitAndCountedOnce() {
        h.command(43, "start");
        h.topUp(43, 10_000);
        User other = h.stores.users().find(43).orElseThrow();
        h.provider.failSubmits(new ProviderException(ErrorKind.TIMEOUT, "read timed out", true));
        for (int i = 1; i < ModelFailures.IN_A_ROW; i++) {
            startFor(i % 2 == 0 ? other : user);
        }
        h.work(10);
        h.messenger.drain();
        h.clock.advance(ShopSettings.defaults().deadline(Category.IMAGE));
        h.work(10);
        assertThat(h.messenger.drain()).as("four waits and their four failures are a row of four")
                .noneMatch(r -> r.chatId() == ShopHarness.ADMIN);

        startFor(other);
        h.work(10);
        assertThat(h.messenger.texts()).as("the fifth in a row, as it begins to wait")
                .anyMatch(t -> t.matches("(?s).*5\\hгенераций подряд не удались у Kie или остались без ответа.*")
                        && t.contains("ждёт ответа Kie до своего срока") && t.contains("/pause img/m9"));
    }

    private Job startFor(User u) {
        return HeldCatImage.start(h, u, u.id());
    }

    /** A job whose createTask threw {@code e}, after the worker's pass. */
    private Job sentAndLost(ProviderException e) {
        h.provider.failSubmits(e);
        Job j = start();
        h.work(10);
        return j;
    }

    /** The job waits for Kie's callback until its deadline, its money held, nothing failed nor to reconcile. */
    private void assertWaits(Job j) {
        assertThat(job(j).state()).isEqualTo(JobState.SUBMITTING);
        assertThat(job(j).nextCheckAt()).isEqualTo(job(j).deadline());
        assertThat(h.stores.ledger().holdState(j.holdId())).contains(HoldState.PENDING);
        assertThat(auditOf(j)).contains(JobWorker.AWAITING_CALLBACK).doesNotContain("gen.reconcile", "gen.failed");
    }

    /**
     * An admin's /refund of a job waiting for Kie's callback stops it and puts it on the operator's list of tasks to
     * settle with Kie: Kie may have made the task and charged for it. It was refunded without a RECONCILE line.
     */
    @Test
    void anAdminsRefundOfAJobWaitingForKiesCallbackIsToReconcile() {
        Job j = sentAndLost(new ProviderException(ErrorKind.TIMEOUT, "read timed out", true));
        assertWaits(j);
        h.adminConfirmed("refund", j.id().display());
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(h.stores.audit().byCorrelation(j.id().display())).filteredOn(e -> e.action().equals("gen.reconcile"))
                .singleElement().extracting(e -> e.detail()).isEqualTo(JobNote.STOPPED_AWAITING_KIE.with());
        assertThat(ShopHarness.lastText(h.admin("find", j.id().display()))).contains("stopped by an admin's /refund while Kie had "
                + "not confirmed the task");
    }

    /** A connection that never opened surely took nothing to Kie: sent again later, never waited for. */
    @Test
    void aCreateTaskThatNeverConnectedIsSentAgainNotWaitedFor() {
        Job j = sentAndLost(new ProviderException(ErrorKind.CONNECT, "cannot connect: ConnectException", false));
        assertThat(job(j).state()).isEqualTo(JobState.HELD);
        assertThat(auditOf(j)).doesNotContain(JobWorker.AWAITING_CALLBACK, "gen.reconcile", "gen.failed");
    }

    /** The same with no callback at all: refunded at the deadline, the operator told once. */
    @Test
    void aCreateTaskUnansweredInTimeWithNoCallbackIsRefundedAtItsDeadline() {
        Job j = sentAndLost(new ProviderException(ErrorKind.TIMEOUT, "read timed out", true));
        refundedAtTheDeadline(j);
        assertThat(h.balance(42)).isEqualTo(10_000);
        assertThat(h.provider.submitted).as("sent once").hasSize(1);
    }

    /**
     * /status and the job's number, asked while the job waits for Kie's callback, say what its status message says: Kie
     * did not confirm the order, and when the money comes back if no result does. They said «sending to the AI
     * service, 4 min so far, usually about 30 s — almost there» beside the message that the money may come back.
     */
    @Test
    void statusSaysAJobWaitingForKiesCallbackWaitsAsItsMessageDoes() {
        Job j = sentAndLost(new ProviderException(ErrorKind.TIMEOUT, "read timed out", true));
        h.clock.advance(Duration.ofMinutes(4));
        for (String asked : List.of(ShopHarness.lastText(h.command(42, "status")),
                ShopHarness.lastText(h.text(42, j.id().display())))) {
            assertThat(asked).contains(j.id().display(), "did not confirm in time")
                    .matches("(?s).*3\\h₽ goes back to your balance 10\\hminutes after the generation was started.*")
                    .doesNotContain("almost there", "sending");
        }
        h.provider.made("kie-5", new TaskOrigin("img/m9", CallbackUrl.forJob(BASE, j)));
        h.shop.worker().checkTask("kie-5", Optional.of(j.id().display()));
        assertThat(ShopHarness.lastText(h.command(42, "status"))).contains(j.id().display())
                .doesNotContain("did not confirm");
    }

    /**
     * The status message of a job waiting for Kie's callback is written once, as the wait begins, and not edited while
     * it lasts; it said the money came back «in 5 minutes» (counted from then), which a user still read so minutes
     * later, and /status then said another number. Both now say when counted from the order, which stays true: in
     * Russian «вернём 3 ₽ на баланс через 10 минут после запуска», the image deadline.
     */
    @Test
    void theWaitingJobsMessageSaysWhenTheMoneyComesBackInWordsThatStayTrue() {
        Job j = cutOffAfterKieMade("kie-7");
        h.clock.advance(JobWorker.SUBMIT_WINDOW.plusSeconds(1));
        h.work(10);
        assertWaits(j);
        String message = h.messenger.texts().stream().filter(t -> t.contains("did not confirm in time")).reduce((a, b) -> b)
                .orElseThrow();
        h.clock.advance(Duration.ofMinutes(3));
        String status = ShopHarness.lastText(h.command(42, "status"));
        for (String read : List.of(message, status)) {
            assertThat(read).as(read).matches("(?s).*3\\h₽ goes back to your balance 10\\hminutes after the generation was started.*");
        }
        h.stores.users().setLanguage(42, "ru");
        assertThat(ShopHarness.lastText(h.command(42, "status")))
                .matches("(?s).*Если нет — вернём 3\\h₽ на баланс через 10\\hминут после запуска\\..*");
    }

    /**
     * The operator's RECONCILE line at the deadline of a job that waited for a createTask Kie did not answer says that,
     * as the line of its wait did: it said «found in SUBMITTING after a restart», sending the operator after a restart
     * that never was.
     */
    @Test
    void theDeadlinesReconcileLineOfAnUnansweredCreateTaskSaysWhyTheJobWaited() {
        Job j = sentAndLost(new ProviderException(ErrorKind.TIMEOUT, "read timed out", true));
        refundedAtTheDeadline(j);
        String waited = detailOf(j, JobWorker.AWAITING_CALLBACK);
        assertThat(waited).startsWith("createTask outcome unknown").contains("read timed out");
        assertThat(detailOf(j, "gen.reconcile")).isEqualTo(waited);
    }

    /** A job cut off mid-send keeps its line at the deadline: found in SUBMITTING after a restart. */
    @Test
    void theDeadlinesReconcileLineOfAJobCutOffMidSendSaysSo() {
        Job j = cutOffAfterKieMade("kie-7");
        refundedAtTheDeadline(j);
        assertThat(detailOf(j, "gen.reconcile")).isEqualTo(JobNote.SUBMITTING_AT_RESTART.with());
    }

    private String detailOf(Job j, String action) {
        return h.stores.audit().byCorrelation(j.id().display()).stream().filter(e -> e.action().equals(action))
                .map(e -> e.detail()).reduce((first, last) -> last).orElseThrow();
    }

    /** Kie answered with an error: it surely made nothing to wait for, so the job fails at once as before. */
    @Test
    void aCreateTaskKieAnsweredWithAnErrorIsRefundedAtOnce() {
        Job j = sentAndLost(new ProviderException(ErrorKind.SERVER, "internal error (Kie 500)", true));
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(auditOf(j)).contains("gen.reconcile").doesNotContain(JobWorker.AWAITING_CALLBACK);
        assertThat(h.balance(42)).isEqualTo(10_000);
    }

    /**
     * A callback that takes nothing leaves the job waiting for one that does until its deadline, then refunded, the
     * operator told.
     */
    private void assertNothingTaken(Job j) {
        assertThat(job(j).state()).isEqualTo(JobState.SUBMITTING);
        assertThat(job(j).taskId()).isEmpty();
        assertThat(auditOf(j)).doesNotContain("gen.submitted");
        refundedAtTheDeadline(j);
    }

    private void refundedAtTheDeadline(Job j) {
        h.clock.advance(JobWorker.SUBMIT_WINDOW.plusSeconds(1));
        h.work(10);
        assertThat(job(j).state()).as("waits for Kie's callback").isEqualTo(JobState.SUBMITTING);
        h.clock.advance(Duration.between(h.clock.instant(), job(j).deadline()));
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(auditOf(j)).containsOnlyOnce("gen.reconcile");
    }

    @Test
    void aCallbackNamingNoJobOrNoJobsNameTakesNothing() {
        Job j = cutOffAfterKieMade("kie-7");
        h.shop.worker().checkTask("kie-7", Optional.empty());
        h.shop.worker().checkTask("kie-7", Optional.of("gen_x"));
        h.shop.worker().checkTask("kie-7", Optional.of("gen_" + (j.id().value() + 1)));
        assertNothingTaken(j);
    }

    @Test
    void aCallbackNamingAnotherJobThanTheOneKieMadeTheTaskForTakesNothing() {
        Job madeFor = cutOffAfterKieMade("kie-7");
        Job other = start();
        h.stores.jobs().update(job(other).submittingUntil(h.clock.instant().plus(JobWorker.SUBMIT_WINDOW)));
        h.shop.worker().checkTask("kie-7", Optional.of(other.id().display()));
        assertThat(job(other).taskId()).isEmpty();
        assertThat(job(madeFor).taskId()).isEmpty();
        assertNothingTaken(other);
    }

    @Test
    void aTaskKieKeepsForAnotherJobOrModelOrWithoutOriginIsNotTaken() {
        Job j = cutOffAfterKieMade("kie-7");
        // another bot on the same Kie key (a staging copy) whose job has the same number, made at its own moment
        h.provider.made("kie-8", new TaskOrigin("img/m9", CallbackUrl.forJob(
                "https://staging.example/kie/callback/other", sameNumber(j, job(j).createdAt().minusMillis(1)))));
        h.shop.worker().checkTask("kie-8", Optional.of(j.id().display()));
        // an address naming the job alone, or its moment alone
        h.provider.made("kie-10", new TaskOrigin("img/m9", BASE + "?job=" + j.id().display()));
        h.shop.worker().checkTask("kie-10", Optional.of(j.id().display()));
        h.provider.made("kie-11", new TaskOrigin("img/m9", BASE + "?job=" + j.id().display() + "1&made="
                + j.createdAt().toEpochMilli()));
        h.shop.worker().checkTask("kie-11", Optional.of(j.id().display()));
        h.provider.made("kie-9", new TaskOrigin("img/m1", CallbackUrl.forJob(BASE, j)));
        h.shop.worker().checkTask("kie-9", Optional.of(j.id().display()));
        // a task id Kie keeps no request for (the scripted provider answers no origin)
        h.shop.worker().checkTask("kie-unknown", Optional.of(j.id().display()));
        assertNothingTaken(j);
    }

    /**
     * Job numbers start again on a new database (a data directory deleted, a restore): a task Kie made for the
     * earlier {@code gen_N}, called back late, named this job too, and would have brought a stranger's result to this
     * user. The address also holds when the job was made, so the earlier job's task is not this one's.
     */
    @Test
    void aTaskMadeForAnEarlierJobOfTheSameNumberIsNotTaken() {
        Job j = cutOffAfterKieMade("kie-7");
        Job earlier = sameNumber(j, job(j).createdAt().minus(Duration.ofDays(2)));
        h.provider.made("kie-old", new TaskOrigin("img/m9", CallbackUrl.forJob(BASE, earlier)));
        h.shop.worker().checkTask("kie-old", Optional.of(j.id().display()));
        assertNothingTaken(j);
    }

    /** Another shop's job (or one of a lost database) of {@code j}'s number, made at {@code made}. */
    private Job sameNumber(Job j, java.time.Instant made) {
        Job now = job(j);
        return new Job(now.id(), 7, 7, "en", now.modelId(), now.skuId(), Map.of("prompt", "a dog"), Map.of(),
                300, false, JobState.SUBMITTED, Optional.of("kie-old"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), made, now.deadline(), now.nextCheckAt(), Optional.empty(), Optional.empty(), 0, 0, 1);
    }

    /**
     * The restart that moved the bot to its own domain (or rotated {@code KIE_CALLBACK_SECRET}) cut a createTask off:
     * Kie keeps the task with the address of before, which still reaches the shop (the old host kept, the previous
     * token accepted). The job named with its moment of making takes it: refunded, the user lost a result Kie made
     * and charged the shop for (R8).
     */
    @Test
    void aTaskSentBeforeThePublicUrlChangedIsTakenByItsJob() {
        Job j = start();
        h.stores.jobs().update(job(j).submittingUntil(h.clock.instant().plus(JobWorker.SUBMIT_WINDOW)));
        h.provider.made("kie-7", new TaskOrigin("img/m9",
                CallbackUrl.forJob("https://kiebot.onrender.com/kie/callback/old-token?from=render", j)));
        h.provider.succeed("kie-7", "https://r/cat.png");
        h.clock.advance(JobWorker.SUBMIT_WINDOW.plusSeconds(1));
        h.work(10);

        h.shop.worker().checkTask("kie-7", Optional.of(j.id().display()));
        h.work(10);

        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.stores.ledger().holdState(j.holdId())).contains(HoldState.POSTED);
        assertThat(h.balance(42)).isEqualTo(9_700);
        assertThat(auditOf(j)).doesNotContain("gen.reconcile");
    }

    @Test
    void aTaskIsNotTakenWhileKiesRecordCannotBeReadAndIsByTheNextCallback() {
        Job j = cutOffAfterKieMade("kie-7");
        h.provider.failOrigins(new ProviderException(ErrorKind.SERVER, "502", true));
        h.shop.worker().checkTask("kie-7", Optional.of(j.id().display()));
        assertThat(job(j).taskId()).isEmpty();
        h.provider.failOrigins(null);
        h.shop.worker().checkTask("kie-7", Optional.of(j.id().display()));
        assertThat(job(j).taskId()).contains("kie-7");
    }

    @Test
    void aJobInAnotherStateKeepsWhatItHas() {
        Job sent = start();
        h.work(10);
        assertThat(job(sent).taskId()).contains("task-1");
        h.provider.made("kie-7", new TaskOrigin("img/m9", CallbackUrl.forJob(BASE, sent)));
        h.shop.worker().checkTask("kie-7", Optional.of(sent.id().display()));
        assertThat(job(sent).taskId()).contains("task-1");
        assertThat(job(sent).state()).isEqualTo(JobState.SUBMITTED);

        Job refunded = cutOffAfterKieMade("kie-8");
        refundedAtTheDeadline(refunded);
        h.provider.succeed("kie-8", "https://r/late.png");
        h.shop.worker().checkTask("kie-8", Optional.of(refunded.id().display()));
        h.deliver();
        assertThat(job(refunded).state()).isEqualTo(JobState.FAILED);
        assertThat(job(refunded).taskId()).isEmpty();
        assertThat(h.messenger.of(Reply.SendMedia.class)).isEmpty();
        assertThat(h.stores.ledger().holdState(refunded.holdId())).as("the refunded job stays refunded")
                .contains(HoldState.VOIDED);
        assertThat(h.balance(42)).as("the sent one, still at Kie, reached its deadline too").isEqualTo(10_000);

        Job held = start();
        h.provider.made("kie-9", new TaskOrigin("img/m9", CallbackUrl.forJob(BASE, held)));
        h.shop.worker().checkTask("kie-9", Optional.of(held.id().display()));
        assertThat(job(held).state()).isEqualTo(JobState.HELD);
        assertThat(job(held).taskId()).isEmpty();
    }

    /**
     * Kie's callback can come before the worker that sent the task stores its id (a database slow for a moment): the
     * callback takes the task, and the worker's own write, finding it taken, tells no one of a task created too late.
     */
    @Test
    void aCallbackBeforeTheSendersOwnWriteIsNoTaskCreatedTooLate() {
        Job j = sentWithItsCallbackDuringTheSend(Optional.empty());
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(auditOf(j)).doesNotContain("gen.reconcile").containsOnlyOnce("gen.submitted");
        assertThat(h.balance(42)).isEqualTo(9_700);
    }

    /**
     * The connection to Kie lost after the createTask went out, Kie having made the task, and its callback taking the
     * task before the lost answer is handled: the job is delivered and charged, and no RECONCILE line asks the operator
     * to claim back from Kie the credits of a task the user got and paid for. It was written before the failure that
     * the callback had made moot.
     */
    @Test
    void aCreateTaskLostAfterItsCallbackTookTheTaskLeavesNoReconcileLine() {
        Job j = sentWithItsCallbackDuringTheSend(
                Optional.of(new ProviderException(ErrorKind.CONNECT, "connection lost: IOException", true)));
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(auditOf(j)).doesNotContain("gen.reconcile", "gen.failed");
        assertThat(h.balance(42)).isEqualTo(9_700);
    }

    /**
     * A job sent by an instance whose createTask lets Kie's callback for the new task (done at once) reach the job
     * before the send returns, then returns the task's id or, {@code lost}, throws; its results delivered.
     */
    private Job sentWithItsCallbackDuringTheSend(Optional<ProviderException> lost) {
        AtomicReference<Shop> instance = new AtomicReference<>();
        AtomicReference<String> named = new AtomicReference<>();
        Shop shop = h.anotherInstance(s -> s, b -> b.callbackUrl(Optional.of(BASE)).provider(new ForwardingProvider(h.provider) {
            @Override
            public String submit(SubmitRequest request) throws ProviderException {
                String id = real.submit(request);
                h.provider.succeed(id, "https://r/first.png");
                instance.get().worker().checkTask(id, Optional.of(named.get()));
                if (lost.isPresent()) {
                    throw lost.get();
                }
                return id;
            }
        }));
        instance.set(shop);
        Job j = start();
        named.set(j.id().display());
        shop.worker().runOnce(10);
        h.deliver();
        return j;
    }

    /**
     * A createTask Kie did not answer before the job's deadline (sent in its last minutes, after refusals that put it
     * off) has nothing left to wait for: refunded at once, the operator told, with no line telling the user that the
     * money comes back at a deadline already past just before the refund's.
     */
    @Test
    void aCreateTaskUnansweredPastTheDeadlineIsRefundedWithoutAWait() {
        AtomicReference<Job> sent = new AtomicReference<>();
        Shop shop = h.anotherInstance(s -> s, b -> b.callbackUrl(Optional.of(BASE)).provider(new ForwardingProvider(h.provider) {
            @Override
            public String submit(SubmitRequest request) throws ProviderException {
                h.clock.advance(Duration.between(h.clock.instant(), sent.get().deadline()).plusSeconds(30));
                throw new ProviderException(ErrorKind.TIMEOUT, "read timed out", true);
            }
        }));
        Job j = start();
        sent.set(j);
        h.messenger.drain();
        shop.worker().runOnce(10);
        h.deliver();
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(auditOf(j)).containsOnlyOnce("gen.reconcile").doesNotContain(JobWorker.AWAITING_CALLBACK);
        assertThat(h.messenger.texts()).noneMatch(t -> t.contains("did not confirm in time"));
        assertThat(h.balance(42)).isEqualTo(10_000);
    }

    /**
     * An admin's /refund of the job while its callback's task is being read back from Kie: the job takes the task only
     * by a compare-and-set on SUBMITTING with no task, so the refunded job stays refunded, and the task's result is
     * neither delivered nor charged against the hold given back.
     */
    @Test
    void aJobRefundedWhileItsCallbacksTaskIsReadBackDoesNotTakeIt() {
        h.command(ShopHarness.ADMIN, "start");
        Job j = cutOffAfterKieMade("kie-7");
        Shop instance = h.anotherInstance(s -> s, b -> b.callbackUrl(Optional.of(BASE))
                .provider(new ForwardingProvider(h.provider) {
                    @Override
                    public Optional<TaskOrigin> origin(dev.kiebot.core.catalog.Model model, String taskId)
                            throws ProviderException {
                        h.adminConfirmed("refund", j.id().display());
                        return real.origin(model, taskId);
                    }
                }));
        h.provider.succeed("kie-7", "https://r/cat.png");
        instance.worker().checkTask("kie-7", Optional.of(j.id().display()));
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(job(j).taskId()).isEmpty();
        assertThat(auditOf(j)).doesNotContain("gen.submitted", "gen.delivered");
        assertThat(h.messenger.of(Reply.SendMedia.class)).isEmpty();
        assertThat(h.stores.ledger().holdState(j.holdId())).contains(HoldState.VOIDED);
        assertThat(h.balance(42)).isEqualTo(10_000);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * A callback for a task no job holds, its address naming no job (a task this shop never made, or one an older
     * build sent before addresses named their job): dropped without a word before, it now leaves one line, so an
     * operator looking for a result that never came finds where it went.
     */
    @Test
    void aCallbackForATaskNoJobHoldsLeavesOneLine() {
        Job j = start();
        h.work(10);
        List<String> lines = LoggedLines.of(JobWorker.class, java.util.logging.Level.INFO, () -> {
            h.shop.worker().checkTask("kie-unknown", Optional.empty());
            h.shop.worker().checkTask("kie-stray", Optional.of("not-a-job"));
        });
        // said at most once a minute with a count (a flood of such callbacks was a line each): the second is counted
        assertThat(lines).containsExactly(
                "INFO a callback for provider task kie-unknown, which no job holds, whose address names no job; ignored "
                        + "(1 such since this line was last said, at most once a minute)");
        assertThat(job(j).state()).as("the job sent meanwhile untouched").isEqualTo(JobState.SUBMITTED);
    }

    /**
     * A job a build before callback addresses named their job cut off mid-send, as the migration to this build marked
     * it: nothing can find its task (Kie's callback names no job, Kie keeps an address naming none), so it is refunded
     * at once, as that build did, with the RECONCILE line. It waited until its deadline, the money held, before.
     */
    @Test
    void aJobAnOlderBuildCutOffMidSendWithoutItsNameIsRefundedAtOnce() {
        Job j = start();
        h.stores.jobs().update(job(j).submittingUntil(h.clock.instant().plus(JobWorker.SUBMIT_WINDOW)));
        h.stores.audit().record(new dev.kiebot.core.audit.AuditEvent(h.clock.instant(), "***0042",
                JobWorker.SENT_UNNAMED, "",
                Optional.of(j.id().display())));
        h.messenger.drain();
        h.clock.advance(JobWorker.SUBMIT_WINDOW.plusSeconds(1));
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(job(j).failure()).contains("error.provider_uncertain");
        assertThat(h.balance(42)).isEqualTo(10_000);
        assertThat(h.stores.ledger().holdState(j.holdId())).contains(HoldState.VOIDED);
        assertThat(auditOf(j)).contains("gen.reconcile").doesNotContain(JobWorker.AWAITING_CALLBACK);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
        assertThat(ShopHarness.lastText(h.admin("find", j.id().display()))).as("/find says why, in words")
                .contains("sent to Kie by an earlier version of the bot: Kie's callback cannot find it");
    }
}
