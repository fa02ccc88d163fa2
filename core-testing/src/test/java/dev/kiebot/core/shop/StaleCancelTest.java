package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A «✖ Отменить» pressed under a status message after its job ended (the button stays on the message) answers what
 * happened to the job. It said «уже генерируется — отменить нельзя» of a job delivered hours before, or of one that
 * failed with its money back, as if it still ran.
 */
class StaleCancelTest {
    private static final long U = 42;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))
                .withAdmission(AdmissionPolicy.off()));
        h.command(ShopHarness.ADMIN, "start");
        h.command(U, "start");
        h.topUp(U, 10_000);
    }

    @AfterEach
    void ledgerKeepsItsInvariants() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    private String cancel(Job job) {
        long balance = h.balance(U);
        String answer = lastText(h.press(U, CallbackData.evergreen(CallbackAction.CANCEL_JOB, job.id().display())));
        assertThat(h.balance(U)).as("a press too late moves nothing").isEqualTo(balance);
        return answer;
    }

    private Job delivered() {
        return h.finishedFoxImage(U, new TaskStatus.Succeeded(new JobResult(List.of("https://f/o.png"),
                MediaKind.PHOTO)));
    }

    @Test
    void aDeliveredJobIsDoneNotBeingGenerated() {
        Job job = delivered();
        assertThat(job.state()).isEqualTo(JobState.DELIVERED);

        assertThat(cancel(job)).isEqualTo("Generation " + job.id().display()
                + " is already done, there is nothing to cancel: its result was sent to this chat.");
    }

    @Test
    void aDeliveredJobRefundedBySupportSaysItsMoneyCameBack() {
        Job job = delivered();
        h.adminConfirmed("refund", job.id().display());
        assertThat(h.balance(U)).isEqualTo(10_000);

        assertThat(cancel(job)).isEqualTo("Generation " + job.id().display()
                + " is already done, and its money was given back to you: there is nothing to cancel.");
    }

    /**
     * A delivered job paid by Stars whose refund went wholly against the loss of Telegram's refund of that payment (the
     * user has it back in Stars): no {@code refund:<hold>}, so the press answered «уже готова» as if nothing came back.
     */
    @Test
    void aDeliveredJobRefundedWhollyInStarsSaysItsMoneyCameBack() {
        long c = 44;
        h.command(c, "start");
        String payload = h.paid50Stars(c, "ch-c");
        Job job = h.finishedFoxImage(c, new TaskStatus.Succeeded(new JobResult(List.of("https://f/o.png"),
                MediaKind.PHOTO)));
        assertThat(h.stores.ledger().transfer("spent", AccountId.wallet(c), AccountId.REVENUE, h.balance(c),
                TransferKind.GENERATION).succeeded()).isTrue();
        h.clock.advance(Duration.ofMinutes(1));
        h.send(c, new Event.RefundedPayment("ch-c", payload, "XTR", 50));
        h.adminConfirmed("refund", job.id().display());
        assertThat(JobRefundParts.of(h.stores.ledger(), job.holdId(), c))
                .as("refunded wholly in Stars").isEqualTo(new JobRefundParts(0, job.price()));

        String answer = lastText(h.press(c, CallbackData.evergreen(CallbackAction.CANCEL_JOB, job.id().display())));
        assertThat(h.balance(c)).as("a press too late moves nothing").isZero();
        assertThat(answer).isEqualTo("Generation " + job.id().display()
                + " is already done, and its money was given back to you: there is nothing to cancel.");
    }

    /**
     * A result made while the user had blocked the bot never reached his chat (noted dropped, offered at his return
     * with «📤»): a stale «✖ Отменить» pressed then said «результат прислан в этот чат». It says the result may not
     * have reached the chat, with the button that sends it.
     */
    @Test
    void aDeliveredJobWhoseResultNeverReachedTheChatDoesNotSayItWasSent() {
        Job running = h.runningFoxImage(U);
        h.messenger.drain();
        h.messenger.thenAnswer(new Delivery.Blocked());
        h.provider.set(running.taskId().orElseThrow(), new TaskStatus.Succeeded(new JobResult(
                List.of("https://f/o.png"), MediaKind.PHOTO)));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(h.stored(running).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.messenger.of(Reply.SendMedia.class)).as("dropped with his queue").isEmpty();
        h.send(U, new Event.MembershipChanged(false)); // back: the result offered with «📤»

        long balance = h.balance(U);
        List<Reply> answer = h.press(U, CallbackData.evergreen(CallbackAction.CANCEL_JOB, running.id().display()));
        assertThat(h.balance(U)).as("a press too late moves nothing").isEqualTo(balance);
        assertThat(lastText(answer)).isEqualTo("Generation " + running.id().display()
                + " is already done, there is nothing to "
                + "cancel. Its result may not have reached this chat: the button below sends it.");
        assertThat(h.press(U, ShopHarness.button(answer, "📤 Send " + running.id().display() + " again")))
                .filteredOn(Reply.SendMedia.class::isInstance).map(Reply.SendMedia.class::cast)
                .extracting(Reply.SendMedia::source).containsExactly("https://f/o.png");
        assertThat(cancel(running)).as("sent now").isEqualTo("Generation " + running.id().display()
                + " is already done, there is nothing to cancel: its result was sent to this chat.");
    }

    @Test
    void aFailedJobSaysItFailedAndItsMoneyCameBack() {
        Job running = h.runningFoxImage(U);
        h.provider.set(running.taskId().orElseThrow(), new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "boom"));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(h.stored(running).state()).isEqualTo(JobState.FAILED);
        assertThat(h.balance(U)).isEqualTo(10_000);

        assertThat(cancel(running)).isEqualTo("Generation " + running.id().display()
                + " failed, and its money was given back to you: there is nothing to cancel.");
    }

    /**
     * A free start past the day's limit is refused and stored failed ({@code free.limit_reached}): no free use was
     * taken, none came back. A press of «✖ Отменить» of it (the job's number, in a forged or replayed press) said
     * «не удалась, бесплатная генерация вернулась»; it never started.
     */
    @Test
    void aFreeJobRefusedAtTheDailyLimitNeverStartedAndTookNothing() {
        java.time.LocalDate day = java.time.LocalDate.of(2026, 11, 21);
        for (int i = 0; i < 5; i++) {
            assertThat(h.stores.freeUsage().tryUse(U, day, 5, "earlier-" + i)).isTrue();
        }
        Generations.Start s = h.shop.generations().start(h.stores.users().find(U).orElseThrow(), U,
                new dev.kiebot.core.conversation.Effect.StartJob("img/m1", "default", java.util.Map.of("prompt", "x"),
                        java.util.Map.of(), 0, true));
        assertThat(s).isInstanceOf(Generations.Start.FreeLimitReached.class);
        Job refused = h.lastJob(U);
        assertThat(refused.state()).isEqualTo(JobState.FAILED);
        assertThat(refused.free()).isTrue();

        assertThat(cancel(refused)).isEqualTo("Generation " + refused.id().display()
                + " did not start, and nothing was charged for it: there is nothing to cancel.");
        assertThat(h.stores.freeUsage().used(U, day)).as("no free use given back").isEqualTo(5);
    }

    @Test
    void aJobCancelledAlreadySaysSoAndAStillRunningOneIsBeingGenerated() {
        h.orderAFoxImage(U);
        Job queued = h.lastJob(U);
        h.press(U, CallbackData.evergreen(CallbackAction.CANCEL_JOB, queued.id().display()));
        assertThat(h.stored(queued).state()).isEqualTo(JobState.FAILED);
        assertThat(cancel(queued)).isEqualTo("Generation " + queued.id().display() + " is already cancelled.");

        Job running = h.runningFoxImage(U);
        assertThat(cancel(running)).startsWith("Generation " + running.id().display() + " is already being generated");
    }
}
