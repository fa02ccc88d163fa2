package dev.kiebot.runtime.work;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.SubmitRequest;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.core.testing.ForwardingProvider;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.RecordingMessenger;
import dev.kiebot.core.testing.ScriptedProvider;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.runtime.intake.ScriptedShop;
import dev.kiebot.runtime.loops.SafetyPoll;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * One task whose status reads hang holds one job thread, not every job: a new order still reaches the provider, and a
 * job past its deadline is still failed and refunded, while the read hangs. On one thread, a hung read of Kie (three
 * attempts of 40 s) kept a new paid order 83 s from Kie, and with N such tasks a pass took N times that.
 */
class JobThreadsTest {
    private static final long ANN = 5_580_001;
    /** Long enough for a thread to be woken and take a step, short of the hung read's release. */
    private static final long PROMPTLY_SECONDS = 20;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
    private final RecordingMessenger messenger = new RecordingMessenger();
    private final ScriptedProvider scripted = new ScriptedProvider();
    /** Reads of task-1 wait here until released, as a read of a task Kie does not answer for. */
    private final CountDownLatch hungReadEntered = new CountDownLatch(1);
    private final CountDownLatch hungReadRelease = new CountDownLatch(1);
    /** Counts down at each createTask. */
    private final CountDownLatch secondSubmit = new CountDownLatch(2);
    private long updateIds = 1;

    private final ForwardingProvider provider = new ForwardingProvider(scripted) {
        @Override
        public String submit(SubmitRequest request) throws ProviderException {
            String task = super.submit(request);
            secondSubmit.countDown();
            return task;
        }

        @Override
        public TaskStatus statusOnce(Model model, String taskId, java.util.Map<String, String> chosen)
                throws ProviderException {
            if (taskId.equals("task-1")) {
                hungReadEntered.countDown();
                try {
                    hungReadRelease.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.statusOnce(model, taskId, chosen);
        }
    };

    @Test
    void aHungStatusReadHoldsBackNeitherANewOrderNorADeadline() throws Exception {
        Stores stores = TestDatabase.emptyStores(clock);
        Shop shop = ScriptedShop.builder(stores, messenger, clock).provider(provider).build();
        stores.users().seen(ANN, "Ann", Optional.empty(), Optional.of("en"), clock.instant());
        stores.ledger().transfer("topup-ann", AccountId.STARS_CLEARING, AccountId.wallet(ANN), 10_000,
                TransferKind.TOP_UP_STARS);
        BackgroundWork work = new BackgroundWork(shop, provider, clock,
                SafetyPoll.DEFAULT, quiet -> { });
        work.start();
        try {
            Job first = order(shop, stores, work);
            await("the first order submitted", () -> find(stores, first).state() == JobState.SUBMITTED);
            clock.advance(Duration.ofMinutes(1)); // its first status read is due
            work.wakeJobs();
            assertThat(hungReadEntered.await(PROMPTLY_SECONDS, TimeUnit.SECONDS)).as("the read of task-1 hangs").isTrue();

            Job second = order(shop, stores, work);
            assertThat(secondSubmit.await(PROMPTLY_SECONDS, TimeUnit.SECONDS))
                    .as("the second order reaches the provider while task-1's read hangs").isTrue();
            assertThat(hungReadRelease.getCount()).isEqualTo(1);
            await("the second order submitted", () -> find(stores, second).state() == JobState.SUBMITTED);

            // past both jobs' deadlines, short of their holds' (HOLD_MARGIN later): an hour on, the expiries' periodic
            // run could void the second hold before the worker did (EXPIRED, not VOIDED), as it did on a loaded machine
            clock.advance(Duration.between(clock.instant(), second.deadline()).plusMinutes(1));
            // task-2 still running at the provider
            work.wakeJobs(); // two threads: task-1's job, due again, takes one back to its hung read
            work.wakeJobs();
            await("the second job failed at its deadline", () -> find(stores, second).state() == JobState.FAILED);
            assertThat(stores.ledger().holdState(second.holdId())).hasValue(HoldState.VOIDED);
            assertThat(hungReadRelease.getCount()).as("all while task-1's read hung").isEqualTo(1);
        } finally {
            hungReadRelease.countDown();
            work.close();
        }
    }

    /** Ann orders an image of img/m9, as a user does; the storefront wakes the job threads as a commit would. */
    private Job order(Shop shop, Stores stores, BackgroundWork work) {
        messenger.drain();
        serve(shop, press("*|g|img/m9"));
        shop.sender().drain(100);
        serve(shop, new Event.Text("a cat"));
        shop.sender().drain(100);
        serve(shop, press(ShopHarness.button(messenger.drain(), "1:1")));
        shop.sender().drain(100);
        serve(shop, press(ShopHarness.button(messenger.drain(), "Generate")));
        shop.sender().drain(100);
        messenger.drain();
        Job job = stores.jobs().recent(ANN, 1).get(0);
        work.wakeJobs();
        return job;
    }

    private void serve(Shop shop, Event event) {
        shop.storefront().serve(new Incoming(updateIds++, new Actor(ANN, ANN, "Ann", Optional.empty(),
                Optional.of("en")), event));
    }

    private Event press(String data) {
        return new Event.Callback("q" + updateIds, data, Optional.of(1L));
    }

    private static Job find(Stores stores, Job j) {
        return stores.jobs().find(j.id()).orElseThrow();
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROMPTLY_SECONDS);
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime() - until).as(what).isNegative();
            Thread.sleep(20);
        }
    }
}
