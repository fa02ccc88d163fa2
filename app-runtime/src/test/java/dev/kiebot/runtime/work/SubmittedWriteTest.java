package dev.kiebot.runtime.work;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.SubmitRequest;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.JobWorker;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.core.testing.ForwardingProvider;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.RecordingMessenger;
import dev.kiebot.core.testing.ScriptedProvider;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.runtime.intake.ScriptedShop;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provider took the task, and the write that stores its id (SUBMITTING → SUBMITTED) fails, as a database lost at
 * that moment would: the id is written again, so the result the shop pays the provider for is delivered and charged
 * once. It lived only in a local variable: the job was refunded as cut off mid-send 5 minutes later, the provider's
 * result never delivered, and its callback found no job.
 */
class SubmittedWriteTest {
    private static final long ANN = 5_590_001;
    /** What the shop quotes Ann for an image of {@code img/m9}: 0.019 USD × 78 × 2, to the kopeck. */
    private static final long PRICE = 297;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T12:00:00Z"));
    private final RecordingMessenger messenger = new RecordingMessenger();
    private final ScriptedProvider provider = new ScriptedProvider();
    /** A task id the provider answers the next submit with instead of its own (Kie giving an id it gave before). */
    private final AtomicReference<String> nextTaskId = new AtomicReference<>();
    private FailingJobs jobs;
    private Stores stores;
    private Shop shop;
    private long updateIds = 1;

    @BeforeEach
    void emptyDatabase() {
        Stores pg = TestDatabase.emptyStores(clock);
        jobs = new FailingJobs(pg.jobs());
        stores = FailingJobs.around(pg, jobs);
        shop = ScriptedShop.builder(stores, messenger, clock).provider(new ForwardingProvider(provider) {
            @Override
            public String submit(SubmitRequest request) throws ProviderException {
                String own = super.submit(request);
                String given = nextTaskId.getAndSet(null);
                return given != null ? given : own;
            }
        }).build();
        stores.users().seen(ANN, "Ann", Optional.empty(), Optional.of("en"), clock.instant());
        stores.ledger().transfer("topup-ann", AccountId.STARS_CLEARING, AccountId.wallet(ANN), 10_000,
                TransferKind.TOP_UP_STARS);
    }

    /** A blip: the first write fails, the next one a moment later stores the task. */
    @Test
    void aBlipAfterCreateTaskLosesNoTask() {
        Job j = start();
        jobs.failNextWriteTo(JobState.SUBMITTED);
        shop.worker().runOnce(10); // the provider made task-1; the first write of SUBMITTED fails
        assertThat(job(j).taskId()).hasValue("task-1");
        assertThat(job(j).state()).isEqualTo(JobState.SUBMITTED);
        deliveredOnceAndCharged(j);
    }

    /**
     * The reviewer's scenario with the database lost for longer than the tries: the task id is kept in memory and
     * stored first when the database answers (here at the provider's callback), before the send window would refund
     * the job as cut off mid-send.
     */
    @Test
    void aLongerOutageKeepsTheTaskIdUntilTheDatabaseIsBack() {
        Job j = start();
        jobs.failNextWritesTo(JobState.SUBMITTED, 1_000);
        shop.worker().runOnce(10); // every try fails
        assertThat(provider.submitted).hasSize(1);
        assertThat(job(j).state()).isEqualTo(JobState.SUBMITTING);
        jobs.failNextWritesTo(JobState.SUBMITTED, 0); // the database is back
        provider.succeed("task-1", "https://r/cat.png");
        shop.worker().checkTask("task-1"); // the provider's callback: the task is done
        clock.advance(JobWorker.SUBMIT_WINDOW.plusSeconds(1));
        shop.worker().runOnce(10);
        assertThat(provider.submitted).as("never sent twice").hasSize(1);
        deliveredOnceAndCharged(j);
    }

    /** Stored at the next pass even without a callback. */
    @Test
    void theNextPassStoresAKeptTaskId() {
        Job j = start();
        jobs.failNextWritesTo(JobState.SUBMITTED, 1_000);
        shop.worker().runOnce(10);
        jobs.failNextWritesTo(JobState.SUBMITTED, 0);
        clock.advance(JobWorker.SUBMIT_WINDOW.plusSeconds(1));
        shop.worker().runOnce(10); // stores task-1 first, then reads it
        assertThat(job(j).taskId()).hasValue("task-1");
        provider.succeed("task-1", "https://r/cat.png");
        deliveredOnceAndCharged(j);
    }

    /**
     * The database lost for longer than the job's deadline while its task id waits in memory: the task exists at the
     * provider, so the job is not refunded at the deadline as one cut off mid-send; once the id is stored, the task is
     * read once more, and its result delivered and charged.
     */
    @Test
    void aTaskIdKeptInMemoryPastTheDeadlineIsNotRefundedAsCutOff() {
        Job j = start();
        jobs.failNextWritesTo(JobState.SUBMITTED, 1_000);
        shop.worker().runOnce(10);
        clock.advance(Duration.between(clock.instant(), j.deadline()).plusMinutes(1));
        shop.worker().runOnce(10); // the id still cannot be written
        assertThat(job(j).state()).isEqualTo(JobState.SUBMITTING);
        assertThat(stores.ledger().holdState(j.holdId())).hasValue(HoldState.PENDING);
        jobs.failNextWritesTo(JobState.SUBMITTED, 0);
        clock.advance(JobWorker.LEASE);
        assertThat(provider.submitted).as("never sent twice").hasSize(1);
        deliveredOnceAndCharged(j);
    }

    /**
     * Two task ids kept in memory, the older one's write failing again: the younger is stored in the same pass all the
     * same. The pass stopped at the first failure, so an id whose write fails for good kept every later one unstored,
     * their jobs waiting for a hold's expiry.
     */
    @Test
    void aKeptTaskIdFailingAgainDoesNotHoldBackTheNext() {
        Job first = start();
        jobs.failNextWritesTo(JobState.SUBMITTED, 1_000);
        shop.worker().runOnce(10); // task-1 made, kept
        Job second = start();
        shop.worker().runOnce(10); // task-2 made, kept
        assertThat(provider.submitted).hasSize(2);
        assertThat(job(second).state()).isEqualTo(JobState.SUBMITTING);

        jobs.failNextWritesTo(JobState.SUBMITTED, 1); // the older id's next write fails, the next ones work
        shop.worker().runOnce(10);
        assertThat(job(first).state()).isEqualTo(JobState.SUBMITTING);
        assertThat(job(second).taskId()).as("stored past the one that failed").hasValue("task-2");
        assertThat(job(second).state()).isEqualTo(JobState.SUBMITTED);

        shop.worker().runOnce(10);
        assertThat(job(first).taskId()).as("and the older at the next pass").hasValue("task-1");
    }

    /**
     * A task id kept in memory (its write failed for longer than the tries), whose write at a later pass is refused
     * because another job took the same id meanwhile (Kie gave it twice): the job fails once, refunded, with one
     * RECONCILE line, and the id is no longer kept. Kept, every later pass wrote it again and found the job failed:
     * a second RECONCILE line a pass ("created too late") for a task the operator was already told of.
     */
    @Test
    void aKeptTaskIdAnotherJobTookMeanwhileFailsItsJobOnce() {
        Job first = start();
        jobs.failNextWritesTo(JobState.SUBMITTED, 1_000);
        shop.worker().runOnce(10); // task-1 made, its write failing: kept in memory
        assertThat(job(first).state()).isEqualTo(JobState.SUBMITTING);

        Job second = start();
        jobs.failNextWritesTo(JobState.SUBMITTED, 1); // the kept id's write fails again (a blip), the next works
        nextTaskId.set("task-1"); // the provider gives the second job the first's task id
        shop.worker().runOnce(10);
        assertThat(job(second).taskId()).hasValue("task-1");
        assertThat(job(first).state()).as("its id still kept").isEqualTo(JobState.SUBMITTING);

        for (int pass = 0; pass < 3; pass++) { // the kept id's write is refused: the id is another job's
            clock.advance(Duration.ofSeconds(30));
            shop.worker().runOnce(10);
        }
        assertThat(job(first).state()).isEqualTo(JobState.FAILED);
        assertThat(job(first).taskId()).isEmpty();
        assertThat(stores.ledger().holdState(first.holdId())).hasValue(HoldState.VOIDED);
        assertThat(stores.audit().byCorrelation(first.id().display())).filteredOn(e -> e.action().equals("gen.reconcile"))
                .singleElement().satisfies(e -> assertThat(e.detail()).contains("task-1", second.id().display()));
        assertThat(job(second).taskId()).as("the task's other job keeps it").hasValue("task-1");
        assertThat(job(second).state()).isIn(JobState.SUBMITTED, JobState.RUNNING);
    }

    private void deliveredOnceAndCharged(Job j) {
        provider.succeed("task-1", "https://r/cat.png");
        shop.worker().checkTask("task-1");
        clock.advance(Duration.ofSeconds(30));
        shop.worker().runOnce(10);
        shop.sender().drain(100);
        List<Reply> sent = messenger.drain();
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(stores.ledger().holdState(j.holdId())).hasValue(HoldState.POSTED);
        assertThat(stores.ledger().balance(AccountId.wallet(ANN)).available()).isEqualTo(10_000 - PRICE);
        assertThat(sent.stream().filter(Reply.SendMedia.class::isInstance).count()).as("the result, once").isEqualTo(1);
    }

    /** Ann orders an image of img/m9, as a user does. */
    private Job start() {
        send(press("*|g|img/m9"));
        String aspect = ShopHarness.button(send(new Event.Text("a cat")), "1:1");
        send(press(ShopHarness.button(send(press(aspect)), "Generate")));
        Job j = stores.jobs().recent(ANN, 1).get(0);
        assertThat(j.state()).isEqualTo(JobState.HELD);
        return j;
    }

    private List<Reply> send(Event event) {
        messenger.drain();
        shop.storefront().serve(new Incoming(updateIds++, new Actor(ANN, ANN, "Ann", Optional.empty(),
                Optional.of("en")), event));
        shop.sender().drain(100);
        return messenger.drain();
    }

    private Event press(String data) {
        return new Event.Callback("q" + updateIds, data, Optional.of(1L));
    }

    private Job job(Job j) {
        return stores.jobs().find(j.id()).orElseThrow();
    }
}
