package dev.kiebot.postgres;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.postgres.testing.PgShops;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What people read of a job's refund that went against a Stars refund's loss, through the real PostgreSQL stores (the
 * held refunds of a charge, the loss account's transfers): /find of the payment lists the loss of what the job's hold
 * kept, /find of the job its refund against the loss, in Stars, the admin's reply and /history say the Stars.
 */
class PgStarsRefundShownTest {
    private static final long U = 42;
    private static final String CH = "ch-1";
    private ShopHarness h;
    private String payload;

    @BeforeEach
    void paid() {
        h = PgShops.startedByAdminAnd(U);
        payload = h.paid50Stars(U, CH); // 75 ₽
    }

    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    private static String money(long minor) {
        return String.format(java.util.Locale.ROOT, "%d.%02d\u00A0₽", minor / 100, minor % 100);
    }

    @Test
    void aJobDeliveredAfterAHeldReportThenRefundedReadsAsStarsEverywhere() {
        Job job = h.runningFoxImage(U);
        h.send(U, new Event.RefundedPayment(CH, payload, "XTR", 50));
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Succeeded(new JobResult(
                List.of("https://files/out.png"), MediaKind.PHOTO)));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.deliver();
        String price = money(job.price());
        assertThat(lastText(h.admin("find", CH))).as("the loss of what the job's hold kept")
                .contains(price + " · losses on Stars refunds → Stars payments (Stars refund beyond the balance, "
                        + "payment " + CH + ")");

        String id = job.id().display();
        assertThat(ShopHarness.lastTextTo(h.adminConfirmed("refund", id), ShopHarness.ADMIN))
                .contains(price + " for " + id + " returned to ", "(id " + U + "): " + price + " in Stars");
        assertThat(lastText(h.admin("find", id)))
                .contains("(refund for " + id + " against the Stars refund of payment " + CH)
                .contains("money returned: " + price + " in Stars");
        assertThat(lastText(h.command(U, "history"))).contains(price + " refunded in Stars");
    }
}
