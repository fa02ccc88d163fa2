package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.postgres.testing.PgShops;
import org.junit.jupiter.api.Test;

/**
 * core-testing's {@code ShopHarness} over stores of one's own, as a partner runs it on his: here kiebot's PostgreSQL
 * stores, through a whole paid generation, a support ticket answered and an admin's credit confirmed.
 */
class PgShopHarnessTest {
    private static final long U = 42;

    @Test
    void theHarnessFlowsRunOnPostgres() {
        ShopHarness h = PgShops.startedByAdminAnd(U);
        assertThat(h.stores.users().find(U)).isPresent();
        h.topUp(U, 10_000);

        Job job = h.finishedFoxImage(U, new dev.kiebot.core.jobs.TaskStatus.Succeeded(new dev.kiebot.core.jobs.JobResult(
                java.util.List.of("https://files/out.png"), dev.kiebot.core.jobs.MediaKind.PHOTO)));
        assertThat(job.state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.balance(U)).isEqualTo(10_000 - job.price());
        // «📤 Получить» asks the chat's queue (PgPendingReplies.resultWaiting) in the press's transaction: no result
        // of the job waits, so it goes again
        assertThat(h.press(U, "*|r|" + job.id().display()))
                .anyMatch(dev.kiebot.core.reply.Reply.SendMedia.class::isInstance);

        h.command(U, "paysupport");
        h.text(U, "Where is my picture?");
        long ticket = h.stores.supportTickets().recent(U, 1).get(0).id();
        assertThat(ShopHarness.lastTextTo(h.admin("reply", ticket + " It is in the chat above."), ShopHarness.ADMIN))
                .contains("is sent");

        // an admin's credit waits in his chat's stored session for its press, and moves once however often pressed
        long before = h.balance(U);
        java.util.List<dev.kiebot.core.reply.Reply> asked = h.admin("topup_user", U + " 25");
        assertThat(h.balance(U)).isEqualTo(before);
        String credit = ShopHarness.button(asked, "Credit");
        assertThat(ShopHarness.lastTextTo(h.press(ShopHarness.ADMIN, credit), ShopHarness.ADMIN)).startsWith("Done:");
        assertThat(ShopHarness.lastTextTo(h.press(ShopHarness.ADMIN, credit), ShopHarness.ADMIN))
                .contains("Nothing was credited again");
        assertThat(h.balance(U)).isEqualTo(before + 2_500);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }
}
