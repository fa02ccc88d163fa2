package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.ForwardingJobs;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.testing.ForwardingProvider;
import dev.kiebot.core.testing.ScriptedProvider;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.users.User;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A generation from hold to post or void, driven through the worker with scripted adapters. */
class GenerationLifecycleTest {
    private ShopHarness h;
    /** The messenger {@link #partnerShop} built its shop with, for {@link #restartedPartnerShop}. */
    private dev.kiebot.core.reply.Messenger partnerMessenger;
    private User user;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(42, "start");
        user = h.stores.users().find(42).orElseThrow();
        h.topUp(42, 10_000);
    }

    private Job start(String model, long price) {
        Generations.Start s = h.shop.generations().start(user, 42,
                new Effect.StartJob(model, "default", Map.of("prompt", "a cat"), Map.of(), price, false));
        assertThat(s).isInstanceOf(Generations.Start.Started.class);
        return ((Generations.Start.Started) s).job();
    }

    private Job job(Job j) {
        return h.stores.jobs().find(j.id()).orElseThrow();
    }

    @Test
    void successPostsOnceAndDelivers() {
        Job j = start("img/m9", 300);
        assertThat(h.balance(42)).isEqualTo(9_700);
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.SUBMITTED);
        assertThat(h.provider.submitted).hasSize(1);
        h.provider.succeed("task-1", "https://r/cat.png");
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.stores.ledger().holdState(j.holdId())).contains(HoldState.POSTED);
        assertThat(h.balance(42)).isEqualTo(9_700);
        assertThat(h.stores.ledger().balance(AccountId.REVENUE).posted()).isEqualTo(300);
        assertThat(h.messenger.of(Reply.SendMedia.class)).extracting(Reply.SendMedia::source)
                .containsExactly("https://r/cat.png");
        assertThat(h.stores.jobs().deliveredFileIds(j.id())).hasSize(1);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * A generation of more than ten files (a batch of images, several clips): every file reaches the user, in the
     * provider's order, each under the job's buttons, and the "done" status follows them. The files past the tenth
     * were dropped before (a cap taken from Telegram's albums of ten, though each file goes as a message of its own).
     */
    @Test
    void aResultOfMoreThanTenFilesIsDeliveredWhole() {
        Job j = start("img/m9", 300);
        h.work(10);
        List<String> urls = java.util.stream.IntStream.rangeClosed(1, 12).mapToObj(i -> "https://r/cat-" + i + ".png")
                .toList();
        h.provider.set("task-1", new TaskStatus.Succeeded(new JobResult(urls, MediaKind.PHOTO)));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.deliver();
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        List<Reply.SendMedia> sent = h.messenger.of(Reply.SendMedia.class);
        assertThat(sent).extracting(Reply.SendMedia::source).containsExactlyElementsOf(urls);
        assertThat(sent).extracting(Reply.SendMedia::keyboard).allMatch(k -> !k.isEmpty())
                .containsOnly(sent.get(0).keyboard());
        assertThat(h.stores.jobs().deliveredFileIds(j.id())).hasSize(12);
    }

    /**
     * A request Kie refused for its parameters or file, not by its content rules, tells the user to check his photo
     * and options: he was told to change his description, which was not what Kie refused.
     */
    @Test
    void aRequestRefusedForItsInputTellsTheUserToCheckTheFileAndOptions() {
        Job j = start("img/m9", 300);
        h.work(10);
        h.provider.set("task-1", new TaskStatus.Failed(ErrorKind.INVALID_INPUT, "aspect_ratio must be 1:1 (Kie 422)"));
        h.clock.advance(Duration.ofSeconds(5));
        h.messenger.drain();
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        String told = String.join("\n", h.messenger.texts());
        assertThat(told).contains("Check the file and the options").doesNotContain("Change the description");
    }

    @Test
    void providerFailureVoidsAndTellsTheUser() {
        Job j = start("img/m9", 300);
        h.work(10);
        h.provider.set("task-1", new TaskStatus.Failed(ErrorKind.CONTENT_POLICY, "prohibited content"));
        h.clock.advance(Duration.ofSeconds(5));
        h.messenger.drain();
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(h.balance(42)).isEqualTo(10_000);
        String told = String.join("\n", h.messenger.texts());
        assertThat(told).contains("refused the request — the description or a file breaks its rules",
                "Change the description", "3\u00A0₽");
        // the provider's own words (English, technical: field names, HTTP codes) are for the audit and /find only
        assertThat(told).doesNotContain("prohibited content");
        assertThat(h.stores.audit().byCorrelation(j.id().display()))
                .anySatisfy(e -> assertThat(e.detail()).contains("prohibited content"));
    }

    /**
     * A failure and its refund reach the user as a new message, which Telegram notifies him of, with «again» and the
     * menu under it, after the status message is edited to a short final line pointing to it. Told only by an edit of the status, a
     * user waiting minutes for a video got no ping that it failed and his money came back.
     */
    @Test
    void aFailureAndItsRefundComeAsANewMessageAndTheStatusSaysItEnded() {
        Job j = start("img/m9", 300);
        h.work(10);
        h.deliver();
        long statusMessage = job(j).statusMessageId().orElseThrow();
        h.messenger.drain();
        h.provider.set("task-1", new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "internal"));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.deliver();
        List<Reply> told = h.messenger.drain();
        assertThat(told).hasSize(2);
        Reply.EditText status = (Reply.EditText) told.get(0);
        assertThat(status.messageId()).isEqualTo(statusMessage);
        assertThat(status.text()).startsWith("❌ " + j.id().display()).contains("details are in the message below")
                .doesNotContain("₽");
        assertThat(status.keyboard().isEmpty()).isTrue();
        Reply.SendText notice = (Reply.SendText) told.get(1);
        assertThat(notice.text()).startsWith("❌ " + j.id().display()).contains("3\u00A0₽ returned to your balance");
        assertThat(notice.keyboard().isEmpty()).isFalse();
    }

    /**
     * Kie refusing an order because the shop's key reached its own usage cap (433) pauses orders as a missing key or
     * missing credits do, and the admins are told which: the cap stays until the account's owner raises it, so
     * sending the order again until its deadline only kept the user waiting for a refund.
     */
    @Test
    void theKeysOwnUsageLimitPausesOrdersAndTellsTheAdminsSo() {
        refusedForTheShopsAccount(new ProviderException(ErrorKind.KEY_LIMIT, "433 sub-key usage exceeded", false),
                "⚠️ The shop's Kie key has used up its own spending limit");
        assertThat(ShopHarness.lastText(h.orderAFoxImage(42))).startsWith("⏸ Generations are paused for a while");
    }

    /**
     * An order the provider refuses with {@code refusal} (the shop's account): the job fails with its hold voided, and
     * the admins alone are told, in words starting with {@code alert}.
     *
     * @return the refused job
     */
    private Job refusedForTheShopsAccount(ProviderException refusal, String alert) {
        h.command(ShopHarness.ADMIN, "start");
        h.provider.failSubmits(refusal);
        h.orderAFoxImage(42);
        Job refused = h.lastJob(42);
        h.messenger.drain();
        h.work(10);
        assertThat(job(refused).state()).isEqualTo(JobState.FAILED);
        assertThat(h.balance(42)).isEqualTo(10_000);
        h.deliver();
        assertThat(h.messenger.drain()).as("the admins hear of the pause as it starts")
                .filteredOn(r -> r.chatId() == ShopHarness.ADMIN).singleElement()
                .satisfies(r -> assertThat(((Reply.SendText) r).text()).startsWith(alert));
        return refused;
    }

    /**
     * Kie refusing the shop's own account (402: no credits left) refuses every order after it: each was paid for,
     * waited for and refunded. For a few minutes after such a refusal an order is answered at once that generations
     * are paused, and nothing is made or held; after them an order tries again, and one that goes through ends the
     * pause. A refusal of one order's input pauses nothing.
     */
    @Test
    void afterTheProviderRefusesTheShopsAccountOrdersArePausedWithNothingHeld() {
        Job refused = refusedForTheShopsAccount(new ProviderException(ErrorKind.OUT_OF_CREDITS,
                "402 credits insufficient", false), "⚠️ The shop is out of Kie credits");

        h.clock.advance(ProviderOutage.PAUSE.minusSeconds(1));
        List<Reply> paused = h.orderAFoxImage(42);
        assertThat(ShopHarness.lastText(paused)).isEqualTo("⏸ Generations are paused for a while: the AI service is "
                + "unavailable right now. Nothing was charged — please try again in a few minutes.");
        assertThat(h.lastJob(42).id()).as("no job made").isEqualTo(refused.id());
        assertThat(h.balance(42)).isEqualTo(10_000);
        assertThat(h.provider.submitted).hasSize(1);

        h.deliver();
        assertThat(h.messenger.drain()).as("told once a pause").noneMatch(r -> r.chatId() == ShopHarness.ADMIN);
        h.clock.advance(Duration.ofSeconds(1));
        h.provider.failSubmits(null);
        h.orderAFoxImage(42);
        Job tried = h.lastJob(42);
        assertThat(tried.id()).isNotEqualTo(refused.id());
        h.work(10);
        assertThat(job(tried).state()).isEqualTo(JobState.SUBMITTED);

        h.provider.failSubmits(new ProviderException(ErrorKind.INVALID_INPUT, "422 prompt refused", false));
        h.orderAFoxImage(42);
        h.work(10);
        assertThat(job(h.lastJob(42)).state()).isEqualTo(JobState.FAILED);
        h.orderAFoxImage(42);
        assertThat(h.lastJob(42).state()).as("one order's refusal pauses nothing").isEqualTo(JobState.HELD);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * A night without credits: each pause ends, the next order tries Kie and is refused again. The admins heard of
     * every such refusal (a WARNING and an alert twelve times an hour, review R2); now they hear once a spell, and once
     * that it is over when an order goes through, and the shop says it is paused meanwhile (the gauge, /readyz).
     */
    @Test
    void aSpellWithoutCreditsIsToldOnceAndItsEndOnce() {
        ProviderException noCredits = new ProviderException(ErrorKind.OUT_OF_CREDITS, "402 credits insufficient",
                false);
        refusedForTheShopsAccount(noCredits, "⚠️ The shop is out of Kie credits");
        assertThat(h.shop.salesPaused()).contains(ErrorKind.OUT_OF_CREDITS);
        List<String> warnings;
        List<Reply> toAdmins = new java.util.ArrayList<>();
        try (LoggedLines logged = LoggedLines.recording(ProviderOutage.class, java.util.logging.Level.WARNING)) {
            for (int pause = 0; pause < 3; pause++) {
                h.clock.advance(ProviderOutage.PAUSE);
                h.orderAFoxImage(42);
                Job tried = h.lastJob(42);
                h.work(10);
                assertThat(job(tried).state()).as("refused again").isEqualTo(JobState.FAILED);
                h.deliver();
                h.messenger.drain().stream().filter(r -> r.chatId() == ShopHarness.ADMIN).forEach(toAdmins::add);
            }
            warnings = List.copyOf(logged.lines());
        }
        assertThat(h.provider.submitted).as("each pause's end tried Kie again").hasSize(4);
        assertThat(toAdmins).as("told once a spell, not once a pause").isEmpty();
        assertThat(warnings).as("one WARNING a spell").isEmpty();
        assertThat(h.shop.salesPaused()).contains(ErrorKind.OUT_OF_CREDITS);

        h.clock.advance(ProviderOutage.PAUSE);
        h.provider.failSubmits(null);
        h.orderAFoxImage(42);
        h.work(10);
        assertThat(h.shop.salesPaused()).as("an order went through").isEmpty();
        h.deliver();
        toAdmins.clear();
        h.messenger.drain().stream().filter(r -> r.chatId() == ShopHarness.ADMIN).forEach(toAdmins::add);
        h.orderAFoxImage(42);
        h.work(10);
        h.deliver();
        h.messenger.drain().stream().filter(r -> r.chatId() == ShopHarness.ADMIN).forEach(toAdmins::add);
        assertThat(toAdmins).as("the all-clear, once").singleElement()
                .satisfies(r -> assertThat(((Reply.SendText) r).text())
                        .startsWith("✅ Kie takes the shop's orders again").contains("meanwhile: 4"));

        h.clock.advance(Duration.ofMinutes(1));
        h.provider.failSubmits(noCredits);
        h.orderAFoxImage(42);
        h.work(10);
        h.deliver();
        assertThat(h.messenger.drain()).as("a new spell after the all-clear is told again")
                .filteredOn(r -> r.chatId() == ShopHarness.ADMIN).singleElement()
                .satisfies(r -> assertThat(((Reply.SendText) r).text()).startsWith("⚠️ The shop is out of Kie credits"));
    }

    /**
     * A model Kie removed refuses every order as invalid input: the failure's line said only the reason's key, Kie's
     * words were in the audit trail alone (drill R2). Now the line has them, on one line and cut short.
     */
    @Test
    void aRefusedOrdersLineSaysWhatTheProviderSaid() {
        h.provider.failSubmits(new ProviderException(ErrorKind.INVALID_INPUT,
                "model not supported\n(Kie 422) " + "x".repeat(300), false));
        h.orderAFoxImage(42);
        List<String> lines = LoggedLines.of(Generations.class, java.util.logging.Level.INFO, () -> h.work(10));
        assertThat(lines).filteredOn(l -> l.contains("failed (")).singleElement().asString()
                .contains("(error.model_withdrawn: INVALID_INPUT: model not supported (Kie 422) xxx")
                .contains("x…); user ***42 refunded").hasSizeLessThan(300);
    }

    /**
     * Callbacks with the callback token (leaked, or Kie misbehaving) for tasks no job holds: a line each before, an
     * INFO when they name no job, a WARNING when they name one that waits for no task (review R3). Now a line a
     * minute at most of each, with how many came.
     */
    @Test
    void callbacksForTasksNoJobHoldsAreSaidOnceAMinuteWithACount() {
        List<String> lines;
        try (LoggedLines worker = LoggedLines.recording(JobWorker.class, java.util.logging.Level.INFO);
             LoggedLines rescue = LoggedLines.recording(CallbackRescue.class, java.util.logging.Level.INFO)) {
            for (int i = 0; i < 50; i++) {
                h.shop.worker().checkTask("nobodys-" + i, Optional.empty());
                h.shop.worker().checkTask("named-" + i, Optional.of("gen_999"));
            }
            h.clock.advance(Duration.ofMinutes(1));
            h.shop.worker().checkTask("nobodys-last", Optional.empty());
            h.shop.worker().checkTask("named-last", Optional.of("gen_999"));
            lines = new java.util.ArrayList<>(worker.lines());
            lines.addAll(rescue.lines());
        }
        assertThat(lines).filteredOn(l -> l.contains("which no job holds")).hasSize(2).last().asString()
                .contains("(50 such since");
        assertThat(lines).filteredOn(l -> l.contains("names this job")).hasSize(2).last().asString()
                .contains("(50 such since");
    }

    /**
     * A createTask the provider refused without taking it (a 429 burst) is sent again later, not failed: the order
     * goes through once the provider takes it, and is charged once. Failed at once, every order placed in a burst of
     * seconds was refunded while its deadline was minutes away.
     */
    @Test
    void aCreateTaskTheProviderNeverTookIsSentAgainLater() {
        h.provider.failSubmits(new ProviderException(ErrorKind.RATE_LIMITED, "429 rate limited", false));
        Job j = start("img/m9", 300);
        h.work(10);
        assertThat(job(j).state()).as("back to be sent again").isEqualTo(JobState.HELD);
        h.clock.advance(JobWorker.SUBMIT_AGAIN);
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.HELD);
        assertThat(h.provider.submitted).hasSize(2);
        assertThat(h.balance(42)).as("still held").isEqualTo(9_700);
        h.provider.failSubmits(null);
        h.clock.advance(JobWorker.SUBMIT_AGAIN);
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.SUBMITTED);
        h.provider.succeed("task-1", "https://r/cat.png");
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.provider.submitted).hasSize(3);
        assertThat(h.stores.ledger().holdState(j.holdId())).contains(HoldState.POSTED);
        assertThat(h.balance(42)).isEqualTo(9_700);
        assertThat(h.stores.ledger().balance(AccountId.REVENUE).posted()).isEqualTo(300);
        assertThat(h.messenger.texts()).noneMatch(t -> t.contains("busy"));
    }

    /**
     * Kie refused the createTask (429) and the database was lost as the job went back to HELD: still SUBMITTING, it
     * was refunded after {@link JobWorker#SUBMIT_WINDOW} as cut off mid-send, with a RECONCILE line and
     * {@code gen.reconcile} for a task Kie surely never took. The worker remembers the refusal: the next pass writes
     * the job back and it is sent again, once, and charged once.
     */
    @Test
    void aCreateTaskRefusedWhileTheDatabaseIsLostIsSentAgainNotReconciled() {
        Shop instance = losingItsWayBackToHeld();
        Job j = refusedWithA429(instance);

        h.provider.failSubmits(null);
        h.clock.advance(JobWorker.SUBMIT_WINDOW.plusSeconds(1));
        instance.worker().runOnce(10);
        assertThat(job(j).state()).as("back to be sent again, not refunded").isEqualTo(JobState.HELD);
        h.clock.advance(JobWorker.SUBMIT_AGAIN);
        instance.worker().runOnce(10);

        assertThat(job(j).state()).isEqualTo(JobState.SUBMITTED);
        assertThat(h.provider.submitted).hasSize(2);
        assertThat(h.balance(42)).as("still held").isEqualTo(9_700);
        assertThat(auditOf(j)).doesNotContain("gen.reconcile");
    }

    /** The same, found only after the job's deadline: failed and refunded as a job never sent, not reconciled. */
    @Test
    void aCreateTaskRefusedWhileTheDatabaseIsLostAndFoundPastTheDeadlineIsNotReconciled() {
        Shop instance = losingItsWayBackToHeld();
        Job j = refusedWithA429(instance);

        h.clock.set(j.deadline().plusSeconds(1));
        instance.worker().runOnce(10);

        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(h.balance(42)).isEqualTo(10_000);
        assertThat(h.provider.submitted).hasSize(1);
        assertThat(auditOf(j)).doesNotContain("gen.reconcile");
    }

    /** Another instance whose first write of a job from SUBMITTING back to HELD is lost with the database. */
    private Shop losingItsWayBackToHeld() {
        AtomicBoolean lost = new AtomicBoolean(true);
        return h.anotherInstance(s -> s.withJobs(new ForwardingJobs(s.jobs()) {
            @Override
            public Optional<Job> update(Job next) {
                if (next.state() == JobState.HELD && real.find(next.id()).map(Job::state).orElseThrow()
                        == JobState.SUBMITTING && lost.getAndSet(false)) {
                    throw new IllegalStateException("connection to the database lost");
                }
                return super.update(next);
            }
        }));
    }

    /** A job Kie refuses with a 429 on {@code instance}'s pass, left SUBMITTING by the lost write back to HELD. */
    private Job refusedWithA429(Shop instance) {
        h.provider.failSubmits(new ProviderException(ErrorKind.RATE_LIMITED, "429 rate limited", false));
        Job j = start("img/m9", 300);
        instance.worker().runOnce(10);
        assertThat(job(j).state()).as("its way back to HELD lost").isEqualTo(JobState.SUBMITTING);
        return j;
    }

    private List<String> auditOf(Job j) {
        return h.stores.audit().byCorrelation(j.id().display()).stream().map(e -> e.action()).toList();
    }

    /** Refused until its deadline, the job fails then, as any job not yet sent: refunded once, its user told once. */
    @Test
    void aCreateTaskRefusedUntilTheDeadlineFailsThenAndOnce() {
        h.provider.failSubmits(new ProviderException(ErrorKind.CONNECT, "connection refused", false));
        Job j = start("img/m9", 300);
        h.messenger.drain();
        for (int pass = 0; !h.clock.instant().isAfter(j.deadline().plus(JobWorker.SUBMIT_AGAIN)); pass++) {
            h.work(10);
            assertThat(job(j).state()).as("pass %d", pass).isIn(JobState.HELD, JobState.FAILED);
            h.clock.advance(JobWorker.SUBMIT_AGAIN);
        }
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(h.provider.submitted.size()).as("tried again until the deadline").isGreaterThan(10);
        assertThat(h.stores.ledger().holdState(j.holdId())).contains(HoldState.VOIDED);
        assertThat(h.balance(42)).isEqualTo(10_000);
        assertThat(h.messenger.texts()).as("told once").filteredOn(t -> t.contains("took too long")).hasSize(1);
    }

    @Test
    void submitFailureVoidsWithoutASecondSubmit() {
        h.provider.failSubmits(new ProviderException(ErrorKind.TIMEOUT, "read timed out", true));
        Job j = start("img/m9", 300);
        h.work(10);
        h.clock.advance(Duration.ofMinutes(5));
        h.work(10);
        assertThat(h.provider.submitted).hasSize(1);
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(h.balance(42)).isEqualTo(10_000);
        assertThat(h.stores.audit().byCorrelation(j.id().display())).extracting(e -> e.action())
                .contains("gen.reconcile");
    }

    @Test
    void aJobFoundSubmittingAfterACrashIsRefundedNotResent() {
        Job j = start("img/m9", 300);
        // the process died right after this write
        h.stores.jobs().update(job(j).submittingUntil(h.clock.instant().plus(JobWorker.SUBMIT_WINDOW)));
        h.work(10);
        assertThat(job(j).state()).as("a createTask may still be on its way").isEqualTo(JobState.SUBMITTING);
        h.clock.advance(JobWorker.SUBMIT_WINDOW.plusSeconds(1));
        h.work(10);
        assertThat(h.provider.submitted).isEmpty();
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(h.balance(42)).isEqualTo(10_000);
    }

    /**
     * The process died right after writing SUBMITTING and came back after the job's deadline (a host down for a
     * while, or a job sent again after Kie's 429s in its last minutes): the task may exist at Kie, which then charged
     * the shop for it. The job is refunded once and never sent, and the operator is told to check Kie, as for a job
     * found mid-send before its deadline. Before, the deadline's refund came first and said nothing of the task.
     */
    @Test
    void aJobFoundSubmittingAfterItsDeadlineIsRefundedAndReconciled() {
        Job j = cutOffMidSend();
        h.clock.advance(Duration.between(h.clock.instant(), j.deadline()).plusMinutes(1));
        h.work(10);
        assertRefundedOnceNeverSentAndReconciled(j);
    }

    /**
     * The same, with the bot down past the hold's deadline too: the sweeper of expired holds comes to the job before
     * the worker does, and tells the operator of the task that may exist at Kie as well.
     */
    @Test
    void aJobFoundSubmittingWhenItsHoldExpiredIsReconciled() {
        Job j = cutOffMidSend();
        h.clock.advance(Duration.between(h.clock.instant(), j.deadline()).plus(ShopSettings.HOLD_MARGIN).plusMinutes(1));
        assertThat(h.shop.worker().sweepExpiredHolds(10)).isEqualTo(1);
        h.work(10);
        assertRefundedOnceNeverSentAndReconciled(j);
    }

    /** A job the process died with while it was being sent: SUBMITTING in the store, nothing at the provider. */
    private Job cutOffMidSend() {
        Job j = start("img/m9", 300);
        h.stores.jobs().update(job(j).submittingUntil(h.clock.instant().plus(JobWorker.SUBMIT_WINDOW)));
        h.messenger.drain();
        return j;
    }

    private void assertRefundedOnceNeverSentAndReconciled(Job j) {
        assertThat(h.provider.submitted).isEmpty();
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(h.balance(42)).isEqualTo(10_000);
        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("returned to your balance")).hasSize(1);
        assertThat(auditOf(j)).containsOnlyOnce("gen.reconcile");
        assertThat(h.stores.audit().byCorrelation(j.id().display())).as("the operator is told why: a send cut off")
                .filteredOn(e -> e.action().equals("gen.reconcile")).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo(JobNote.SUBMITTING_AT_RESTART.with()));
    }

    /**
     * The status message's id is kept on the job (a new version) while its photo goes up to Kie: the worker's write
     * of SUBMITTING from the version it had leased lost that race, the job was left for the next pass and its inputs
     * uploaded again (found by a review).
     */
    @Test
    void aStatusMessageKeptWhileTheInputsGoUpDoesNotSendThemAgain() throws Exception {
        Generations.Start s = h.shop.generations().start(user, 42, new Effect.StartJob("img/m9", "default",
                Map.of("prompt", "a cat"), Map.of("image_urls", List.of("photo-1")), 300, false));
        Job j = ((Generations.Start.Started) s).job();
        ScriptedProvider.Gate gate = new ScriptedProvider.Gate(new CountDownLatch(1), new CountDownLatch(1));
        h.provider.holdUploads(gate);
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            var pass = worker.submit(() -> h.shop.worker().runOnce(10));
            assertThat(gate.entered().await(10, TimeUnit.SECONDS)).isTrue();
            h.stores.jobs().transition(j.id(), x -> true, x -> x.withStatusMessage(501)); // as the sender does
            gate.release().countDown();
            pass.get(10, TimeUnit.SECONDS);
        } finally {
            worker.shutdownNow();
        }
        assertThat(job(j).state()).as("submitted in the same pass").isEqualTo(JobState.SUBMITTED);
        assertThat(job(j).statusMessageId()).contains(501L);
        assertThat(h.provider.uploads).as("the photo went up once").hasSize(1);
        assertThat(h.provider.submitted).hasSize(1);
    }

    /**
     * Writing SUBMITTING ends the worker's lease; a second worker (another instance on the same database) found the
     * job due and refunded it as cut off mid-send while the first one's createTask was on its way (found by a
     * review): the shop paid Kie for a result nobody got, and the user was told it failed.
     */
    @Test
    void aJobBeingSubmittedIsNotTakenByAnotherWorkerMeanwhile() throws Exception {
        Job j = start("img/m9", 300);
        ScriptedProvider.Gate gate = new ScriptedProvider.Gate(new CountDownLatch(1), new CountDownLatch(1));
        h.provider.holdSubmits(gate);
        ExecutorService first = Executors.newSingleThreadExecutor();
        try {
            var submitting = first.submit(() -> h.shop.worker().runOnce(10));
            assertThat(gate.entered().await(10, TimeUnit.SECONDS)).isTrue();
            h.clock.advance(Duration.ofSeconds(30)); // the createTask takes a while (Kie's retries)

            h.shop.worker().runOnce(10); // the other instance's worker

            gate.release().countDown();
            submitting.get(10, TimeUnit.SECONDS);
        } finally {
            first.shutdownNow();
        }
        assertThat(job(j).state()).isEqualTo(JobState.SUBMITTED);
        assertThat(job(j).taskId()).contains("task-1");
        assertThat(h.balance(42)).as("the price stays held for the result").isEqualTo(9_700);
    }

    /** Kie answers the status read itself with "generation failed" (code 501): the job ends now, not at its deadline. */
    @Test
    void aStatusReadAnsweredGenerationFailedEndsTheJobAtOnce() {
        Job j = start("img/m9", 300);
        h.work(10);
        h.provider.failStatus("task-1", new ProviderException(ErrorKind.GENERATION_FAILED, "generation failed", false));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(h.balance(42)).isEqualTo(10_000);

        Job k = start("img/m9", 300);
        h.work(10);
        h.provider.failStatus("task-2", new ProviderException(ErrorKind.SERVER, "500", false));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(job(k).state()).as("a failed read is read again").isIn(JobState.SUBMITTED, JobState.RUNNING);
    }

    /**
     * Kie down while a job is at it: each failed status read logged a WARNING, every 5 s (some 120 a job in ten
     * minutes, drill R2). Now a job's spell of failed reads is one WARNING, and one line when a read answers again.
     */
    @Test
    void aSpellOfFailedStatusReadsIsOneWarningAndOneLineAtItsEnd() {
        Job j = start("img/m9", 300);
        h.work(10);
        h.provider.failStatus("task-1", new ProviderException(ErrorKind.SERVER, "Server Error (Kie 500)", false));
        List<String> lines;
        try (LoggedLines logged = LoggedLines.recording(JobWorker.class, java.util.logging.Level.INFO)) {
            for (int read = 0; read < 6; read++) {
                h.clock.advance(JobWorker.RETRY);
                h.work(10);
            }
            assertThat(job(j).state()).as("read again").isIn(JobState.SUBMITTED, JobState.RUNNING);
            h.provider.failStatus("task-1", null);
            h.clock.advance(JobWorker.RETRY);
            h.work(10);
            lines = List.copyOf(logged.lines());
        }
        assertThat(lines).filteredOn(l -> l.startsWith("WARNING")).singleElement().asString()
                .contains("gen_1: status read failed: SERVER: Server Error (Kie 500)");
        assertThat(lines).filteredOn(l -> l.startsWith("INFO")).singleElement().asString()
                .contains("gen_1: the status read answers again after 6 failed over PT30S");
    }

    /**
     * Kie answering createTask with a 500 through an outage: each job failed and refunded was a WARN of its own,
     * «RECONCILE createTask outcome unknown: SERVER…», naming no action (review L68). Now the spell's first says what
     * happened and what the operator does, the others are DEBUG (each still a gen.reconcile event), and the createTask
     * Kie takes again ends the spell with one line naming them.
     */
    @Test
    void createTasksAnsweredWithA500AreOneReconcileWarningASpellAndOneAtItsEnd() {
        List<String> lines;
        List<Job> refunded = new java.util.ArrayList<>();
        try (LoggedLines logged = LoggedLines.recording(JobWorker.class, java.util.logging.Level.INFO)) {
            h.provider.failSubmits(new ProviderException(ErrorKind.SERVER, "500 Internal Server Error", true));
            for (int order = 0; order < 3; order++) {
                refunded.add(start("img/m9", 300));
                h.work(10);
            }
            h.provider.failSubmits(null);
            h.clock.advance(ProviderOutage.PAUSE.plusSeconds(1));
            Job taken = start("img/m9", 300);
            h.work(10);
            assertThat(job(taken).state()).isIn(JobState.SUBMITTED, JobState.RUNNING);
            lines = List.copyOf(logged.lines());
        }
        assertThat(refunded).allSatisfy(j -> {
            assertThat(job(j).state()).isEqualTo(JobState.FAILED);
            assertThat(auditOf(j)).contains("gen.reconcile");
        });
        assertThat(h.balance(42)).isEqualTo(10_000 - 300);
        assertThat(lines).filteredOn(l -> l.contains("RECONCILE")).hasSize(2);
        assertThat(lines).filteredOn(l -> l.contains("RECONCILE")).first().asString()
                .startsWith("WARNING " + refunded.get(0).id().display() + ": RECONCILE createTask outcome unknown")
                .contains("its money went back to the user", "Kie may still have made the task",
                        "ask Kie back for it", "counted in one line");
        assertThat(lines).filteredOn(l -> l.contains("RECONCILE")).last().asString()
                .startsWith("WARNING RECONCILE 3 jobs since")
                .contains(refunded.stream().map(j -> j.id().display()).collect(
                        java.util.stream.Collectors.joining(", ")), "Kie takes orders again");
    }

    /**
     * Kie answers the status read "Task not found" (404): the job was read again until its deadline (10 minutes for
     * an image, 30 for a video) for a task that could not finish. Within the grace after its submission it is read
     * again (a task Kie stored may take a moment to show), past it the job fails, is refunded once, and the operator
     * is told Kie lost the task.
     */
    @Test
    void aTaskKieDoesNotKnowIsRefundedAfterTheGraceNotBefore() {
        Job j = start("img/m9", 300);
        h.work(10);
        h.provider.failStatus("task-1", new ProviderException(ErrorKind.NOT_FOUND, "Task not found (Kie 404)", false));
        Instant giveUp = job(j).submittedAt().orElseThrow().plus(JobWorker.NOT_FOUND_GRACE);
        int reads = 0;
        while (h.clock.instant().plusSeconds(5).isBefore(giveUp)) {
            h.clock.advance(Duration.ofSeconds(5));
            h.work(10);
            reads++;
            assertThat(job(j).state()).as("read %d, within the grace", reads).isIn(JobState.SUBMITTED, JobState.RUNNING);
        }
        assertThat(reads).as("read again through the grace").isGreaterThan(30);
        assertThat(h.balance(42)).isEqualTo(9_700);
        h.messenger.drain();

        h.clock.advance(Duration.between(h.clock.instant(), giveUp));
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(job(j).failure()).contains(ErrorKind.NOT_FOUND.messageKey());
        assertThat(h.clock.instant()).as("long before the deadline").isBefore(job(j).deadline());
        assertThat(h.balance(42)).isEqualTo(10_000);
        assertThat(String.join("\n", h.messenger.texts())).contains("could not make it", "3\u00A0₽")
                .doesNotContain("404", "not found");
        assertThat(h.stores.audit().byCorrelation(j.id().display()))
                .anySatisfy(e -> assertThat(e.action() + " " + e.detail()).contains("gen.reconcile", "lost task task-1"));

        // later passes, a late callback and the sweeper refund nothing more
        h.messenger.drain();
        h.clock.advance(Duration.ofMinutes(30));
        h.work(10);
        h.shop.worker().checkTask("task-1");
        h.shop.worker().sweepExpiredHolds(10);
        assertThat(h.balance(42)).isEqualTo(10_000);
        assertThat(h.messenger.texts()).isEmpty();
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /** A task Kie does not know at first and then finishes (its status store caught up) is delivered, not refunded. */
    @Test
    void aTaskNotFoundAtFirstAndThenFinishedIsDelivered() {
        Job j = start("img/m9", 300);
        h.work(10);
        h.provider.failStatus("task-1", new ProviderException(ErrorKind.NOT_FOUND, "Task not found (Kie 404)", false));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.provider.succeed("task-1", "https://r/cat.png");
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.stores.ledger().holdState(j.holdId())).contains(HoldState.POSTED);
    }

    /**
     * The worker leased the job, the callback's thread then completed and delivered it, and the worker's own read
     * past the grace found the task gone at Kie: the job is paid for and delivered, never refunded as well.
     */
    @Test
    void aTaskNotFoundAfterItsJobSucceededRefundsNothing() {
        Job j = start("img/m9", 300);
        h.work(10);
        h.clock.advance(JobWorker.NOT_FOUND_GRACE.plusSeconds(5));
        Job leased = job(j);
        h.provider.succeed("task-1", "https://r/cat.png");
        h.shop.worker().checkTask("task-1");
        h.provider.failStatus("task-1", new ProviderException(ErrorKind.NOT_FOUND, "Task not found (Kie 404)", false));
        h.shop.worker().advance(leased);
        h.deliver();
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.stores.ledger().holdState(j.holdId())).contains(HoldState.POSTED);
        assertThat(h.balance(42)).isEqualTo(9_700);
        assertThat(h.messenger.of(Reply.SendMedia.class)).hasSize(1);
        assertThat(h.stores.audit().byCorrelation(j.id().display())).extracting(e -> e.action())
                .doesNotContain("gen.reconcile", "gen.failed");
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /** Kie said "success" with no result URL and the result came with the next read: delivered, paid once. */
    @Test
    void aSuccessWithoutAResultIsReadAgainAndDeliveredWhenTheResultAppears() {
        Job j = start("img/m9", 300);
        h.work(10);
        h.provider.set("task-1", new TaskStatus.ResultMissing("Kie reported success without result URLs"));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(job(j).state()).isIn(JobState.SUBMITTED, JobState.RUNNING);
        assertThat(job(j).resultMissingReads()).isEqualTo(1);
        assertThat(h.balance(42)).isEqualTo(9_700);

        h.provider.succeed("task-1", "https://r/cat.png");
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.stores.ledger().holdState(j.holdId())).contains(HoldState.POSTED);
        assertThat(h.messenger.of(Reply.SendMedia.class)).extracting(Reply.SendMedia::source)
                .containsExactly("https://r/cat.png");
    }

    /** A success that stays without a result is read again a bounded number of times, then refunded once. */
    @Test
    void aSuccessThatStaysWithoutAResultIsRefundedOnceAfterTheFurtherReads() {
        Job j = start("img/m9", 300);
        h.work(10);
        h.provider.set("task-1", new TaskStatus.ResultMissing("Kie reported success without result URLs"));
        for (int read = 1; read <= JobWorker.RESULT_MISSING_READS_MAX; read++) {
            h.clock.advance(Duration.ofSeconds(5));
            h.work(10);
            assertThat(job(j).state()).as("read %d", read).isIn(JobState.SUBMITTED, JobState.RUNNING);
        }
        h.messenger.drain();
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(job(j).failure()).contains(ErrorKind.GENERATION_FAILED.messageKey());
        assertThat(h.balance(42)).isEqualTo(10_000);
        // the status edited to its last line, and one notice of the failure
        assertThat(h.messenger.of(Reply.SendText.class)).hasSize(1);

        h.messenger.drain();
        h.clock.advance(Duration.ofMinutes(30));
        h.work(10);
        h.shop.worker().checkTask("task-1");
        assertThat(h.balance(42)).isEqualTo(10_000);
        assertThat(h.messenger.texts()).isEmpty();
        assertThat(h.stores.audit().byCorrelation(j.id().display())).extracting(e -> e.action())
                .containsOnlyOnce("gen.failed", "gen.reconcile");
        assertToldKieChargedForNothing(j);
        assertThat(h.stores.audit().byCorrelation(j.id().display()))
                .filteredOn(e -> e.action().equals("gen.reconcile")).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo(JobNote.TASK_DONE_WITHOUT_RESULT.with("task-1",
                        JobWorker.RESULT_MISSING_READS_MAX + 1)));
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /** The operator is told once, with Kie's task id, that Kie charged for a task that gave nothing. */
    private void assertToldKieChargedForNothing(Job j) {
        assertThat(h.stores.audit().byCorrelation(j.id().display()))
                .filteredOn(e -> e.action().equals("gen.reconcile")).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("task-1", "without a result"));
    }

    /**
     * A callback for a task Kie calls done without a result leads to a read, not a refund; reads out of the job's
     * turn (a callback delivered three times) do not spend the further reads either.
     */
    @Test
    void aCallbackForASuccessWithoutAResultDoesNotRefund() {
        Job j = start("img/m9", 300);
        h.work(10);
        h.provider.set("task-1", new TaskStatus.ResultMissing("Kie reported success without result URLs"));
        for (int i = 0; i < 3; i++) {
            h.shop.worker().checkTask("task-1");
        }
        assertThat(job(j).state()).isIn(JobState.SUBMITTED, JobState.RUNNING);
        assertThat(job(j).resultMissingReads()).isZero();
        assertThat(h.balance(42)).isEqualTo(9_700);

        h.provider.succeed("task-1", "https://r/cat.png");
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.balance(42)).isEqualTo(9_700);
    }

    /**
     * Kie's read at the deadline says "done" but gives no result: the job is refunded as at any deadline, and, as
     * after the further reads, the operator is told, since Kie charged for the task (found by a review: the refund at
     * the deadline said nothing, so the credits were never claimed back).
     */
    @Test
    void aSuccessWithoutAResultAtTheDeadlineIsRefundedAndToldToTheOperator() {
        Job j = start("img/m9", 300);
        h.work(10);
        h.provider.set("task-1", new TaskStatus.ResultMissing("Kie reported success without result URLs"));
        h.clock.advance(Duration.ofMinutes(11));
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(h.balance(42)).isEqualTo(10_000);
        assertToldKieChargedForNothing(j);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    @Test
    void pastTheDeadlineTheJobFailsAndRefunds() {
        Job j = start("img/m9", 300);
        h.work(10);
        h.clock.advance(Duration.ofMinutes(11));
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(job(j).failure()).contains("error.provider_timeout");
        assertThat(h.balance(42)).isEqualTo(10_000);
    }

    /**
     * Kie finished the task after the worker's last read, and the next read fell past the deadline: the worker
     * refunded the job without reading it again, so the user got no result and the shop paid Kie for it (found by a
     * review). A job at Kie is read once more at its deadline; only one still not done is refunded.
     */
    @Test
    void aResultReadyAtTheDeadlineIsDeliveredNotRefunded() {
        Job j = start("img/m9", 300);
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.SUBMITTED);
        h.provider.succeed("task-1", "https://r/cat.png");
        h.clock.advance(Duration.ofMinutes(11));
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.balance(42)).isEqualTo(9_700);
        assertThat(h.stores.ledger().holdState(j.holdId())).contains(HoldState.POSTED);
        assertThat(h.provider.submitted).hasSize(1);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * One of the task's results finished, the other never did (Suno at FIRST_SUCCESS until the deadline: one take with
     * its file). It was refunded whole at the deadline, though Kie charged the shop and one song exists. Before the
     * deadline it is read again as running, nothing charged; at the deadline what is done is delivered, the hold
     * posted once, and the user told the second version did not come out.
     */
    @Test
    void aPartResultAtTheDeadlineIsDeliveredAndChargedWithTheRestToldMissing() {
        Job j = start("img/m9", 300);
        h.work(10);
        TaskStatus.Succeeded first = new TaskStatus.Succeeded(
                new JobResult(List.of("https://r/take-1.mp3"), MediaKind.AUDIO), Optional.empty(), 1);
        h.provider.set("task-1", new TaskStatus.PartlyDone(first));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(job(j).state()).as("read again while the other take may come").isEqualTo(JobState.RUNNING);
        assertThat(h.stores.ledger().holdState(j.holdId())).contains(HoldState.PENDING);
        assertThat(h.messenger.of(Reply.SendMedia.class)).isEmpty();

        h.messenger.drain();
        h.clock.advance(Duration.ofMinutes(11));
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.stores.ledger().holdState(j.holdId())).contains(HoldState.POSTED);
        assertThat(h.balance(42)).isEqualTo(9_700);
        assertThat(h.messenger.of(Reply.SendMedia.class)).extracting(Reply.SendMedia::source)
                .containsExactly("https://r/take-1.mp3");
        assertThat(String.join("\n", h.messenger.texts())).contains("second version did not come out");

        h.clock.advance(Duration.ofMinutes(30));
        h.work(10);
        h.shop.worker().sweepExpiredHolds(10);
        assertThat(h.balance(42)).as("posted once, never voided after").isEqualTo(9_700);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /** A task that made one of its two results and failed the other: delivered and charged, the user told. */
    @Test
    void aSuccessShortOfAResultIsDeliveredWithTheRestToldMissing() {
        Job j = start("img/m9", 300);
        h.work(10);
        h.provider.set("task-1", new TaskStatus.Succeeded(
                new JobResult(List.of("https://r/take-2.mp3"), MediaKind.AUDIO), Optional.empty(), 1));
        h.clock.advance(Duration.ofSeconds(5));
        h.messenger.drain();
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.stores.ledger().holdState(j.holdId())).contains(HoldState.POSTED);
        assertThat(h.balance(42)).isEqualTo(9_700);
        assertThat(String.join("\n", h.messenger.texts())).contains("second version did not come out");
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * A provider whose status read throws rather than answering (one written before {@code TaskStatus.Succeeded}
     * refused a success without URLs, which now throws building it; or a fault of its own) still has its job ended at
     * the deadline, the read counted as failed. The read at the deadline let the exception through, every pass: a paid
     * job waited for its hold to expire, and a free one, with no hold for the sweeper, stayed open for ever, its user
     * never told and the free use never given back.
     */
    @Test
    void aStatusReadThatThrowsStillEndsAFreeJobAtItsDeadline() {
        GenerationProvider throwing = new ForwardingProvider(h.provider) {
            @Override
            public TaskStatus statusOnce(Model model, String taskId, Map<String, String> chosen) {
                return new TaskStatus.Succeeded(new JobResult(List.of(), MediaKind.PHOTO));
            }
        };
        Shop shop = h.anotherInstance(UnaryOperator.identity(), b -> b.provider(throwing));
        Job j = ((Generations.Start.Started) shop.generations().start(user, 42, new Effect.StartJob("img/m1",
                "default", Map.of("prompt", "x"), Map.of(), 0, true))).job();
        LocalDate day = LocalDate.of(2026, 11, 21);
        assertThat(h.stores.freeUsage().used(42, day)).isEqualTo(1);
        shop.worker().runOnce(10);
        h.clock.advance(Duration.ofSeconds(5));
        shop.worker().runOnce(10);
        assertThat(job(j).state()).as("a read that threw is made again").isIn(JobState.SUBMITTED, JobState.RUNNING);
        h.messenger.drain();

        h.clock.advance(Duration.ofMinutes(11));
        shop.worker().runOnce(10);
        h.deliver();

        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(job(j).failure()).contains(ErrorKind.TIMEOUT.messageKey());
        assertThat(h.stores.freeUsage().used(42, day)).isZero();
        assertThat(h.messenger.texts()).anySatisfy(t -> assertThat(t).contains("Your free generation was returned: you can use it again."));
    }

    @Test
    void theSweeperCoversAHoldWhoseJobWasForgotten() {
        Job j = start("img/m9", 300);
        h.clock.advance(Duration.ofMinutes(25));
        assertThat(h.shop.worker().sweepExpiredHolds(10)).isEqualTo(1);
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(h.balance(42)).isEqualTo(10_000);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    @Test
    void callbackAndPollRacingProduceOnePostAndOneDelivery() throws Exception {
        Job j = start("img/m9", 300);
        h.work(10);
        h.provider.succeed("task-1", "https://r/cat.png");
        h.clock.advance(Duration.ofSeconds(5));
        int racers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < racers; i++) {
            boolean callback = i % 2 == 0;
            pool.submit(() -> {
                go.await();
                if (callback) {
                    h.shop.worker().checkTask("task-1");
                } else {
                    h.shop.generations().complete(j.id(), new JobResult(List.of("https://r/cat.png"), MediaKind.PHOTO));
                }
                return null;
            });
        }
        go.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        h.work(10);
        assertThat(h.stores.ledger().balance(AccountId.REVENUE).creditsPosted()).isEqualTo(300);
        assertThat(h.balance(42)).isEqualTo(9_700);
        assertThat(h.messenger.of(Reply.SendMedia.class)).hasSize(1);
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
    }

    /**
     * The callback's thread completes a job and delivers it; the worker had leased the same job a moment before and
     * delivers from its own copy, still SUCCEEDED. Only one of them may queue the results.
     */
    @Test
    void aJobDeliveredFromTwoCopiesSendsItsResultsOnce() {
        Job j = start("img/m9", 300);
        h.work(10);
        Job succeeded = h.shop.generations().complete(j.id(),
                new JobResult(List.of("https://r/cat.png"), MediaKind.PHOTO)).orElseThrow();
        h.shop.worker().advance(succeeded);
        h.shop.worker().advance(succeeded);
        h.deliver();
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.messenger.of(Reply.SendMedia.class)).hasSize(1);
        assertThat(h.messenger.of(Reply.ChatAction.class)).hasSize(1);
    }

    @Test
    void successRacingFailureEndsOneWayOnly() throws Exception {
        for (int round = 0; round < 20; round++) {
            Job j = start("img/m9", 100);
            h.work(10);
            String task = job(j).taskId().orElseThrow();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            pool.submit(() -> {
                go.await();
                h.shop.generations().complete(j.id(), new JobResult(List.of("u"), MediaKind.PHOTO));
                return null;
            });
            pool.submit(() -> {
                go.await();
                h.shop.generations().fail(j.id(), "error.provider_timeout", "race");
                return null;
            });
            go.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
            JobState s = job(j).state();
            HoldState hold = h.stores.ledger().holdState(j.holdId()).orElseThrow();
            assertThat(s == JobState.SUCCEEDED && hold == HoldState.POSTED
                    || s == JobState.FAILED && hold == HoldState.VOIDED).as("round %d: %s / %s (%s)", round, s, hold, task)
                    .isTrue();
        }
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * The result's post won the ledger's race, the job's move to SUCCEEDED not made yet: a failure arriving now must
     * leave the job to the post (the ledger refuses its void), not end it FAILED and tell the user the money came
     * back while it was taken.
     */
    @Test
    void aFailureAfterThePostWonTheLedgerLeavesTheJobPaidAndTellsNobodyOfARefund() {
        Job j = start("img/m9", 300);
        h.work(10);
        h.deliver();
        h.messenger.drain();
        JobState before = job(j).state();
        assertThat(h.stores.ledger().post(Ledger.postId(j.holdId()), j.holdId(), 300).succeeded()).isTrue();

        assertThat(h.shop.generations().fail(j.id(), "error.provider_timeout", "late failure")).isEmpty();

        assertThat(job(j).state()).isEqualTo(before);
        assertThat(h.stores.ledger().holdState(j.holdId())).contains(HoldState.POSTED);
        assertThat(h.balance(42)).isEqualTo(9_700);
        h.deliver();
        assertThat(h.messenger.all()).as("no «money returned» notice").isEmpty();
    }

    /**
     * The bot was down past the job's deadline and its hold's margin; back, the sweeper expired the hold and was
     * stopped before it failed the job (or Kie's result raced it). The result then comes while the job still awaits
     * it: the user was never told of a refund and gets what he ordered, which Kie charged the shop for, charged again
     * under the job's second hold. Before, the post was refused, the job failed and the user was told of a refund
     * while the result was thrown away. A second arrival of the result changes nothing.
     */
    @Test
    void aResultAfterItsHoldExpiredIsDeliveredAndChargedAgainOnce() {
        Job j = heldPastItsHold();
        assertThat(h.balance(42)).as("the expiry gave the money back").isEqualTo(10_000);

        h.provider.succeed("task-1", "https://r/cat.png");
        h.work(10);
        h.deliver();

        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.stores.ledger().holdState(j.holdId())).contains(HoldState.EXPIRED);
        assertThat(h.stores.ledger().holdState(Generations.chargedAgainId(j.holdId()))).contains(HoldState.POSTED);
        assertThat(h.balance(42)).isEqualTo(9_700);
        assertThat(h.stores.ledger().balance(AccountId.REVENUE).creditsPosted()).isEqualTo(300);
        assertThat(h.messenger.of(Reply.SendMedia.class)).hasSize(1);
        assertThat(h.messenger.texts()).noneMatch(t -> t.contains("returned to your balance"));
        assertThat(ShopHarness.lastText(h.admin("find", j.id().display())))
                .contains("the hold expired before the result came; the price was charged again")
                .contains("(payment for " + j.id().display() + ")");
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();

        h.messenger.drain();
        assertThat(h.shop.generations().complete(j.id(), new JobResult(List.of("https://r/cat.png"), MediaKind.PHOTO)))
                .isEmpty();
        h.shop.worker().checkTask("task-1");
        assertThat(h.shop.worker().sweepExpiredHolds(10)).isZero();
        h.work(10);
        h.deliver();
        assertThat(h.balance(42)).isEqualTo(9_700);
        assertThat(h.stores.ledger().balance(AccountId.REVENUE).creditsPosted()).isEqualTo(300);
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.messenger.all()).isEmpty();
    }

    /**
     * The user's /payments names a job charged again by the job, as he knows it from its result and /history, not by
     * its second hold's ledger id («gen_1~2»), a code he could use nowhere (/paysupport, a message to support).
     */
    @Test
    void aJobChargedAgainReadsInPaymentsAsTheJobNotItsSecondHold() {
        Job j = heldPastItsHold();
        h.provider.succeed("task-1", "https://r/cat.png");
        h.work(10);
        h.deliver();
        String payments = ShopHarness.lastText(h.command(42, "payments"));
        assertThat(payments).contains(j.id().display()).doesNotContain("~2");
    }

    /**
     * The same, with the money the expiry gave back spent meanwhile (another order): the result is delivered all the
     * same, unpaid, and /find says so; nothing is taken that his balance does not hold, and an admin's {@code /refund}
     * of the job gives back nothing, as nothing was taken for it.
     */
    @Test
    void aResultAfterItsHoldExpiredIsDeliveredUnpaidWhenTheBalanceNoLongerCoversIt() {
        Job j = heldPastItsHold();
        start("img/m9", 9_800);
        assertThat(h.balance(42)).isEqualTo(200);

        h.provider.succeed("task-1", "https://r/cat.png");
        h.work(10);
        h.deliver();

        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.stores.ledger().holdState(Generations.chargedAgainId(j.holdId()))).isEmpty();
        assertThat(h.balance(42)).isEqualTo(200);
        assertThat(h.stores.ledger().balance(AccountId.REVENUE).creditsPosted()).isZero();
        assertThat(h.messenger.of(Reply.SendMedia.class)).hasSize(1);
        assertThat(h.messenger.texts()).noneMatch(t -> t.contains("returned to your balance"));
        assertThat(auditOf(j)).containsOnlyOnce("gen.delivered_unpaid");
        assertThat(ShopHarness.lastText(h.admin("find", j.id().display())))
                .contains("the result was delivered unpaid: the hold expired before it came, and the balance no "
                        + "longer covered the price");

        h.adminConfirmed("refund", j.id().display());
        assertThat(h.balance(42)).isEqualTo(200);
        assertThat(h.stores.ledger().find(Ledger.refundId(j.holdId()))).isEmpty();
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * An admin's {@code /refund} of a job delivered unpaid is refused at once: no screen to press, and no refund tried
     * (let through, the refund asked the ledger, which refused it, and wrote an admin's refund line in the job's trail
     * that /find shows: a refund of a job nothing was taken for).
     */
    @Test
    void aRefundOfAJobDeliveredUnpaidIsRefusedAtOnceWithoutTryingIt() {
        Job j = heldPastItsHold();
        start("img/m9", 9_800);
        h.provider.succeed("task-1", "https://r/cat.png");
        h.work(10);
        h.deliver();
        assertThat(auditOf(j)).contains("gen.delivered_unpaid");

        List<Reply> asked = h.admin("refund", j.id().display());
        assertThat(ShopHarness.lastText(asked)).contains("delivered unpaid", "nothing to refund");
        assertThat(ShopHarness.buttonTexts(asked)).isEmpty();
        assertThat(auditOf(j)).as("no refund tried").doesNotContain("refund.admin");
        assertThat(h.stores.ledger().find(Ledger.refundId(j.holdId()))).isEmpty();
        assertThat(h.balance(42)).isEqualTo(200);
    }

    /**
     * A job delivered unpaid whose result is then gone at the provider: nothing was taken for it, so nothing comes
     * back, and nobody is told otherwise. The user reads that nothing was charged; the admins' alert says so, not «got
     * back the money»; /find says the job was delivered unpaid, not that the ledger refused its refund; the operator
     * gets no RECONCILE line about a refund that was never due; an admin's /refund says there is nothing to refund,
     * not «the hold expired already».
     */
    @Test
    void aResultDeliveredUnpaidThenGoneAtTheProviderTellsNobodyOfMoneyBack() {
        h.command(ShopHarness.ADMIN, "start");
        Job j = deliveredUnpaidMeeting(new dev.kiebot.core.reply.Delivery.Gone("download failed: HTTP 404"));
        List<String> logged = LoggedLines.of(Generations.class, java.util.logging.Level.ALL, () -> h.work(10));
        h.deliver();

        assertThat(auditOf(j)).contains("gen.delivered_unpaid", "gen.result_gone");
        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("no longer has it")).singleElement().asString()
                .contains(j.id().display(), "Nothing was charged for this generation").doesNotContain("returned");
        assertThat(ShopHarness.lastTextTo(h.messenger.all(), ShopHarness.ADMIN)).contains(j.id().display(),
                "Nothing was charged to him for it", "task task-1").doesNotContain("got back the money");
        assertThat(logged).noneMatch(l -> l.contains("RECONCILE a result not delivered"))
                .anyMatch(l -> l.startsWith("INFO") && l.contains("delivered unpaid: nothing to refund"));
        assertThat(ShopHarness.lastText(h.admin("find", j.id().display())))
                .contains("it was delivered unpaid: nothing to give back")
                .doesNotContain("the ledger refused the refund");
        assertThat(ShopHarness.lastText(h.adminConfirmed("refund", j.id().display()))).contains("delivered unpaid",
                "nothing to refund").doesNotContain("the hold expired already");
        assertThat(h.balance(42)).isEqualTo(200);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * A job of one file delivered unpaid whose result could not be sent: he is told nothing was charged, not pointed to
     * /paysupport «if its money has not come back», money he never paid.
     */
    @Test
    void aResultDeliveredUnpaidThatCouldNotBeSentSaysNothingWasCharged() {
        Job j = deliveredUnpaidMeeting(new dev.kiebot.core.reply.Delivery.Failed("refused"),
                new dev.kiebot.core.reply.Delivery.Failed("refused"));
        h.work(10);
        h.deliver();

        assertThat(auditOf(j)).contains("gen.delivered_unpaid");
        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("could not be sent")).singleElement().asString()
                .contains(j.id().display(), "Nothing was charged for this generation")
                .doesNotContain("money has not come back", "returned");
        assertThat(h.balance(42)).isEqualTo(200);
    }

    /**
     * A job of two files delivered unpaid, the first gone at the provider and the second still to go: he is told the
     * other follows and that nothing was charged, not that «everything for the generation comes back» should none
     * arrive, as a paid job's notice says.
     */
    @Test
    void aFileOfAJobDeliveredUnpaidGoneWithAnotherToGoSaysNothingWasCharged() {
        Job j = deliveredUnpaidMeeting(List.of("https://r/a.png", "https://r/b.png"),
                new dev.kiebot.core.reply.Delivery.Gone("download failed: HTTP 404"));
        h.work(10);
        h.deliver();

        assertThat(auditOf(j)).contains("gen.delivered_unpaid");
        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("File 1 of 2")).singleElement().asString()
                .contains("I will send the other files next", "Nothing was charged for this generation")
                .doesNotContain("comes back");
        assertThat(h.balance(42)).isEqualTo(200);
    }

    /**
     * A job of two files delivered unpaid, the first sent and the second gone at the provider or not sent: he is told
     * nothing was charged for it, not that «the money does not come back automatically», as if taken.
     */
    @Test
    void aFileOfAJobDeliveredUnpaidMissingAfterAnotherCameSaysNothingWasCharged() {
        for (dev.kiebot.core.reply.Delivery missing : List.of(new dev.kiebot.core.reply.Delivery.Gone("HTTP 404"),
                new dev.kiebot.core.reply.Delivery.Failed("refused"))) {
            setUp(); // a shop of its own for each
            Job j = deliveredUnpaidMeeting(List.of("https://r/a.png", "https://r/b.png"),
                    new dev.kiebot.core.reply.Delivery.Sent(Optional.empty(), List.of()), missing, missing);
            h.work(10);
            h.deliver();

            assertThat(auditOf(j)).contains("gen.delivered_unpaid");
            assertThat(h.messenger.texts()).as(missing.toString()).filteredOn(t -> t.contains("File 2 of 2"))
                    .singleElement().asString().contains("Nothing was charged for it", "/paysupport")
                    .doesNotContain("not given back", "come back");
            assertThat(h.balance(42)).isEqualTo(200);
        }
    }

    /**
     * The admin's /find of a job of two files delivered unpaid, one of them missing: its line says nothing was taken,
     * not «not refunded», as if it had been charged. The first sent and the second gone or not sent (some of it came);
     * the first gone with the second to go (the others still to be sent).
     */
    @Test
    void findOfAJobDeliveredUnpaidWithAFileMissingSaysNothingWasTakenNotThatItWasNotRefunded() {
        dev.kiebot.core.reply.Delivery sent = new dev.kiebot.core.reply.Delivery.Sent(Optional.empty(), List.of());
        dev.kiebot.core.reply.Delivery gone = new dev.kiebot.core.reply.Delivery.Gone("HTTP 404");
        dev.kiebot.core.reply.Delivery failed = new dev.kiebot.core.reply.Delivery.Failed("refused");
        List<List<dev.kiebot.core.reply.Delivery>> cases = List.of(List.of(sent, gone), List.of(sent, failed, failed),
                List.of(gone));
        List<String> words = List.of("some of the generation reached the user, or may have; it was delivered "
                + "unpaid, nothing to give back", "some of the generation reached the user, or may have; it was "
                + "delivered unpaid, nothing to give back", "the generation's other files were still to be sent; it "
                + "was delivered unpaid, nothing to give back");
        for (int i = 0; i < cases.size(); i++) {
            setUp(); // a shop of its own for each
            h.command(ShopHarness.ADMIN, "start");
            Job j = deliveredUnpaidMeeting(List.of("https://r/a.png", "https://r/b.png"),
                    cases.get(i).toArray(dev.kiebot.core.reply.Delivery[]::new));
            h.work(10);
            h.deliver();

            assertThat(auditOf(j)).as(cases.get(i).toString()).contains("gen.delivered_unpaid");
            assertThat(ShopHarness.lastText(h.admin("find", j.id().display()))).as(cases.get(i).toString())
                    .contains(words.get(i)).doesNotContain("not refunded");
        }
    }

    /**
     * The admin's /find of a free job of two files, one of them missing: nothing was charged, so its line says the
     * generation was free, not «not refunded (yet)», read as if the user had paid. The first sent and the second gone
     * or not sent (some of it came); the first gone with the second to go.
     */
    @Test
    void findOfAFreeJobWithAFileMissingSaysItWasFreeNotThatItWasNotRefunded() {
        dev.kiebot.core.reply.Delivery sent = new dev.kiebot.core.reply.Delivery.Sent(Optional.empty(), List.of());
        dev.kiebot.core.reply.Delivery gone = new dev.kiebot.core.reply.Delivery.Gone("HTTP 404");
        dev.kiebot.core.reply.Delivery failed = new dev.kiebot.core.reply.Delivery.Failed("refused");
        List<List<dev.kiebot.core.reply.Delivery>> cases = List.of(List.of(sent, gone), List.of(sent, failed, failed),
                List.of(gone));
        String part = "some of the generation reached the user, or may have; a free generation, nothing to give back";
        List<String> words = List.of(part, part,
                "the generation's other files were still to be sent; a free generation, nothing to give back");
        for (int i = 0; i < cases.size(); i++) {
            setUp(); // a shop of its own for each
            h.command(ShopHarness.ADMIN, "start");
            Job j = ((Generations.Start.Started) h.shop.generations().start(user, 42, new Effect.StartJob("img/m1",
                    "default", Map.of("prompt", "x"), Map.of(), 0, true))).job();
            h.work(10);
            h.provider.set("task-1", new TaskStatus.Succeeded(new JobResult(List.of("https://r/a.png",
                    "https://r/b.png"), MediaKind.PHOTO)));
            h.messenger.thenAnswer(new dev.kiebot.core.reply.Delivery.Sent(Optional.empty(), List.of()));
            h.messenger.thenAnswer(cases.get(i).toArray(dev.kiebot.core.reply.Delivery[]::new));
            h.clock.advance(Duration.ofSeconds(5));
            h.work(10);
            h.deliver();

            assertThat(job(j).free()).isTrue();
            String found = ShopHarness.lastText(h.admin("find", j.id().display()));
            assertThat(found).as(cases.get(i).toString()).contains(words.get(i)).doesNotContain("not refunded");
        }
    }

    /**
     * A job of two files delivered unpaid, the first gone at the provider (he is told the other follows and nothing
     * was charged) and the second one that may not have arrived: no «the money will no longer come back», none having
     * been taken nor promised back.
     */
    @Test
    void aFileOfAJobDeliveredUnpaidThatMayNotHaveArrivedAfterAGoneOneWithdrawsNoPromise() {
        Job j = deliveredUnpaidMeeting(List.of("https://r/a.png", "https://r/b.png"),
                new dev.kiebot.core.reply.Delivery.Gone("HTTP 404"),
                new dev.kiebot.core.reply.Delivery.Uncertain("connection reset"));
        h.work(10);
        h.deliver();

        assertThat(auditOf(j)).contains("gen.delivered_unpaid");
        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("File 2 of 2")).singleElement().asString()
                .contains("may not have arrived").doesNotContain("come back");
        assertThat(h.balance(42)).isEqualTo(200);
    }

    /**
     * A paid job of one image to be delivered unpaid at the next work (its hold expired before the result came, the
     * money spent meanwhile), its result's sends answered {@code outcomes} by Telegram (the status before them sent).
     */
    private Job deliveredUnpaidMeeting(dev.kiebot.core.reply.Delivery... outcomes) {
        return deliveredUnpaidMeeting(List.of("https://r/cat.png"), outcomes);
    }

    /** The same, its result the images at {@code urls}, each sent on its own. */
    private Job deliveredUnpaidMeeting(List<String> urls, dev.kiebot.core.reply.Delivery... outcomes) {
        Job j = heldPastItsHold();
        // spent meanwhile (an admin's debit here: another order's messages would take the scripted answers)
        h.stores.ledger().transfer("debit:spent", AccountId.wallet(42), AccountId.MANUAL_CLEARING, 9_800,
                dev.kiebot.core.ledger.TransferKind.DEBIT_MANUAL);
        h.provider.set("task-1", new TaskStatus.Succeeded(new JobResult(urls, MediaKind.PHOTO)));
        h.messenger.thenAnswer(new dev.kiebot.core.reply.Delivery.Sent(Optional.empty(), List.of()));
        h.messenger.thenAnswer(outcomes);
        return j;
    }

    /**
     * The sweeper fails the job (its hold expired) while the result that came is being recorded: the failure wins, its
     * user is told of the refund, and the result is neither delivered nor charged again. Charged before the job's move
     * to success was known, he paid for a job he was told had failed.
     */
    @Test
    void aResultAfterItsHoldExpiredThatLosesToTheSweepersFailureChargesNothing() {
        Job j = heldPastItsHold();
        AtomicBoolean racing = new AtomicBoolean(true);
        Shop instance = h.anotherInstance(s -> s.withJobs(new ForwardingJobs(s.jobs()) {
            @Override
            public Optional<Job> update(Job next) {
                if (next.state() == JobState.SUCCEEDED && racing.getAndSet(false)) {
                    h.shop.generations().fail(next.id(), "error.provider_timeout", JobNote.HOLD_EXPIRED.with());
                }
                return super.update(next);
            }
        }));

        assertThat(instance.generations().complete(j.id(), new JobResult(List.of("https://r/cat.png"),
                MediaKind.PHOTO))).isEmpty();
        h.deliver();

        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(h.stores.ledger().find(Generations.chargedAgainId(j.holdId()))).isEmpty();
        assertThat(h.balance(42)).isEqualTo(10_000);
        assertThat(h.stores.ledger().balance(AccountId.REVENUE).creditsPosted()).isZero();
        assertThat(h.messenger.of(Reply.SendMedia.class)).isEmpty();
        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("returned to your balance")).hasSize(1);
    }

    /**
     * A job at Kie whose hold the sweeper's ledger expiry has just released, the bot having been down past its deadline
     * and the hold's margin, and which the sweeper did not fail after it (stopped between the two).
     */
    private Job heldPastItsHold() {
        Job j = start("img/m9", 300);
        h.work(10);
        assertThat(job(j).state().awaitsResult()).isTrue();
        h.clock.advance(Duration.between(h.clock.instant(), j.deadline()).plus(ShopSettings.HOLD_MARGIN).plusMinutes(1));
        assertThat(h.stores.ledger().expire(h.clock.instant(), 10)).containsExactly(j.holdId());
        h.messenger.drain();
        return j;
    }

    /**
     * A result read again once its job has ended (a late callback, a second worker's read racing the first) is passed
     * over, not thrown at its caller as a move the job cannot make: a free job that failed keeps its use given back,
     * and a delivered job is neither charged nor sent again.
     */
    @Test
    void aResultForAJobThatHasEndedChangesNothing() {
        JobResult late = new JobResult(List.of("https://r/late.png"), MediaKind.PHOTO);
        Job free = ((Generations.Start.Started) h.shop.generations().start(user, 42, new Effect.StartJob("img/m1",
                "default", Map.of("prompt", "x"), Map.of(), 0, true))).job();
        h.work(10);
        assertThat(h.shop.generations().fail(free.id(), "error.provider_failed", "boom")).isPresent();
        assertThat(h.shop.generations().complete(free.id(), late)).isEmpty();
        assertThat(job(free).state()).isEqualTo(JobState.FAILED);
        assertThat(h.stores.freeUsage().used(42, LocalDate.of(2026, 11, 21))).isZero();

        Job paid = start("img/m9", 300);
        h.work(10);
        h.provider.succeed(job(paid).taskId().orElseThrow(), "https://r/cat.png");
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.deliver();
        assertThat(job(paid).state()).isEqualTo(JobState.DELIVERED);
        h.messenger.drain();
        assertThat(h.shop.generations().complete(paid.id(), late)).isEmpty();
        h.work(10);
        h.deliver();
        assertThat(job(paid).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.messenger.all()).as("nothing sent again").isEmpty();
        assertThat(h.balance(42)).isEqualTo(9_700);
    }

    /** The ledger, not the quote, decides: a start it cannot hold for fails the job and moves no money. */
    @Test
    void aStartTheWalletCannotCoverIsRefusedByTheLedgerAndHoldsNothing() {
        Generations.Start s = h.shop.generations().start(user, 42,
                new Effect.StartJob("img/m9", "default", Map.of("prompt", "a cat"), Map.of(), 10_001, false));

        assertThat(s).isEqualTo(new Generations.Start.Insufficient(10_001, 10_000));
        Job refused = h.lastJob(42);
        assertThat(refused.state()).isEqualTo(JobState.FAILED);
        assertThat(h.stores.ledger().holdState(refused.holdId())).isEmpty();
        assertThat(h.balance(42)).isEqualTo(10_000);
        h.work(10);
        assertThat(h.provider.submitted).isEmpty();
        assertThat(ShopHarness.lastText(h.command(42, "history"))).as("nothing was charged, so nothing came back")
                .contains(refused.id().display() + " · ", " · not started — not enough money on the balance · not charged")
                .doesNotContain("refunded").doesNotContain("money returned");
        assertThat(ShopHarness.lastText(h.admin("find", refused.id().display()))).as("the admin reads why")
                .contains(" · the money could not be reserved — not enough money on the balance");
    }

    /** /history says a failed paid job's money came back instead of its price as if it had been charged. */
    @Test
    void aFailedPaidJobShowsItsRefundInTheHistoryNotItsPrice() {
        Job j = ((Generations.Start.Started) h.shop.generations().start(user, 42, new Effect.StartJob("img/m9",
                "default", Map.of("prompt", "x"), Map.of(), 300, false))).job();
        assertThat(h.shop.generations().fail(j.id(), "error.provider_failed", "boom")).isPresent();
        assertThat(h.balance(42)).isEqualTo(10_000);
        String history = ShopHarness.lastText(h.command(42, "history"));
        assertThat(history).contains(j.id().display() + " · ",
                " · failed: the AI service could not make it · 3\u00A0₽ refunded");
        assertThat(ShopHarness.lastText(h.text(42, j.id().display()))).contains(": failed, the money is back on your balance");
    }

    /**
     * A failed job's /history line says why, short and in the words the user was told («не получилось: нейросеть
     * отклонила описание или файл»: the refusal may be of his photo, as his failure's message said), on the one line
     * with the refund the price column says: a bare «не получилось» left him to guess whether to change his
     * description. A reason with no short words reads as before.
     */
    @Test
    void aFailedJobsHistoryLineSaysWhyInTheUsersWords() {
        Job refused = h.runningFoxImage(42);
        h.stores.users().setLanguage(42, "ru");
        h.provider.set(refused.taskId().orElseThrow(), new TaskStatus.Failed(ErrorKind.CONTENT_POLICY, "prohibited"));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        Job unsaid = ((Generations.Start.Started) h.shop.generations().start(user, 42, new Effect.StartJob("img/m9",
                "default", Map.of("prompt", "x"), Map.of(), 300, false))).job();
        assertThat(h.shop.generations().fail(unsaid.id(), "error.something_new", "boom")).isPresent();
        List<String> lines = ShopHarness.lastText(h.command(42, "history")).lines().toList();
        assertThat(lines).filteredOn(l -> l.startsWith(refused.id().display() + " · ")).singleElement().asString()
                .endsWith(" · не получилось: нейросеть отклонила описание или файл · возвращено 2,97\u00A0₽")
                .doesNotContain("правила", "Kie", "prohibited");
        assertThat(lines).filteredOn(l -> l.startsWith(unsaid.id().display() + " · ")).singleElement().asString()
                .endsWith(" · не получилось · возвращено 3\u00A0₽");
    }

    /** FreeUsage decides the last free use: a free start past the day's limit fails and takes no further use. */
    @Test
    void aFreeStartPastTheDailyLimitIsRefusedAndUsesNothing() {
        LocalDate day = LocalDate.of(2026, 11, 21);
        for (int i = 0; i < 5; i++) {
            assertThat(h.stores.freeUsage().tryUse(42, day, 5, "earlier-" + i)).isTrue();
        }
        Generations.Start s = h.shop.generations().start(user, 42,
                new Effect.StartJob("img/m1", "default", Map.of("prompt", "x"), Map.of(), 0, true));

        assertThat(s).isInstanceOf(Generations.Start.FreeLimitReached.class);
        assertThat(h.lastJob(42).state()).isEqualTo(JobState.FAILED);
        assertThat(h.stores.freeUsage().used(42, day)).isEqualTo(5);
        assertThat(h.balance(42)).isEqualTo(10_000);
        h.work(10);
        assertThat(h.provider.submitted).isEmpty();
    }

    @Test
    void aFreeJobNeverTouchesTheLedgerAndFailuresGiveTheUseBack() {
        long before = h.balance(42);
        int transfers = h.stores.ledger().transfers(AccountId.wallet(42)).size();
        Generations.Start s = h.shop.generations().start(user, 42, new Effect.StartJob("img/m1", "default",
                Map.of("prompt", "x"), Map.of(), 0, true));
        Job j = ((Generations.Start.Started) s).job();
        assertThat(h.stores.freeUsage().used(42, java.time.LocalDate.of(2026, 11, 21))).isEqualTo(1);
        h.work(10);
        h.provider.set("task-1", new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "boom"));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(h.stores.freeUsage().used(42, java.time.LocalDate.of(2026, 11, 21))).isZero();
        assertThat(h.balance(42)).isEqualTo(before);
        assertThat(h.stores.ledger().transfers(AccountId.wallet(42))).hasSize(transfers);
    }

    /**
     * A free job started just before the shop's midnight and failing just after gives its use back to the day it was
     * taken from: the old day is whole again and the new day's allowance is untouched (given back to "today", the
     * new day would gain a sixth use and the old one keep its spent one).
     */
    @Test
    void aFreeJobFailingAfterMidnightGivesItsUseBackToTheDayItWasTakenFrom() {
        java.time.ZoneId zone = dev.kiebot.core.conversation.ShopSettings.defaults().zone();
        java.time.LocalDate day = java.time.LocalDate.ofInstant(h.clock.instant(), zone);
        h.clock.advance(Duration.between(h.clock.instant(), day.plusDays(1).atStartOfDay(zone).toInstant())
                .minusSeconds(30));
        Job j = ((Generations.Start.Started) h.shop.generations().start(user, 42, new Effect.StartJob("img/m1",
                "default", Map.of("prompt", "x"), Map.of(), 0, true))).job();
        assertThat(h.stores.freeUsage().used(42, day)).isEqualTo(1);
        h.work(10);
        h.clock.advance(Duration.ofMinutes(1));
        h.provider.set("task-1", new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "boom"));
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(h.stores.freeUsage().used(42, day)).isZero();
        assertThat(h.stores.freeUsage().used(42, day.plusDays(1))).isZero();
    }

    @Test
    void aCancelledOrFailedFreeJobSaysTheFreeUseCameBackNotMoney() {
        Job cancelled = ((Generations.Start.Started) h.shop.generations().start(user, 42, new Effect.StartJob("img/m1",
                "default", Map.of("prompt", "x"), Map.of(), 0, true))).job();
        h.messenger.drain();
        assertThat(h.shop.generations().cancel(cancelled.id())).isTrue();
        h.deliver();
        assertThat(h.messenger.texts()).singleElement().asString()
                .isEqualTo("✖ Generation " + cancelled.id().display()
                        + " cancelled — your free generation is not used up.")
                .doesNotContain("balance").doesNotContain("₽");
        Job failed = ((Generations.Start.Started) h.shop.generations().start(user, 42, new Effect.StartJob("img/m1",
                "default", Map.of("prompt", "x"), Map.of(), 0, true))).job();
        h.work(10);
        h.provider.set("task-1", new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "boom"));
        h.clock.advance(Duration.ofSeconds(5));
        h.messenger.drain();
        h.work(10);
        assertThat(h.messenger.texts()).last().asString().contains("Your free generation was returned: you can use it again.")
                .doesNotContain("balance").doesNotContain("₽");
        assertThat(String.join("\n", h.messenger.texts())).doesNotContain("returned to your balance");
        assertThat(ShopHarness.lastText(h.command(42, "history"))).contains(failed.id().display())
                .doesNotContain("money is back");
        assertThat(h.stores.freeUsage().used(42, java.time.LocalDate.of(2026, 11, 21))).isZero();
    }

    /**
     * A failed free job's /history line says why it failed as a paid one's does, and that its free use came back where
     * a paid one says its money did, as he was told then («Бесплатная генерация вернулась»): its «ошибка, бесплатная
     * генерация не потрачена · бесплатно» gave no reason, though he retries a free job as readily, and blamed the bot.
     */
    @Test
    void aFailedFreeJobsHistoryLineSaysWhyAndThatItsFreeUseCameBack() {
        h.stores.users().setLanguage(42, "ru");
        Job failed = ((Generations.Start.Started) h.shop.generations().start(user, 42, new Effect.StartJob("img/m1",
                "default", Map.of("prompt", "x"), Map.of(), 0, true))).job();
        h.work(10);
        h.provider.set("task-1", new TaskStatus.Failed(ErrorKind.CONTENT_POLICY, "prohibited"));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(job(failed).state()).isEqualTo(JobState.FAILED);
        Job cancelled = ((Generations.Start.Started) h.shop.generations().start(user, 42, new Effect.StartJob("img/m1",
                "default", Map.of("prompt", "y"), Map.of(), 0, true))).job();
        assertThat(h.shop.generations().cancel(cancelled.id())).isTrue();
        List<String> lines = ShopHarness.lastText(h.command(42, "history")).lines().toList();
        assertThat(lines).filteredOn(l -> l.startsWith(failed.id().display() + " · ")).singleElement().asString()
                .endsWith(" · не получилось: нейросеть отклонила описание или файл · бесплатная генерация вернулась")
                .doesNotContain("ошибка");
        assertThat(lines).filteredOn(l -> l.startsWith(cancelled.id().display() + " · ")).singleElement().asString()
                .endsWith(" · отменена · бесплатная генерация вернулась");
    }

    @Test
    void cancelWorksOnlyWhileQueued() {
        Job j = start("img/m9", 300);
        assertThat(h.shop.generations().cancel(j.id())).isTrue();
        assertThat(h.balance(42)).isEqualTo(10_000);
        Job k = start("img/m9", 300);
        h.work(10);
        assertThat(h.shop.generations().cancel(k.id())).isFalse();
    }

    @Test
    void filesAreUploadedAndATooLargeFileRefunds() {
        Generations.Start s = h.shop.generations().start(user, 42, new Effect.StartJob("edit/pro", "resolution=1K",
                Map.of("prompt", "x"), Map.of("image_urls", List.of("a", "b")), 390, false));
        Job j = ((Generations.Start.Started) s).job();
        h.work(10);
        assertThat(h.provider.submitted.get(0).fileUrls().get("image_urls")).hasSize(2);
        assertThat(h.provider.submitted.get(0).toString()).doesNotContain("api.telegram.org");
        Generations.Start s2 = h.shop.generations().start(user, 42, new Effect.StartJob("edit/pro", "resolution=1K",
                Map.of("prompt", "x"), Map.of("image_urls", List.of("big-1")), 390, false));
        Job big = ((Generations.Start.Started) s2).job();
        h.clock.advance(Duration.ofSeconds(1));
        h.work(10);
        assertThat(job(big).state()).isEqualTo(JobState.FAILED);
        assertThat(job(j).state()).isEqualTo(JobState.SUBMITTED);
    }

    @Test
    void aResultThatMayHaveArrivedIsNotFollowedByALinkOneThatSurelyDidNotIs() {
        Job first = resultSent("task-1", "https://r/cat.png",
                new dev.kiebot.core.reply.Delivery.Uncertain("dropped after sending"));
        assertThat(job(first).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.messenger.texts()).noneMatch(t -> t.contains("https://r/cat.png"));

        Job second = resultSent("task-2", "https://r/dog.png",
                new dev.kiebot.core.reply.Delivery.Failed("wrong file identifier/HTTP URL specified"));
        assertThat(job(second).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.messenger.texts()).anyMatch(t -> t.contains("https://r/dog.png"));
    }

    /**
     * A result Telegram refused (a type it will not show, a URL it cannot fetch) goes as its link, and that link is
     * Kie's, which it keeps for a day at worst (kie-api.md §5): the line above it says why a link came and to save the
     * file within a day, as the one for a file too large does. It said «Your result: <link>» and nothing more, so a
     * user who opened it the next week found nothing. The job is delivered and charged once (he has the file through
     * the link), and the link is kept as what the result went as, so /history can send it again while Kie keeps it.
     */
    @Test
    void aResultTelegramRefusedGoesAsItsLinkWithHowLongItLastsChargedOnce() {
        Job j = resultSent("task-1", "https://r/dog.png",
                new dev.kiebot.core.reply.Delivery.Failed("wrong type of the web page content"));
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("https://r/dog.png")).singleElement().asString()
                .contains(j.id().display(), "Telegram did not take the file, so here is a link",
                        "Save the file within a day");
        assertThat(h.balance(42)).isEqualTo(9_700);
        assertThat(h.stores.ledger().balance(AccountId.REVENUE).posted()).isEqualTo(300);
        assertThat(h.stores.jobs().deliveredFileIds(j.id())).containsExactly("https://r/dog.png");

        h.stores.users().setLanguage(42, "ru");
        user = h.stores.users().find(42).orElseThrow();
        Job ru = resultSent("task-2", "https://r/cat.png",
                new dev.kiebot.core.reply.Delivery.Failed("wrong type of the web page content"));
        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("https://r/cat.png")).singleElement().asString()
                .contains(ru.id().display(), "Telegram не принял файл, поэтому присылаю ссылку",
                        "Сохраните файл в течение суток");
    }

    /**
     * A partner's messenger that throws for media (its contract says to answer a Delivery): the result is taken as
     * deferred, tried again, and once {@link ReplySender#DEFERRED_MAX} has passed given up as one that may have
     * arrived (a throw says nothing of whether the platform took it): the user told it may not have come, the job
     * charged, never refunded as surely not sent, and not tried any more. Before, the throw went up to the sender's
     * task and the result was tried for ever.
     */
    @Test
    void aResultWhoseSendKeepsThrowingIsGivenUpAfterADayAsMaybeSentNotRefunded() {
        AtomicBoolean noMedia = new AtomicBoolean();
        AtomicInteger tries = new AtomicInteger();
        partnerShop(eachMediaTry(noMedia, tries, (n, inner, r) -> {
            throw new UnsupportedOperationException("our chat takes no media");
        }));
        noMedia.set(true);
        Job j = resultReadyAndOneDayOfTries();

        assertThat(tries.get()).as("tried again").isGreaterThan(1);
        assertThat(h.balance(42)).as("charged: it may be in his chat").isEqualTo(9_700);
        assertThat(h.stores.ledger().balance(AccountId.REVENUE).posted()).isEqualTo(300);
        assertThat(h.messenger.texts()).as("the user told it may not have come")
                .anyMatch(t -> t.contains(j.id().display()) && t.contains("may not have arrived"));
        int given = tries.get();
        h.clock.advance(Duration.ofHours(1));
        h.deliver();
        assertThat(tries.get()).as("given up").isEqualTo(given);
    }

    /**
     * A partner's messenger whose media send reaches the platform and then throws (its answer unreadable, a read
     * timeout): the result is in the chat at each try. Given up after a day, it is settled as one that may have
     * arrived, not refunded as surely not sent: before, he had the result (more than once) and his money back.
     */
    @Test
    void aResultDeliveredThenThrownIsNotRefundedWhenGivenUp() {
        AtomicBoolean on = new AtomicBoolean();
        AtomicInteger mediaSent = new AtomicInteger();
        partnerShop(eachMediaTry(on, mediaSent, (n, inner, r) -> {
            inner.send(r); // the platform took it
            throw new IllegalStateException("cannot parse the platform's answer");
        }));
        on.set(true);
        Job j = resultReadyAndOneDayOfTries();

        assertThat(mediaSent.get()).isGreaterThan(1);
        settledAsMaybeSentAndTold(j, "a result the platform took is not refunded");
    }

    /**
     * A result whose first send threw after the platform took it (its answer unreadable), and whose next try finds the
     * file gone at the provider: it may be in his chat, so it is settled as maybe sent, charged, not refunded as gone.
     * Before, the Gone answer refunded it in full and told him the file was gone.
     */
    @Test
    void aResultThatThrewThenFoundItsFileGoneIsNotRefundedAsGone() {
        AtomicBoolean on = new AtomicBoolean();
        AtomicInteger mediaTries = new AtomicInteger();
        partnerShop(firstMediaTryThrows(on, mediaTries, new Delivery.Gone("the provider deleted the file")));
        Job j = aCatResultSentOnce(on);
        h.clock.advance(Duration.ofMinutes(5));
        h.deliver();

        assertThat(mediaTries).as("tried again after the throw").hasValue(2);
        chargedAsMaybeSent(j, "charged once, not refunded as gone");
    }

    /**
     * A result whose first send threw after the platform took it (its answer unreadable), and which, after a restart
     * (a new sender over the same outbox, knowing nothing of that try), is refused for sure, its upload and its link:
     * it may be in his chat, so it is settled as maybe sent, charged. Before, the mark that a try threw was the first
     * sender's memory: the restarted one settled the result as surely not sent and refunded it, though he had it.
     */
    @Test
    void aResultThatThrewIsNotRefundedWhenRefusedAfterARestart() {
        AtomicBoolean on = new AtomicBoolean();
        AtomicInteger mediaTries = new AtomicInteger();
        partnerShop(itsLinkRefusedToo(on, firstMediaTryThrows(on, mediaTries,
                new Delivery.Failed("wrong type of the web page content"))));
        Job j = aCatResultSentOnce(on);
        assertThat(mediaTries).as("the try that threw, before the restart").hasValue(1);

        Shop restarted = restartedPartnerShop();
        h.clock.advance(Duration.ofMinutes(5));
        restarted.sender().drain(100);

        assertThat(mediaTries).as("tried again after the restart").hasValue(2);
        settledAsMaybeSentAndTold(j, "charged: it may be in his chat");
    }

    /**
     * A result whose first send threw after the platform took it (its answer unreadable), and whose next try finds
     * him blocked: it may be in his chat, so at his return it is listed as maybe sent («did not reach you, or may
     * not have»), not as surely not sent, and when its file is gone at the provider by his «📤» it is not refunded.
     * Before, the blocked answer listed it as surely not sent whatever an earlier try did: told at his return that
     * it could not be sent, then refunded in full when its file was gone, though he may have had it.
     */
    @Test
    void aResultThatThrewThenFoundHimBlockedIsNotRefundedWhenItsFileIsGoneAtHisReturn() {
        AtomicBoolean on = new AtomicBoolean();
        AtomicInteger mediaTries = new AtomicInteger();
        partnerShop(takenThenBlockedThenGone(on, mediaTries, () -> {
            throw new java.io.UncheckedIOException(new java.net.SocketTimeoutException("read timed out"));
        }));
        Job j = aCatResultSentOnce(on);
        h.clock.advance(Duration.ofMinutes(5));
        h.deliver();
        foundHimBlockedThenItsFileGoneAtHisReturn(j, mediaTries, "a try of it threw (it may be in his chat): not refunded by itself");
    }

    /**
     * A result whose first try's sender died mid-call, the platform having taken it (a crash, a kill, a restart of the
     * host: nothing after the call ran, no release, no settle), and whose next try, by another sender once the lease
     * ended, finds him blocked: it may be in his chat, so at his return it is listed as maybe sent, and when its file
     * is gone at the provider by his «📤» it is not refunded. Before, the try left no mark (a throw's was written after
     * the call): the next sender took the result as never tried, listed it as surely not sent, and refunded it in
     * full when its file was gone, though he may have had it.
     */
    @Test
    void aResultWhoseSenderDiedMidCallThenFoundHimBlockedIsNotRefundedWhenItsFileIsGoneAtHisReturn() {
        AtomicBoolean on = new AtomicBoolean();
        AtomicInteger mediaTries = new AtomicInteger();
        partnerShop(takenThenBlockedThenGone(on, mediaTries, () -> {
            throw new SenderDied();
        }));
        Job j = aCatResultWhoseSenderDies(on);
        Shop restarted = restartedPartnerShop();
        restarted.sender().drain(100);
        assertThat(mediaTries).as("the chat is the dead sender's until its lease ends").hasValue(1);

        h.clock.advance(ReplySender.LEASE);
        restarted.sender().drain(100);
        foundHimBlockedThenItsFileGoneAtHisReturn(j, mediaTries, "its first try may be in his chat: not refunded by itself");
    }

    /**
     * A result whose first try outlived its lease (a slow upload) while another sender claimed the chat and sent it
     * again, refused for sure (its upload and its link), and which then threw after the platform took it: it may be
     * in his chat, so it is settled as maybe sent, charged. Before, that throw's mark was written with the release,
     * which no longer counted past the lease: the other sender took the result as never tried and refunded it.
     */
    @Test
    void aResultWhoseTryOutlivedItsLeaseIsNotRefundedWhenTheNextSenderFindsItRefused() {
        AtomicBoolean on = new AtomicBoolean();
        AtomicInteger mediaTries = new AtomicInteger();
        Shop[] other = new Shop[1];
        partnerShop(itsLinkRefusedToo(on, eachMediaTry(on, mediaTries, (n, inner, r) -> {
            if (n == 1) {
                inner.send(r); // the platform took it, but its answer is slow to come
                h.clock.advance(ReplySender.LEASE.plusMinutes(1));
                other[0].sender().drain(100); // the lease over, another sender claims the chat
                throw new java.io.UncheckedIOException(new java.net.SocketTimeoutException("read timed out"));
            }
            return new Delivery.Failed("wrong type of the web page content");
        })));
        other[0] = restartedPartnerShop();
        Job j = aCatResultSentOnce(on);

        assertThat(mediaTries).as("the slow try, and the other sender's").hasValue(2);
        settledAsMaybeSentAndTold(j, "charged: the slow try may be in his chat");
    }

    /**
     * A result whose sender died after marking its try, before the call, the host then down a day and an hour: the
     * first try after the restart, deferred once (a 429), is tried again later and delivered, not given up at once.
     * Before, the mark's time started the give-up day (ReplySender.DEFERRED_MAX), so that deferral found the day
     * over: the result was dropped, charged, and the user told it may not have arrived, though it never left.
     */
    @Test
    void aResultWhoseSenderDiedAtItsMarkGetsItsDayOfTriesAfterALongRestart() {
        AtomicBoolean on = new AtomicBoolean();
        AtomicInteger mediaTries = new AtomicInteger();
        partnerShop(eachMediaTry(on, mediaTries, (n, inner, r) -> switch (n) {
            case 1 -> throw new SenderDied(); // killed after the mark, before the call
            case 2 -> new Delivery.Deferred(Duration.ofSeconds(30), "429 retry after 30");
            default -> inner.send(r);
        }));
        Job j = aCatResultWhoseSenderDies(on);
        h.clock.advance(Duration.ofHours(25)); // the host down a day and an hour
        Shop restarted = restartedPartnerShop();
        restarted.sender().drain(100);

        assertThat(mediaTries).as("one try after the restart, deferred").hasValue(2);
        assertThat(h.stores.pendingReplies().resultWaiting(42, j.id())).as("still waiting, not given up").isTrue();
        assertThat(h.messenger.texts()).noneMatch(t -> t.contains("may not have arrived"));

        h.clock.advance(Duration.ofMinutes(1));
        restarted.sender().drain(100);
        assertThat(mediaTries).as("tried again after the 429's wait, and sent").hasValue(3);
        assertThat(h.messenger.all()).anyMatch(r -> r instanceof Reply.SendMedia);
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.balance(42)).isEqualTo(9_700);
        assertThat(h.messenger.texts()).noneMatch(t -> t.contains("may not have arrived"));
    }

    /**
     * The same result, then deferred for good (429s) across two restarts less than a day apart: its day is counted
     * from its first deferral after the mark, kept in the outbox, so it is given up a day after that, by whichever
     * process tries it then. Were that first deferral's time not written (the claim gives a bare mark back with its
     * own time, which is what the try keeps), every claim started the day again and a restart every few hours kept
     * the result's money held and its chat's queue stuck for ever.
     */
    @Test
    void aResultWhoseSenderDiedAtItsMarkIsGivenUpADayAfterItsFirstDeferralAcrossRestarts() {
        AtomicBoolean on = new AtomicBoolean();
        AtomicInteger mediaTries = new AtomicInteger();
        partnerShop(eachMediaTry(on, mediaTries, (n, inner, r) -> {
            if (n == 1) {
                throw new SenderDied(); // killed after the mark, before the call
            }
            return new Delivery.Deferred(Duration.ofSeconds(30), "429 retry after 30");
        }));
        aCatResultWhoseSenderDies(on);
        h.clock.advance(ReplySender.LEASE);
        restartedPartnerShop().sender().drain(100);
        assertThat(mediaTries).as("the first deferral, after the restart").hasValue(2);

        h.clock.advance(Duration.ofHours(20));
        restartedPartnerShop().sender().drain(100); // another restart, within the day
        assertThat(h.messenger.texts()).noneMatch(t -> t.contains("may not have arrived"));
        h.clock.advance(Duration.ofHours(5));
        restartedPartnerShop().sender().drain(100); // and another, past the day

        assertThat(h.messenger.texts()).as("given up a day after its first deferral, as maybe sent")
                .anyMatch(t -> t.contains("may not have arrived"));
        assertThat(h.stores.pendingReplies().oldestWaiting()).as("its chat's queue goes on").isEmpty();
    }

    /** A sender's death mid-call (a crash, a kill): not caught, nothing after the call runs. */
    private static final class SenderDied extends Error {
        SenderDied() {
            super("the sender died mid-call");
        }
    }

    /**
     * A job of two files, the second refused as blocked, sent again at his «📤»: that file's try throws after the
     * platform took it, and its next try finds him blocked again. It may be in his chat, so his next return says it may
     * not have arrived. It said a file surely did not come («1 file of 2 missing»): the re-send's note read only what
     * the note before it said of that file.
     */
    @Test
    void aFileSentAgainThatThrewThenFoundHimBlockedIsToldAtHisReturnAsMaybeArrived() {
        AtomicBoolean on = new AtomicBoolean();
        AtomicInteger mediaTries = new AtomicInteger();
        partnerShop(eachMediaTry(on, mediaTries, (n, inner, r) -> switch (n) {
            case 2, 4 -> new Delivery.Blocked();
            case 3 -> {
                inner.send(r); // the platform took it
                throw new java.io.UncheckedIOException(new java.net.SocketTimeoutException("read timed out"));
            }
            default -> inner.send(r);
        }));
        on.set(true);
        Job j = start("img/m9", 300);
        h.work(10);
        h.provider.set("task-1", new TaskStatus.Succeeded(new JobResult(List.of("https://r/a.png", "https://r/b.png"),
                MediaKind.PHOTO)));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.deliver();
        assertThat(mediaTries).as("the first came, the second found him blocked").hasValue(2);
        List<Reply> first = h.send(42, new dev.kiebot.core.conversation.Event.MembershipChanged(false));
        assertThat(ShopHarness.lastText(first)).contains(j.id().display(), "1\u00a0file of 2 missing");

        h.press(42, ShopHarness.button(first, "📤 Send " + j.id().display() + " again"));
        h.clock.advance(Duration.ofMinutes(5));
        h.deliver();
        assertThat(mediaTries).as("sent again: it threw, then its next try found him blocked").hasValue(4);

        hisReturnToldItMayNotHaveArrived(j, "missing");
        assertThat(h.balance(42)).as("nothing moves by itself: the first file came").isEqualTo(9_700);
    }

    /**
     * A result the platform keeps deferring, its sender restarted within the day: it is given up a day after its
     * FIRST deferral, refunded and the user told, not kept. Before, the day counted from the first deferral the
     * running process saw: restarts less than a day apart kept such a result for ever, never refunded, «📤 Получить»
     * saying it was on its way.
     */
    @Test
    void aResultDeferredAcrossARestartIsGivenUpADayAfterItsFirstDeferral() {
        AtomicBoolean on = new AtomicBoolean();
        AtomicInteger mediaTries = new AtomicInteger();
        partnerShop(eachMediaTry(on, mediaTries,
                (n, inner, r) -> new Delivery.Deferred(Duration.ofMinutes(1), "the platform is down")));
        Job j = aCatResultSentOnce(on);
        h.clock.advance(Duration.ofHours(12));
        h.deliver();
        assertThat(mediaTries).as("deferred twice before the restart").hasValue(2);
        assertThat(h.balance(42)).isEqualTo(9_700);

        Shop restarted = restartedPartnerShop();
        h.clock.advance(Duration.ofHours(12));
        restarted.sender().drain(100);

        assertThat(mediaTries).hasValue(3);
        assertThat(h.balance(42)).as("given up a day after its first deferral: refunded").isEqualTo(10_000);
        assertThat(h.messenger.texts()).anyMatch(t -> t.contains(j.id().display()) && t.contains("could not be sent"));
        h.clock.advance(Duration.ofHours(1));
        restarted.sender().drain(100);
        assertThat(mediaTries).as("not tried any more").hasValue(3);
    }

    /**
     * A result whose upload is refused goes as its link; a link whose send throws (a read timeout: the platform may
     * have taken it) is not "surely not sent": the whole result is tried again, and a link that goes then is the
     * result delivered and charged once. Before, the throw made the result surely not sent at once: the user told it
     * failed and refunded, no second try, though the link may have been in his chat.
     */
    @Test
    void aFallbackLinkThatThrowsIsTriedAgainNotRefundedAtOnce() {
        AtomicBoolean on = new AtomicBoolean();
        AtomicInteger linkTries = new AtomicInteger();
        partnerShop(uploadRefusedAndItsLinkThrows(on, linkTries, n -> n == 1));
        Job j = aCatResultSentOnce(on);
        assertThat(h.balance(42)).as("not refunded at once for a throw").isEqualTo(9_700);

        h.clock.advance(Duration.ofMinutes(1));
        h.deliver();
        assertThat(linkTries.get()).as("the link that threw is tried again").isEqualTo(2);
        assertThat(h.messenger.texts()).anyMatch(t -> t.contains("https://r/cat.png"));
        assertThat(h.messenger.texts()).noneMatch(t -> t.contains(j.id().display()) && (t.contains("not sent")
                || t.contains("may not have arrived")));
        assertThat(h.balance(42)).isEqualTo(9_700);
        assertThat(h.stores.ledger().balance(AccountId.REVENUE).posted()).isEqualTo(300);
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
    }

    /**
     * A fallback link that keeps throwing: the result is tried for a day, then settled as one that may have
     * arrived (the user told so, not refunded), not as surely not sent.
     */
    @Test
    void aFallbackLinkThatKeepsThrowingIsGivenUpAsMaybeSent() {
        AtomicBoolean on = new AtomicBoolean();
        partnerShop(uploadRefusedAndItsLinkThrows(on, new AtomicInteger(), n -> true));
        on.set(true);
        Job j = resultReadyAndOneDayOfTries();

        assertThat(h.balance(42)).isEqualTo(9_700);
        assertThat(h.messenger.texts()).anyMatch(t -> t.contains(j.id().display())
                && t.contains("may not have arrived"));
    }

    /**
     * The shop with {@code partner} (given the harness's own messenger to wrap) for its messenger, its pacing on the
     * test's clock so that a day of tries passes with it; user 42 started with 10 000.
     */
    private void partnerShop(UnaryOperator<dev.kiebot.core.reply.Messenger> partner) {
        dev.kiebot.core.testing.MutableClock[] shopClock = new dev.kiebot.core.testing.MutableClock[1];
        ShopHarness[] harness = new ShopHarness[1];
        dev.kiebot.core.reply.Messenger partners = partner.apply(r -> harness[0].messenger.send(r));
        partnerMessenger = partners;
        h = new ShopHarness(dev.kiebot.core.testing.TestCatalog.catalog(), ShopSettings.defaults()
                .withAdmins(java.util.Set.of(ShopHarness.ADMIN))
                .withAdmission(dev.kiebot.core.intake.AdmissionPolicy.off()), ShopHarness.MANUAL,
                b -> b.messenger(partners).pacingClock(shopClock[0]), c -> {
                    shopClock[0] = c;
                    return dev.kiebot.core.testing.memory.InMemoryStores.create(c);
                });
        harness[0] = h;
        h.command(42, "start");
        user = h.stores.users().find(42).orElseThrow();
        h.topUp(42, 10_000);
    }

    /**
     * A partner's messenger whose first media send, once {@code on}, reaches the platform and then throws (its answer
     * unreadable: the result may be in his chat); its later media tries answer {@code later}, counted in {@code tries}.
     */
    private static UnaryOperator<Messenger> firstMediaTryThrows(AtomicBoolean on, AtomicInteger tries,
            Delivery later) {
        return eachMediaTry(on, tries, (n, inner, r) -> {
            if (n == 1) {
                inner.send(r); // the platform took it
                throw new IllegalStateException("cannot parse the platform's answer");
            }
            return later;
        });
    }

    /** A partner's answer to a media try, by the try's number from 1; {@code inner} is the messenger it wraps. */
    private interface MediaTry {
        Delivery answer(int n, Messenger inner, Reply media);
    }

    /**
     * A partner's messenger whose media sends, once {@code on}, are counted in {@code tries} and answered by
     * {@code answer}; all else goes to the harness's messenger.
     */
    private static UnaryOperator<Messenger> eachMediaTry(AtomicBoolean on, AtomicInteger tries, MediaTry answer) {
        return inner -> r -> on.get() && r instanceof Reply.SendMedia
                ? answer.answer(tries.incrementAndGet(), inner, r)
                : inner.send(r);
    }

    /**
     * A partner's messenger whose first media try, once {@code on}, reaches the platform and then {@code dies} (throws:
     * the result may be in his chat), whose second finds him blocked and whose later ones find the file gone at the
     * provider; counted in {@code tries}.
     */
    private static UnaryOperator<Messenger> takenThenBlockedThenGone(AtomicBoolean on, AtomicInteger tries,
            Runnable dies) {
        return eachMediaTry(on, tries, (n, inner, r) -> switch (n) {
            case 1 -> {
                inner.send(r); // the platform took it
                dies.run();
                throw new AssertionError("dies must throw");
            }
            case 2 -> new Delivery.Blocked();
            default -> new Delivery.Gone("download failed: HTTP 404");
        });
    }

    /** {@code media}, and once {@code on} the cat result's link refused for sure as well. */
    private static UnaryOperator<Messenger> itsLinkRefusedToo(AtomicBoolean on, UnaryOperator<Messenger> media) {
        return inner -> {
            Messenger sending = media.apply(inner);
            return r -> on.get() && r instanceof Reply.SendText t && t.text().contains("https://r/cat.png")
                    ? new Delivery.Failed("the link refused too")
                    : sending.send(r);
        };
    }

    /**
     * A partner's messenger that, once {@code on}, refuses every media send for sure (so the result goes as its link)
     * and throws at the cat result's link (a read timeout: the platform may have taken it) at the link's tries,
     * numbered from 1 in {@code linkTries}, that {@code throwsAt} picks.
     */
    private static UnaryOperator<Messenger> uploadRefusedAndItsLinkThrows(AtomicBoolean on, AtomicInteger linkTries,
            IntPredicate throwsAt) {
        return inner -> {
            Messenger sending = eachMediaTry(on, new AtomicInteger(),
                    (n, media, r) -> new Delivery.Failed("too large for us")).apply(inner);
            return r -> {
                if (on.get() && r instanceof Reply.SendText t && t.text().contains("https://r/cat.png")
                        && throwsAt.test(linkTries.incrementAndGet())) {
                    throw new java.io.UncheckedIOException(new java.net.SocketTimeoutException("read timed out"));
                }
                return sending.send(r);
            };
        };
    }

    /** Charged and settled as delivered, the result maybe in his chat: never refunded as surely not sent. */
    private void chargedAsMaybeSent(Job j, String why) {
        assertThat(h.balance(42)).as(why).isEqualTo(9_700);
        assertThat(h.stores.ledger().balance(AccountId.REVENUE).posted()).isEqualTo(300);
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
    }

    /** {@link #chargedAsMaybeSent}, and the user told that it may not have arrived. */
    private void settledAsMaybeSentAndTold(Job j, String why) {
        chargedAsMaybeSent(j, why);
        assertThat(h.messenger.texts()).anyMatch(t -> t.contains(j.id().display())
                && t.contains("may not have arrived"));
    }

    /**
     * User 42 comes back (unblocks the bot): the note lists {@code j} as maybe arrived, never with {@code notSaid} (what
     * would say it surely did not). Returns the note, for its buttons.
     */
    private List<Reply> hisReturnToldItMayNotHaveArrived(Job j, String notSaid) {
        List<Reply> back = h.send(42, new dev.kiebot.core.conversation.Event.MembershipChanged(false));
        assertThat(ShopHarness.lastText(back)).as("told it may not have arrived, not that it surely did not")
                .contains("did not reach you, or may not have").contains(j.id().display() + " · ")
                .contains("may not have arrived").doesNotContain(notSaid);
        return back;
    }

    /**
     * {@code j}'s second media try (of {@link #takenThenBlockedThenGone}) found him blocked, its money still held; at his
     * return the note lists it as maybe arrived, and his «📤» 30 hours on finds its file gone at the provider (the third
     * try): answered so, and as it may be in his chat, charged, not given back by itself ({@code why}).
     */
    private void foundHimBlockedThenItsFileGoneAtHisReturn(Job j, AtomicInteger tries, String why) {
        assertThat(tries).as("the second try found him blocked").hasValue(2);
        assertThat(h.balance(42)).isEqualTo(9_700);

        List<Reply> back = hisReturnToldItMayNotHaveArrived(j, "could not be sent");
        String resend = ShopHarness.button(back, "📤 Send " + j.id().display() + " again");
        h.clock.advance(Duration.ofHours(30));
        List<Reply> gone = h.press(42, resend);

        assertThat(tries).as("sent again at his asking, its file gone").hasValue(3);
        assertThat(ShopHarness.lastText(gone)).contains("no longer has it")
                .contains("or may have, so it is not given back automatically");
        chargedAsMaybeSent(j, why);
    }

    /**
     * The {@link #partnerShop} started again over the same stores, with the same messenger and pacing clock: its
     * sender knows nothing of what the first one saw, as after a restart or on another instance.
     */
    private Shop restartedPartnerShop() {
        return h.anotherInstance(s -> s, b -> b.messenger(partnerMessenger).pacingClock(h.clock));
    }

    /** A paid job whose result Kie made, then a day and an hour of hourly deliveries: its result is given up. */
    private Job resultReadyAndOneDayOfTries() {
        Job j = start("img/m9", 300);
        h.work(10);
        h.provider.succeed("task-1", "https://r/cat.png");
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(h.balance(42)).isEqualTo(9_700);
        for (Duration waited = Duration.ZERO; waited.compareTo(ReplySender.DEFERRED_MAX) <= 0;
                waited = waited.plus(Duration.ofHours(1))) {
            h.clock.advance(Duration.ofHours(1));
            h.deliver();
        }
        return j;
    }

    /** A paid job whose result Kie made, its media answered {@code outcome} by Telegram (the status before it sent). */
    private Job resultSent(String task, String url, dev.kiebot.core.reply.Delivery outcome) {
        Job j = start("img/m9", 300);
        h.work(10);
        h.provider.succeed(task, url);
        h.clock.advance(Duration.ofSeconds(5));
        h.messenger.drain();
        h.messenger.thenAnswer(new dev.kiebot.core.reply.Delivery.Sent(Optional.empty(), List.of()), outcome);
        h.work(10);
        return j;
    }

    /** A free job of one image, its result ready at the provider and announced, not yet sent. */
    private Job freeJobReady() {
        Job j = ((Generations.Start.Started) h.shop.generations().start(user, 42, new Effect.StartJob("img/m1",
                "default", Map.of("prompt", "x"), Map.of(), 0, true))).job();
        h.work(10);
        h.provider.succeed("task-1", "https://r/cat.png");
        h.clock.advance(Duration.ofSeconds(5));
        h.messenger.drain();
        return j;
    }

    /**
     * A result whose file is gone at the provider (its URL answered 404 to Telegram and to the adapter): no link that
     * leads nowhere; the job's price goes back, by the transfer an admin's /refund makes, so a second gone result of
     * the job (or the admin's refund after it) moves nothing more, and the user is told. Before, the user was charged
     * and sent the dead link.
     */
    @Test
    void aResultGoneAtTheProviderIsRefundedOnceAndToldWithoutItsLink() {
        Job j = resultSent("task-1", "https://r/cat.png",
                new dev.kiebot.core.reply.Delivery.Gone("download failed: HTTP 404"));

        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.balance(42)).isEqualTo(10_000);
        assertThat(h.messenger.texts()).as("no link").noneMatch(t -> t.contains("https://r/cat.png"));
        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("no longer has it")).singleElement().asString()
                .contains(j.id().display(), "3\u00A0₽ returned to your balance");
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();

        h.messenger.drain();
        h.stores.transactions().inOne(() -> {
            h.shop.generations().resultGone(j.id(), "a second result gone", "https://r/cat.png");
            return null;
        });
        h.deliver();
        assertThat(h.balance(42)).as("refunded once").isEqualTo(10_000);
        assertThat(h.messenger.texts()).singleElement().asString().contains("no longer has it")
                .doesNotContain("balance");
        assertThat(h.stores.audit().byCorrelation(j.id().display())).extracting(e -> e.action())
                .contains("gen.result_gone");
        // the history says the money came back, not the price as if charged
        assertThat(ShopHarness.lastText(h.command(42, "history"))).contains(j.id().display() + " · ",
                "3\u00A0₽ refunded");
    }

    /**
     * The admins are told of a gone result in their chat (the provider charged the shop for it: they claim it back
     * by the task id), once an hour at most: an outage of the provider's storage would gone every result.
     */
    @Test
    void theAdminsAreToldOfAGoneResultOnceAnHourAtMost() {
        h = new ShopHarness().startedByAdminAnd(42);
        h.topUp(42, 10_000);
        Job first = resultSent("task-1", "https://r/cat.png",
                new dev.kiebot.core.reply.Delivery.Gone("download failed: HTTP 404"));
        assertThat(ShopHarness.lastTextTo(h.messenger.all(), ShopHarness.ADMIN)).contains(first.id().display(),
                "task task-1", "/find " + first.id().display(), "60\u00A0minutes");

        Job second = resultSent("task-2", "https://r/dog.png",
                new dev.kiebot.core.reply.Delivery.Gone("download failed: HTTP 404"));
        assertThat(h.messenger.all()).as("within the hour").noneMatch(r -> r.chatId() == ShopHarness.ADMIN);
        assertThat(h.balance(42)).as("both refunded all the same").isEqualTo(10_000);

        h.clock.advance(Generations.GONE_TOLD_EVERY);
        Job third = resultSent("task-3", "https://r/owl.png",
                new dev.kiebot.core.reply.Delivery.Gone("download failed: HTTP 410"));
        assertThat(ShopHarness.lastTextTo(h.messenger.all(), ShopHarness.ADMIN)).contains(third.id().display());
        assertThat(second.id()).isNotEqualTo(third.id());
    }

    @Test
    void aFreeResultGoneAtTheProviderGivesTheFreeUseBack() {
        Job j = freeJobWhoseResultMeets(new dev.kiebot.core.reply.Delivery.Gone("download failed: HTTP 410"));

        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.stores.freeUsage().used(42, java.time.LocalDate.of(2026, 11, 21))).isZero();
        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("no longer has it")).singleElement().asString()
                .contains("Your free generation was returned").doesNotContain("₽");
        assertThat(h.messenger.texts()).noneMatch(t -> t.contains("https://r/cat.png"));
        assertThat(ShopHarness.lastText(h.admin("find", j.id().display()))).as("the admin reads it in the history")
                .contains("; the user did not get it — the free generation was given back to the user");
    }

    /**
     * A free result neither Telegram nor its link took gives the free use back, and /find says why in the words of a
     * result not sent, not of one gone at the provider (the provider served it). It ended charged and silent.
     */
    @Test
    void aFreeResultThatCouldNotBeSentGivesTheFreeUseBack() {
        Job j = freeJobWhoseResultMeets(new dev.kiebot.core.reply.Delivery.Failed("refused"),
                new dev.kiebot.core.reply.Delivery.Failed("refused"));

        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.stores.freeUsage().used(42, java.time.LocalDate.of(2026, 11, 21))).isZero();
        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("could not be sent")).singleElement().asString()
                .contains(j.id().display(), "Your free generation was returned").doesNotContain("₽");
        assertThat(ShopHarness.lastText(h.admin("find", j.id().display()))).as("the admin reads it in the history")
                .contains("could not be sent to the user, or may not have arrived — the free generation was given "
                        + "back to the user")
                .doesNotContain("no longer has");
    }

    /** A free job of one image whose result is announced, then meets {@code answers} (the photo's, then the link's). */
    private Job freeJobWhoseResultMeets(dev.kiebot.core.reply.Delivery... answers) {
        Job j = freeJobReady();
        dev.kiebot.core.reply.Delivery[] all = new dev.kiebot.core.reply.Delivery[answers.length + 1];
        all[0] = new dev.kiebot.core.reply.Delivery.Sent(Optional.empty(), List.of());
        System.arraycopy(answers, 0, all, 1, answers.length);
        h.messenger.thenAnswer(all);
        h.work(10);
        return j;
    }

    /**
     * A free result gone the day after its job (the user asked for it late): the use given back is the past day's,
     * none he can take today, so he is not told «Your free generation was returned».
     */
    @Test
    void aFreeResultGoneADayLaterDoesNotPromiseAFreeUseToday() {
        Job j = freeJobReady();
        h.clock.advance(Duration.ofHours(15)); // past midnight in UTC and in Moscow, within the reply's day
        h.messenger.thenAnswer(new dev.kiebot.core.reply.Delivery.Sent(Optional.empty(), List.of()),
                new dev.kiebot.core.reply.Delivery.Gone("download failed: HTTP 410"));
        h.work(10);

        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("no longer has it")).singleElement().asString()
                .doesNotContain("Your free generation was returned").doesNotContain("₽")
                .as("a next step: today's free ones").contains("Try again — you have 5 of 5 free generations left "
                        + "today.");
    }

    /**
     * A free result of a past day that neither Telegram nor its link took: the use given back is that day's, so he is
     * told what he can do today. «Не получилось прислать» alone left him with no next step: with free ones left today,
     * to try again; with none, when new ones come and that he may pay for it.
     */
    @Test
    void aFreeResultOfAPastDayThatCouldNotBeSentSaysWhatToDoToday() {
        Job j = freeJobOfAPastDayNotSent(1);
        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("could not be sent")).singleElement().asString()
                .contains(j.id().display(), "Try again — you have 4 of 5 free generations left today.")
                .doesNotContain("Your free generation was returned");
    }

    @Test
    void aFreeResultOfAPastDayThatCouldNotBeSentWithNoneLeftTodaySaysWhenNewOnesCome() {
        Job j = freeJobOfAPastDayNotSent(5);
        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("could not be sent")).singleElement().asString()
                .contains(j.id().display(), "Today's free generations are used up; new ones arrive")
                .doesNotContain("Try again");
        assertThat(new dev.kiebot.core.text.Texts().get("ru", dev.kiebot.core.text.Msg.UNSENT_FREE_PAST_DAY, 4, 5))
                .isEqualTo("Попробуйте ещё раз — бесплатных генераций на сегодня осталось: 4 из 5.");
    }

    /** A free job whose result neither Telegram nor its link took the day after, {@code usedToday} free ones used. */
    private Job freeJobOfAPastDayNotSent(int usedToday) {
        Job j = freeJobReady();
        h.clock.advance(Duration.ofHours(15)); // past midnight in UTC and in Moscow, within the reply's day
        for (int i = 1; i <= usedToday; i++) {
            h.stores.freeUsage().tryUse(42, java.time.LocalDate.of(2026, 11, 22), 5, "today-" + i);
        }
        h.messenger.thenAnswer(new dev.kiebot.core.reply.Delivery.Sent(Optional.empty(), List.of()),
                new dev.kiebot.core.reply.Delivery.Failed("refused"),
                new dev.kiebot.core.reply.Delivery.Failed("refused"));
        h.work(10);
        return j;
    }

    /**
     * Telegram cannot take the result yet (unreachable, or a long 429): it is not replaced by its link, which would
     * meet the same outage, nor followed by the "done" status, which would tell of a result the user has not got;
     * it goes again whole, still before the status. Before, it was dropped as failed, its link failed as well, and
     * the user was charged for nothing he saw. (The wait itself: {@code ReplySenderLeaseTest}; this harness's
     * pacing runs on the real clock, so the deferral here is of no length.)
     */
    @Test
    void aResultTelegramCannotTakeYetGoesAgainWholeBeforeItsStatus() {
        Job j = resultSent("task-1", "https://r/cat.png",
                new dev.kiebot.core.reply.Delivery.Deferred(Duration.ZERO, "telegram unreachable"));

        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        List<Reply> sent = h.messenger.all();
        assertThat(sent).filteredOn(Reply.SendMedia.class::isInstance).singleElement()
                .satisfies(r -> assertThat(((Reply.SendMedia) r).source()).isEqualTo("https://r/cat.png"));
        assertThat(h.messenger.texts()).as("no link").noneMatch(t -> t.contains("https://r/cat.png")).isNotEmpty();
        int media = sent.indexOf(h.messenger.of(Reply.SendMedia.class).get(0));
        assertThat(sent.subList(0, media)).as("nothing of the chat's overtook it")
                .noneMatch(r -> r instanceof Reply.SendText || r instanceof Reply.EditText);
        assertThat(h.balance(42)).isEqualTo(9_700);
    }

    /**
     * The user cancels while his job's inputs go up to Kie: the worker's move to SUBMITTING is a compare-and-set on
     * HELD, so the cancelled, refunded job is never sent (Kie would charge the shop for a task nobody pays for).
     */
    @Test
    void aJobCancelledWhileItsInputsGoUpIsNeverSent() {
        Generations.Start s = h.shop.generations().start(user, 42, new Effect.StartJob("img/m9", "default",
                Map.of("prompt", "a cat"), Map.of("image_urls", List.of("photo-1")), 300, false));
        Job j = ((Generations.Start.Started) s).job();
        Shop instance = h.anotherInstance(UnaryOperator.identity(), b -> b.provider(new ForwardingProvider(h.provider) {
            @Override
            public String upload(byte[] content, String fileName, String mimeType) throws ProviderException {
                assertThat(h.shop.generations().cancel(j.id())).isTrue();
                return real.upload(content, fileName, mimeType);
            }
        }));
        instance.worker().runOnce(10);
        h.clock.advance(JobWorker.SUBMIT_WINDOW.plusSeconds(1));
        instance.worker().runOnce(10);
        assertThat(h.provider.submitted).as("never sent").isEmpty();
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(job(j).taskId()).isEmpty();
        assertThat(h.stores.ledger().holdState(j.holdId())).contains(HoldState.VOIDED);
        assertThat(h.balance(42)).isEqualTo(10_000);
        assertThat(auditOf(j)).doesNotContain("gen.reconcile");
    }

    /**
     * An admin's /refund of a job while its createTask is out, which Kie then refuses without taking it (a 429): the
     * way back to HELD is a compare-and-set on SUBMITTING, so the refunded job stays failed and is not sent again
     * (sent, Kie would make a result whose hold was already given back).
     */
    @Test
    void aJobRefundedByAnAdminWhileKieRefusesItsSendIsNotSentAgain() {
        h.command(ShopHarness.ADMIN, "start");
        Job j = start("img/m9", 300);
        Shop instance = h.anotherInstance(UnaryOperator.identity(), b -> b.provider(new ForwardingProvider(h.provider) {
            @Override
            public String submit(dev.kiebot.core.jobs.SubmitRequest request) throws ProviderException {
                h.adminConfirmed("refund", j.id().display());
                throw new ProviderException(ErrorKind.RATE_LIMITED, "429 rate limited", false);
            }
        }));
        instance.worker().runOnce(10);
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        h.clock.advance(JobWorker.SUBMIT_AGAIN.multipliedBy(2));
        h.work(10);
        assertThat(job(j).state()).as("stays refunded").isEqualTo(JobState.FAILED);
        assertThat(h.provider.submitted).as("not sent again").isEmpty();
        assertThat(h.stores.ledger().holdState(j.holdId())).contains(HoldState.VOIDED);
        assertThat(h.balance(42)).isEqualTo(10_000);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * A createTask Kie answered with a refusal (a 422: the request itself) made no task: the job is refunded at once
     * and the operator gets no RECONCILE line sending him to claim back from Kie credits of a task that never was.
     */
    @Test
    void aCreateTaskKieRefusedOutrightIsRefundedWithoutAReconcileLine() {
        h.provider.failSubmits(new ProviderException(ErrorKind.INVALID_INPUT, "422 prompt refused", false));
        Job j = start("img/m9", 300);
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(h.balance(42)).isEqualTo(10_000);
        assertThat(auditOf(j)).contains("gen.failed").doesNotContain("gen.reconcile");
    }

    /**
     * Kie failing an upload with an error worth retrying (a 500) leaves the job held and tries it again after
     * {@link JobWorker#RETRY}; one it will refuse again (401: the shop's key) fails the job with a refund, pauses
     * orders and tells the admins.
     */
    @Test
    void anUploadKieMayTakeLaterIsRetriedAndOneItRefusesIsRefunded() {
        h.command(ShopHarness.ADMIN, "start");
        java.util.concurrent.atomic.AtomicReference<ProviderException> failing = new java.util.concurrent.atomic
                .AtomicReference<>(new ProviderException(ErrorKind.SERVER, "500 upload failed", true));
        Shop instance = h.anotherInstance(UnaryOperator.identity(), b -> b.provider(new ForwardingProvider(h.provider) {
            @Override
            public String upload(byte[] content, String fileName, String mimeType) throws ProviderException {
                ProviderException e = failing.get();
                if (e != null) {
                    throw e;
                }
                return real.upload(content, fileName, mimeType);
            }
        }));
        Job retried = withAPhoto();
        instance.worker().runOnce(10);
        assertThat(job(retried).state()).isEqualTo(JobState.HELD);
        assertThat(h.balance(42)).as("still held").isEqualTo(9_700);
        failing.set(null);
        h.clock.advance(JobWorker.RETRY);
        instance.worker().runOnce(10);
        assertThat(job(retried).state()).as("tried again after RETRY").isEqualTo(JobState.SUBMITTED);

        failing.set(new ProviderException(ErrorKind.AUTH, "401 key revoked", false));
        Job refused = withAPhoto();
        h.messenger.drain();
        instance.worker().runOnce(10);
        h.deliver();
        assertThat(job(refused).state()).isEqualTo(JobState.FAILED);
        assertThat(h.balance(42)).isEqualTo(9_700);
        assertThat(h.provider.submitted).hasSize(1);
        assertThat(h.messenger.drain()).as("the admins hear of the pause")
                .anySatisfy(r -> assertThat(r.chatId()).isEqualTo(ShopHarness.ADMIN));
        assertThat(instance.generations().start(user, 42, new Effect.StartJob("img/m9", "default",
                Map.of("prompt", "a cat"), Map.of(), 300, false))).isInstanceOf(Generations.Start.Paused.class);
    }

    /** A photo that cannot be downloaded for a moment (Telegram unreachable) is tried again, not refunded. */
    @Test
    void anInputThatCannotBeDownloadedForAMomentIsTriedAgain() {
        AtomicBoolean down = new AtomicBoolean(true);
        dev.kiebot.core.testing.FakeFiles files = new dev.kiebot.core.testing.FakeFiles();
        Shop instance = h.anotherInstance(UnaryOperator.identity(), b -> b.files(id -> {
            if (down.get()) {
                throw new java.io.IOException("telegram unreachable");
            }
            return files.download(id);
        }));
        Job j = withAPhoto();
        instance.worker().runOnce(10);
        assertThat(job(j).state()).isEqualTo(JobState.HELD);
        assertThat(h.balance(42)).isEqualTo(9_700);
        down.set(false);
        h.clock.advance(JobWorker.RETRY);
        instance.worker().runOnce(10);
        assertThat(job(j).state()).isEqualTo(JobState.SUBMITTED);
    }

    private Job withAPhoto() {
        return ((Generations.Start.Started) h.shop.generations().start(user, 42, new Effect.StartJob("img/m9",
                "default", Map.of("prompt", "a cat"), Map.of("image_urls", List.of("photo-1")), 300, false))).job();
    }

    /** A status read that failed (a 500) is made again after {@link JobWorker#RETRY}, not after the lease. */
    @Test
    void aFailedStatusReadIsMadeAgainAfterTheRetryDelay() {
        Job j = start("img/m9", 300);
        h.work(10);
        h.provider.failStatus("task-1", new ProviderException(ErrorKind.SERVER, "500", false));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.provider.succeed("task-1", "https://r/cat.png");
        h.clock.advance(JobWorker.RETRY);
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
    }

    /**
     * A release dropped the model of a job at Kie and the job's next pass fell past its deadline (the bot down
     * meanwhile): no status can be read for it, and it is refunded then as any job at its deadline, not left open.
     */
    @Test
    void aJobWhoseModelWasDroppedIsRefundedAtItsDeadline() {
        Job j = start("img/m9", 300);
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.SUBMITTED);
        dev.kiebot.core.catalog.Catalog without = dev.kiebot.core.catalog.Catalog.of(h.shop.catalog().models().stream()
                .filter(m -> !m.id().equals("img/m9")).toList());
        Shop released = h.anotherInstance(UnaryOperator.identity(), b -> b.catalog(without));
        h.clock.set(job(j).deadline().plusSeconds(1));
        released.worker().runOnce(10);
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(job(j).failure()).contains(ErrorKind.TIMEOUT.messageKey());
        assertThat(h.balance(42)).isEqualTo(10_000);
    }

    /**
     * A release dropped the model of a job at Kie, read before its deadline, or of one not sent yet: the user is told
     * the model is gone from the bot, and refunded. Both said «the AI service is temporarily unavailable. Try again
     * later» (error.provider_unavailable, Kie's own refusals of the account), and a later try found no such model.
     */
    @Test
    void aJobWhoseModelADeployDroppedSaysTheModelIsGoneNotThatTheServiceIsDown() {
        Job sent = start("img/m9", 300);
        h.work(10);
        assertThat(job(sent).state()).isEqualTo(JobState.SUBMITTED);
        h.clock.advance(Duration.ofSeconds(1));
        Job unsent = start("img/m9", 300);
        dev.kiebot.core.catalog.Catalog without = dev.kiebot.core.catalog.Catalog.of(h.shop.catalog().models().stream()
                .filter(m -> !m.id().equals("img/m9")).toList());
        Shop released = h.anotherInstance(UnaryOperator.identity(), b -> b.catalog(without));
        h.clock.advance(Duration.ofSeconds(30));
        h.messenger.drain();
        released.worker().runOnce(10);
        h.deliver();
        for (Job j : List.of(sent, unsent)) {
            assertThat(job(j).state()).as(j.id().display()).isEqualTo(JobState.FAILED);
            assertThat(job(j).failure()).as(j.id().display()).contains("error.model_gone");
        }
        assertThat(h.balance(42)).isEqualTo(10_000);
        String told = String.join("\n", h.messenger.texts());
        assertThat(told).contains("removed from the bot").doesNotContain("temporarily unavailable");
        assertThat(String.join("\n", h.command(42, "history").stream().map(Object::toString).toList()))
                .contains("the model was removed from the bot").doesNotContain("was unavailable");
    }

    /**
     * An order Kie takes after another was refused for the shop's account (402) ends the pause at once: the credits
     * are back, and the next order is taken rather than answered that generations are paused.
     */
    @Test
    void anOrderKieTakesEndsThePauseARefusalStarted() {
        java.util.concurrent.atomic.AtomicInteger sends = new java.util.concurrent.atomic.AtomicInteger();
        Shop instance = h.anotherInstance(UnaryOperator.identity(), b -> b.provider(new ForwardingProvider(h.provider) {
            @Override
            public String submit(dev.kiebot.core.jobs.SubmitRequest request) throws ProviderException {
                if (sends.incrementAndGet() == 1) {
                    throw new ProviderException(ErrorKind.OUT_OF_CREDITS, "402 credits insufficient", false);
                }
                return real.submit(request);
            }
        }));
        Job refused = start("img/m9", 300);
        h.clock.advance(Duration.ofSeconds(1));
        Job taken = start("img/m9", 300);
        instance.worker().runOnce(10);
        assertThat(job(refused).state()).isEqualTo(JobState.FAILED);
        assertThat(job(taken).state()).isEqualTo(JobState.SUBMITTED);
        assertThat(instance.generations().start(user, 42, new Effect.StartJob("img/m9", "default",
                Map.of("prompt", "a cat"), Map.of(), 300, false))).isInstanceOf(Generations.Start.Started.class);
    }

    /**
     * Turns the partner's messenger {@code on}, starts a 3 ₽ image job, has the provider finish it with a cat and
     * makes the result's first send.
     */
    private Job aCatResultSentOnce(AtomicBoolean on) {
        Job j = aCatResultMade(on);
        h.work(10);
        h.deliver();
        return j;
    }

    /** Turns the partner's messenger {@code on}, starts a 3 ₽ image job and has the provider finish it with a cat. */
    private Job aCatResultMade(AtomicBoolean on) {
        on.set(true);
        Job j = start("img/m9", 300);
        h.work(10);
        h.provider.succeed("task-1", "https://r/cat.png");
        h.clock.advance(Duration.ofSeconds(5));
        return j;
    }

    /**
     * {@link #aCatResultMade}, and the worker's sender dies ({@link SenderDied}) at the result's first try: nothing
     * after it runs, its lease on the chat left to end.
     */
    private Job aCatResultWhoseSenderDies(AtomicBoolean on) {
        Job j = aCatResultMade(on);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.work(10)).isInstanceOf(SenderDied.class);
        return j;
    }

    /**
     * A lesser result posted a third of the price and gave the rest back with the post; an admin's {@code /refund} of
     * the job then gives back what was charged, not the price (which put the rest on his wallet a second time), and
     * says so to the admin and the user.
     */
    @Test
    void aRefundOfAJobPostedForLessGivesBackWhatWasChargedNotThePrice() {
        h.command(ShopHarness.ADMIN, "start");
        long before = h.balance(42);
        Job j = h.runningFoxImage(42);
        long charged = j.price() / 3;
        assertThat(h.shop.generations().complete(j.id(), new JobResult(List.of("https://files/out.png"),
                MediaKind.PHOTO), Optional.empty(), charged)).isPresent();
        h.deliver();
        assertThat(h.balance(42)).isEqualTo(before - charged);

        assertThat(ShopHarness.lastText(h.adminConfirmed("refund", j.id().display())))
                .contains(dev.kiebot.core.catalog.Pricing.defaults().format(charged, "en"));
        assertThat(h.balance(42)).as("what was charged came back, no more").isEqualTo(before);
        h.adminConfirmed("refund", j.id().display());
        assertThat(h.balance(42)).as("once").isEqualTo(before);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }
}

