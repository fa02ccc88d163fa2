package dev.kiebot.kie;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.kie.fake.FakeKieServer;
import dev.kiebot.kie.fake.FakeKieServer.Endpoint;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kie refuses a createTask with a 429 (it "will not enter the queue": no task) and the process is killed right after.
 * The adapter retried such a refusal inside {@code submit}, after a backoff, the job SUBMITTING meanwhile: a kill in
 * the backoff left a job that never reached Kie waiting for a callback that could not come, its money held until its
 * deadline (10 minutes for an image), then refunded with a RECONCILE line for a task that never was. Now the shop's
 * send is one attempt: the refusal comes back at once, the job goes back to HELD, and whatever worker runs next (the
 * restarted process's) sends it once more after a permit of its own, a second or so later.
 */
class RefusedCreateTaskAndAKillTest {
    private static final String BASE = "https://bot.example/kie/callback/secret-token";
    private static final long PRICE = 297;

    private FakeKieServer kie;
    private ShopHarness h;
    private final ExecutorService killed = Executors.newSingleThreadExecutor();

    @BeforeEach
    void setUp() {
        kie = FakeKieServer.start();
        h = new ShopHarness();
        h.command(42, "start");
        h.topUp(42, 10_000);
    }

    @AfterEach
    void tearDown() {
        killed.shutdownNow();
        kie.close();
    }

    private Job job(Job j) {
        return h.stores.jobs().find(j.id()).orElseThrow();
    }

    /** A process's Kie adapter, as {@code KieProvider.create} wires it, with a backoff nothing outlives. */
    private Shop instance() {
        KieProvider kieProvider = KieTestSupport.provider(KieTestSupport.config(kie).submitAttempts(3)
                .retryBackoff(Duration.ofHours(1), Duration.ofHours(1)).build());
        return h.anotherInstance(s -> s, b -> b.provider(kieProvider).callbackUrl(Optional.of(BASE)));
    }

    @Test
    void aJobKieRefusedWithA429IsHeldAtOnceAndSentOnceByTheNextWorkerAfterAKill() throws Exception {
        h.orderAFoxImage(42);
        Job j = h.lastJob(42);
        kie.enqueue(Endpoint.CREATE_TASK, FakeKieServer.Reply.error(429, "Rate limit exceeded"));

        Shop first = instance();
        Future<Integer> pass = killed.submit(() -> first.worker().runOnce(10));
        try {
            pass.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException stillInTheBackoff) {
            // the adapter waits to retry, the job SUBMITTING: the process is killed here
        }
        assertThat(kie.count(Endpoint.CREATE_TASK)).as("Kie refused the one send").isEqualTo(1);
        assertThat(job(j).state()).as("nothing at Kie: back to HELD, no wait for a callback").isEqualTo(JobState.HELD);
        assertThat(job(j).awaitsTask()).isFalse();

        // the restarted process, a second later (long before the job's deadline)
        Shop restarted = instance();
        h.clock.advance(Duration.ofSeconds(1));
        restarted.worker().runOnce(10);
        assertThat(job(j).state()).isEqualTo(JobState.SUBMITTED);
        assertThat(kie.taskIds()).as("one task made").hasSize(1);
        assertThat(kie.count(Endpoint.CREATE_TASK)).as("the refused send and the one Kie took").isEqualTo(2);
        assertThat(h.stores.ledger().holdState(j.holdId())).contains(HoldState.PENDING);
        assertThat(h.balance(42)).isEqualTo(10_000 - PRICE);

        String task = kie.taskIds().get(0);
        kie.succeed(task, "https://r/fox.png");
        restarted.worker().checkTask(task, Optional.of(j.id().display()));
        restarted.worker().runOnce(10);
        h.deliver();
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.messenger.of(Reply.SendMedia.class)).singleElement()
                .satisfies(m -> assertThat(m.source()).isEqualTo("https://r/fox.png"));
        assertThat(h.balance(42)).as("charged once").isEqualTo(10_000 - PRICE);
        assertThat(h.stores.audit().byCorrelation(j.id().display())).extracting(e -> e.action())
                .doesNotContain("gen.awaiting_callback", "gen.reconcile", "gen.failed");
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }
}
