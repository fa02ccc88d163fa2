package dev.kiebot.kie;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.kie.fake.FakeKieServer;
import dev.kiebot.kie.fake.FakeKieServer.Endpoint;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A shop on the Kie adapter, against the fake Kie on 127.0.0.1, when Kie answers a status read with "Task not found"
 * (404) or with "success" but no result URL: the user is refunded when that is surely the end, not before, and once.
 * The shop's test clock stands for time; the shop reads every 5 s ({@code ShopHarness}'s poll policy).
 */
class LostAndEmptyTasksTest extends ShopOverFakeKie {
    /** What the harness's shop quotes for the image of {@code img/m9}: 0.019 USD × 78 × 2, to the kopeck. */
    private static final long PRICE = 297;
    private static final String SUCCESS_WITHOUT_URLS = "{\"code\":200,\"msg\":\"Playground task completed successfully.\","
            + "\"data\":{\"taskId\":\"%s\",\"model\":\"img/m9\",\"state\":\"success\",\"param\":\"{}\","
            + "\"resultJson\":\"{\\\"resultUrls\\\":[]}\",\"costTime\":8,\"creditsConsumed\":4}}";

    /**
     * User 42 orders an image of img/m9 in the harness's chat, as a user does; the shop on Kie, over the same stores,
     * sends it and reads it: two instances of one bot.
     */
    private Job start() {
        h.orderAFoxImage(42);
        return h.lastJob(42);
    }

    /**
     * Kie lost the task: every read answers 404. It was read until the deadline (10 minutes for an image, 30 for a
     * video); now for 3 minutes after its submission, then the job fails, the user is refunded once and told so.
     */
    @Test
    void aTaskKieLostIsRefundedAfterThreeMinutesNotBeforeAndOnce() {
        Job j = start();
        pass(Duration.ZERO);
        kie.lose(taskOf(j));
        for (int second = 5; second < 180; second += 5) {
            pass(Duration.ofSeconds(5));
            assertThat(job(j).state()).as("%d s after the submission", second)
                    .isIn(JobState.SUBMITTED, JobState.RUNNING);
        }
        assertThat(h.balance(42)).isEqualTo(10_000 - PRICE);
        h.messenger.drain();

        pass(Duration.ofSeconds(5));
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(h.balance(42)).isEqualTo(10_000);
        assertThat(h.stores.ledger().holdState(job(j).holdId())).contains(HoldState.VOIDED);
        // the status's last line, then the one notice of the failure and its refund
        assertThat(h.messenger.of(Reply.SendText.class)).singleElement()
                .satisfies(t -> assertThat(t.text()).contains("could not make it", "2.97\u00A0₽"));
        assertThat(h.stores.audit().byCorrelation(j.id().display())).extracting(e -> e.action())
                .contains("gen.reconcile");

        int reads = kie.count(Endpoint.RECORD_INFO);
        h.messenger.drain();
        pass(Duration.ofMinutes(30));
        shop.worker().sweepExpiredHolds(10);
        assertThat(kie.count(Endpoint.RECORD_INFO)).as("no read after the refund").isEqualTo(reads);
        assertThat(h.balance(42)).isEqualTo(10_000);
        assertThat(h.messenger.texts()).isEmpty();
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /** Kie said "success" with no result URL, and the next read had it: the user gets the result, paid once. */
    @Test
    void aSuccessWithoutUrlsIsReadAgainAndDeliveredWhenTheUrlsAppear() {
        Job j = start();
        pass(Duration.ZERO);
        kie.succeedWithoutResult(taskOf(j));
        pass(Duration.ofSeconds(5));
        assertThat(job(j).state()).isIn(JobState.SUBMITTED, JobState.RUNNING);
        assertThat(h.balance(42)).isEqualTo(10_000 - PRICE);

        kie.succeed(taskOf(j), "https://tempfile.example/cat.png");
        pass(Duration.ofSeconds(5));
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.stores.ledger().holdState(job(j).holdId())).contains(HoldState.POSTED);
        assertThat(h.messenger.of(Reply.SendMedia.class)).extracting(Reply.SendMedia::source)
                .containsExactly("https://tempfile.example/cat.png");
    }

    /** A success that never gets its URLs: read 3 times more, then refunded once, and Kie is asked no more. */
    @Test
    void aSuccessThatNeverGetsUrlsIsRefundedOnceAfterThreeFurtherReads() {
        Job j = start();
        pass(Duration.ZERO);
        kie.succeedWithoutResult(taskOf(j));
        for (int read = 1; read <= 1 + 3; read++) {
            assertThat(job(j).state()).as("before read %d", read).isIn(JobState.SUBMITTED, JobState.RUNNING);
            pass(Duration.ofSeconds(5));
        }
        assertThat(kie.task(taskOf(j)).statusReads()).isEqualTo(1 + 3);
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(h.balance(42)).isEqualTo(10_000);

        h.messenger.drain();
        pass(Duration.ofMinutes(30));
        shop.worker().checkTask(taskOf(j));
        shop.worker().sweepExpiredHolds(10);
        assertThat(h.balance(42)).isEqualTo(10_000);
        assertThat(h.messenger.texts()).isEmpty();
        assertThat(h.stores.audit().byCorrelation(j.id().display())).extracting(e -> e.action())
                .containsOnlyOnce("gen.failed");
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * Kie made the task and charged for it, but its result cannot be read: a {@code resultJson} that is not JSON. Read
     * until the deadline before (10 minutes for an image) and refunded with no word to the operator; now read 3 times
     * more as a success without a result, then refunded once with a RECONCILE line.
     */
    @Test
    void aSuccessWhoseResultCannotBeReadIsRefundedAfterThreeFurtherReadsWithAReconcileLine() {
        Job j = start();
        pass(Duration.ZERO);
        String task = taskOf(j);
        kie.succeed(task, "https://tempfile.example/cat.png");
        String answer = "{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"" + task
                + "\",\"model\":\"img/m9\",\"state\":\"success\",\"param\":\"{}\",\"resultJson\":\"{not json\"}}";
        for (int read = 1; read <= 1 + 3; read++) {
            assertThat(job(j).state()).as("before read %d", read).isIn(JobState.SUBMITTED, JobState.RUNNING);
            kie.enqueue(Endpoint.RECORD_INFO, FakeKieServer.Reply.ok(answer));
            pass(Duration.ofSeconds(5));
        }
        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(h.balance(42)).isEqualTo(10_000);
        assertThat(h.stores.audit().byCorrelation(j.id().display())).extracting(e -> e.action())
                .containsOnlyOnce("gen.reconcile", "gen.failed");
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * Kie answers the status read of a task it is still making with code 200 and no data object (or {@code data: null})
     * four times: a task its store has not recorded yet, or a blip. That says nothing of the task: read again, never
     * taken for a done task without a result (which refunded the job ~20 s after its submission while Kie went on to
     * make it and charge for it); when Kie's answer comes back, the result is delivered and paid once.
     */
    @Test
    void aStatusAnswerWithNoDataIsReadAgainNotRefunded() {
        Job j = start();
        pass(Duration.ZERO);
        String task = taskOf(j);
        for (String dataLess : new String[] {"{\"code\":200,\"msg\":\"success\",\"data\":null}",
                "{\"code\":200,\"msg\":\"success\"}", "{\"code\":200,\"msg\":\"success\",\"data\":null}",
                "{\"code\":200,\"msg\":\"success\"}"}) {
            kie.enqueue(Endpoint.RECORD_INFO, FakeKieServer.Reply.ok(dataLess));
            pass(Duration.ofSeconds(5));
            assertThat(job(j).state()).as(dataLess).isIn(JobState.SUBMITTED, JobState.RUNNING);
        }
        assertThat(h.balance(42)).isEqualTo(10_000 - PRICE);

        kie.succeed(task, "https://tempfile.example/cat.png");
        for (int read = 0; read < 6 && job(j).state() != JobState.DELIVERED; read++) {
            pass(Duration.ofSeconds(5));
        }
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.stores.ledger().holdState(job(j).holdId())).contains(HoldState.POSTED);
        assertThat(h.balance(42)).isEqualTo(10_000 - PRICE);
        assertThat(h.messenger.of(Reply.SendMedia.class)).extracting(Reply.SendMedia::source)
                .containsExactly("https://tempfile.example/cat.png");
        assertThat(h.stores.audit().byCorrelation(j.id().display())).extracting(e -> e.action())
                .doesNotContain("gen.reconcile", "gen.failed");
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * Kie's callback says "success" with no result URL (delivered twice, as Kie may): the shop reads the task, and
     * does not refund it; the result of a later read is delivered.
     */
    @Test
    void aCallbackOfASuccessWithoutUrlsLeadsToAReadNotARefund() {
        Job j = start();
        pass(Duration.ZERO);
        String task = taskOf(j);
        kie.succeedWithoutResult(task);
        KieCallbacks callbacks = new KieCallbacks(Optional.empty(), Clock.systemUTC());
        byte[] body = String.format(SUCCESS_WITHOUT_URLS, task).getBytes(StandardCharsets.UTF_8);
        int reads = kie.task(task).statusReads();
        for (int delivery = 0; delivery < 2; delivery++) {
            callbacks.taskIdToRecheck(body, Map.of()).ifPresent(shop.worker()::checkTask);
        }
        assertThat(kie.task(task).statusReads()).as("the callback leads to a read").isGreaterThan(reads);
        assertThat(job(j).state()).isIn(JobState.SUBMITTED, JobState.RUNNING);
        assertThat(h.balance(42)).isEqualTo(10_000 - PRICE);

        kie.succeed(task, "https://tempfile.example/cat.png");
        pass(Duration.ofSeconds(5));
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.balance(42)).isEqualTo(10_000 - PRICE);
    }
}
