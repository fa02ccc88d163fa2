package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.testing.ShopHarness;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A job's line in the admins' lists (/find of a job and of its user, a support ticket) says what the job cost its user,
 * as his /history does: a job refunded after its charge, or failed, says «возвращено». It showed the order's price,
 * which read as money kept.
 */
class AdminJobLineTest {
    private static final long U = 42;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(U, "start");
        h.topUp(U, 10_000);
        h.command(ShopHarness.ADMIN, "start");
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
    }

    private String jobLine(Job j) {
        return lastText(h.admin("find", j.id().display())).lines().findFirst().orElseThrow();
    }

    private String lineOnUsersPage(Job j) {
        return lastText(h.admin("find", Long.toString(U))).lines().filter(l -> l.contains(j.id().display() + " · "))
                .findFirst().orElseThrow();
    }

    private Job delivered() {
        Job job = h.runningFoxImage(U);
        h.provider.succeed(job.taskId().orElseThrow(), "https://r/fox.png");
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(h.stored(job).state()).isEqualTo(JobState.DELIVERED);
        return h.stored(job);
    }

    @Test
    void aDeliveredJobRefundedByAnAdminSaysItCameBack() {
        Job job = delivered();
        String price = h.shop.pricing().format(job.price(), "ru");
        assertThat(jobLine(job)).endsWith(" · доставлена · " + price);

        h.adminConfirmed("refund", job.id().display());
        assertThat(h.balance(U)).isEqualTo(10_000);

        assertThat(jobLine(job)).endsWith(" · доставлена · возвращено " + price);
        assertThat(lineOnUsersPage(job)).endsWith(" · доставлена · возвращено " + price);
    }

    @Test
    void aJobFailedAtItsDeadlineSaysItsPriceCameBack() {
        Job job = h.runningFoxImage(U);
        h.clock.advance(Duration.between(h.clock.instant(), h.stored(job).deadline()).plusSeconds(1));
        h.work(10);
        assertThat(h.stored(job).state()).isEqualTo(JobState.FAILED);
        String price = h.shop.pricing().format(job.price(), "ru");

        assertThat(jobLine(job)).contains(" · возвращено " + price);
        assertThat(lineOnUsersPage(job)).contains(" · возвращено " + price);
    }
}
