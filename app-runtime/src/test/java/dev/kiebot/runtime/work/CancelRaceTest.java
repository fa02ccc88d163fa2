package dev.kiebot.runtime.work;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.shop.Generations;
import dev.kiebot.core.shop.JobWorker;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.RecordingMessenger;
import dev.kiebot.core.testing.ScriptedProvider;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.runtime.intake.ScriptedShop;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A user's Cancel and the worker sending the same job to Kie, on the real PostgreSQL: the money goes back only for
 * a job that surely did not go out. Refunding a job whose createTask was on its way left the shop paying Kie for a
 * result the user had been told was cancelled.
 */
class CancelRaceTest {
    private static final long ANN = 5_570_002;
    private static final long PRICE = 300;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
    private final RecordingMessenger messenger = new RecordingMessenger();
    private final ScriptedProvider provider = new ScriptedProvider();
    private FailingJobs jobs;
    private Stores stores;
    private Shop shop;

    @BeforeEach
    void emptyDatabase() {
        Stores pg = TestDatabase.emptyStores(clock);
        jobs = new FailingJobs(pg.jobs());
        stores = FailingJobs.around(pg, jobs);
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
