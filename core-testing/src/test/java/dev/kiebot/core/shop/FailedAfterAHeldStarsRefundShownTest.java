package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.testing.ShopHarness;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A paid job that failed after Telegram reported the Stars refund of the payment its hold kept (review Q1): its void
 * gave that money to the Stars ({@code stars-held:<charge>:<hold>}), not to the balance. {@code /history} said
 * «refunded» (the balance implied) and the admin's {@code /find} of the job had no line for where it went.
 */
class FailedAfterAHeldStarsRefundShownTest {
    private static final long U = 42;

    private static Job failedAfterAHeldReport(ShopHarness h) {
        h.command(ShopHarness.ADMIN, "start");
        h.command(U, "start");
        String payload = h.paid50Stars(U, "ch-1");
        Job job = h.runningFoxImage(U);
        h.send(U, new Event.RefundedPayment("ch-1", payload, "XTR", 50));
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "boom"));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.deliver();
        assertThat(h.balance(U)).as("the void's money went to the Stars").isZero();
        return job;
    }

    @Test
    void historySaysItCameBackInStars() {
        ShopHarness h = new ShopHarness();
        failedAfterAHeldReport(h);
        String history = lastText(h.command(U, "history"));
        assertThat(history).as("«2.97 ₽ refunded» read as to his balance").containsPattern("2\\.97.₽ refunded in Stars");
    }

    @Test
    void findOfTheJobShowsWhereItsMoneyWent() {
        ShopHarness h = new ShopHarness();
        Job job = failedAfterAHeldReport(h);
        String find = lastText(h.admin("find", job.id().display()));
        assertThat(find).as("its stars-held line: the void's money to the Stars payments")
                .contains("balance of User42 (id 42) → Stars payments (Stars refund, payment ch-1)");
    }
}
