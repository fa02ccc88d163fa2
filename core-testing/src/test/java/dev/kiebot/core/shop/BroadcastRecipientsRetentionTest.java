package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.broadcast.Broadcast;
import dev.kiebot.core.broadcast.Tally;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A broadcast's recipients, a row per user it went to, were kept for ever: a weekly broadcast to a growing audience
 * added hundreds of megabytes a year to a 1 GB database (review L). The hourly cleanup forgets those of a broadcast
 * finished longer ago than the retention (30 days, or the builder's), and its report reads the same afterwards.
 */
class BroadcastRecipientsRetentionTest {

    private static ShopHarness shop(UnaryOperator<Shop.Builder> configure) {
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(
                java.util.Set.of(ShopHarness.ADMIN)).withAdmission(AdmissionPolicy.off()), ManualPayments.off(),
                configure);
        h.command(ShopHarness.ADMIN, "start");
        for (long u = 100; u < 104; u++) {
            h.command(u, "start");
        }
        return h;
    }

    /** The admin's broadcast, confirmed: its number. */
    private static long queued(ShopHarness h) {
        List<dev.kiebot.core.reply.Reply> draft = h.admin("broadcast", "News");
        h.press(ShopHarness.ADMIN, button(draft, "Send"));
        return h.stores.broadcasts().queued().get(0).id();
    }

    private static String report(ShopHarness h, long id) {
        Broadcast b = h.stores.broadcasts().find(id).orElseThrow();
        Tally t = h.stores.broadcasts().tally(id);
        return BroadcastWorker.report(h.shop.texts(), "en", Msg.ADMIN_BROADCAST_DONE, b, t, t.recipients());
    }

    @Test
    void aFinishedBroadcastsRecipientsGoAfterThirtyDaysAndItsReportReadsTheSame() {
        ShopHarness h = shop(b -> b);
        long id = queued(h);
        h.shop.broadcaster().runOnce(100);
        assertThat(h.stores.broadcasts().queued()).as("sent and finished").isEmpty();
        String report = report(h, id);
        assertThat(report).contains("sent 5 of 5");

        h.clock.advance(Upkeep.BROADCAST_RECIPIENTS_RETENTION);
        assertThat(h.shop.upkeep().cleanup().broadcastRecipients()).as("30 days to the instant: kept").isZero();
        h.clock.advance(Duration.ofSeconds(1));
        assertThat(h.shop.upkeep().cleanup().broadcastRecipients()).isEqualTo(5);

        assertThat(report(h, id)).isEqualTo(report);
        assertThat(h.shop.upkeep().cleanup().broadcastRecipients()).isZero();
    }

    @Test
    void theRetentionIsTheBuildersWhenGiven() {
        ShopHarness h = shop(b -> b.broadcastRecipientsRetention(Duration.ofDays(7)));
        queued(h);
        h.shop.broadcaster().runOnce(100);

        h.clock.advance(Duration.ofDays(7).plusSeconds(1));
        assertThat(h.shop.upkeep().cleanup().broadcastRecipients()).isEqualTo(5);
    }

    @Test
    void aBroadcastNotFinishedKeepsItsRecipientsHoweverOld() {
        ShopHarness h = shop(b -> b);
        long id = queued(h);
        Tally before = h.stores.broadcasts().tally(id);

        h.clock.advance(Duration.ofDays(365));
        assertThat(h.shop.upkeep().cleanup().broadcastRecipients()).isZero();
        assertThat(h.stores.broadcasts().tally(id)).isEqualTo(before);
        assertThat(h.shop.broadcaster().runOnce(100)).as("each still sent, a year late").isEqualTo(5);
    }

    @Test
    void aRetentionUnderADayIsRefused() {
        assertThatThrownBy(() -> new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults(), ManualPayments.off(),
                b -> b.broadcastRecipientsRetention(Duration.ofHours(23))))
                .hasMessageContaining("broadcastRecipientsRetention (kiebot's runner: "
                        + "BROADCAST_RECIPIENTS_RETENTION_DAYS) must be a day or more, got PT23H");
    }
}
