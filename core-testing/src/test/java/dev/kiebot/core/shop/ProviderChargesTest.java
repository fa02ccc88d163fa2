package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A provider that charges more than the catalog's price (from which users' prices are computed) is seen: an audit
 * line per job, the admins told once a day per model; the user gets the result as always.
 */
class ProviderChargesTest {
    private static final long U = 42;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness().startedByAdminAnd(U);
        h.topUp(U, 100_000);
    }

    /** img/m9 (0.019 USD in the catalog) done, the provider saying it cost {@code usd}. @return what went to the admin */
    private List<Reply> foxDoneCharging(String usd) {
        Job job = h.finishedFoxImage(U, new TaskStatus.Succeeded(
                new JobResult(List.of("https://files/out.png"), MediaKind.PHOTO), Optional.of(new BigDecimal(usd))));
        assertThat(job.state()).isEqualTo(JobState.DELIVERED);
        return h.messenger.drain().stream().filter(r -> r.chatId() == ShopHarness.ADMIN).toList();
    }

    private List<AuditEvent> overcharges() {
        return h.stores.audit().recent(500).stream().filter(e -> e.action().equals("gen.overcharged")).toList();
    }

    @Test
    void aChargeAboveTheCatalogIsRecordedAndTheAdminsToldOnceADay() {
        List<Reply> told = foxDoneCharging("0.0205");
        assertThat(lastText(told)).contains("Kie charges more", "Image img/m9", "$0.0205", "$0.019");
        assertThat(overcharges()).singleElement().satisfies(e -> {
            assertThat(e.detail()).isEqualTo("charged 0.0205 USD, the catalog says 0.019 USD");
            assertThat(e.correlationId()).contains(h.lastJob(U).id().display());
        });

        assertThat(foxDoneCharging("0.03")).as("the same model the same day: recorded, not told again").isEmpty();
        assertThat(overcharges()).hasSize(2);

        h.clock.advance(Duration.ofDays(1));
        assertThat(lastText(foxDoneCharging("0.03"))).contains("$0.03");
    }

    /**
     * The success that found the overcharge rolled back (the database lost at its commit): its alert went with it,
     * so the next overcharged success of the model the same day tells the admins. (The in-memory stores keep a
     * rolled-back transaction's writes; its queued alert is thrown away here as PostgreSQL would have.)
     */
    @Test
    void anAlertWhoseTransactionRolledBackIsToldByTheNextOvercharge() {
        Job job = h.runningFoxImage(U);
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Succeeded(
                new JobResult(List.of("https://files/out.png"), MediaKind.PHOTO), Optional.of(new BigDecimal("0.03"))));
        h.clock.advance(Duration.ofSeconds(5));
        assertThatThrownBy(() -> h.stores.transactions().inOne(() -> {
            h.shop.worker().runOnce(10);
            throw new IllegalStateException("the commit failed");
        })).hasMessage("the commit failed");
        h.deliver();
        h.messenger.drain();

        assertThat(lastText(foxDoneCharging("0.0205"))).contains("Kie charges more", "$0.0205");
    }

    @Test
    void aChargeAtTheCatalogPriceOrWithinItsRoundingIsNothingToTell() {
        assertThat(foxDoneCharging("0.019")).isEmpty();
        assertThat(foxDoneCharging("0.0191")).isEmpty(); // half a percent: the provider's rounding
        assertThat(foxDoneCharging("0.01")).isEmpty();
        assertThat(overcharges()).isEmpty();
    }

    /** /find of the job shows the line in the admin's words, dollars with his decimal mark. */
    @Test
    void findShowsTheOverchargeInWords() {
        foxDoneCharging("0.0205");
        String job = h.lastJob(U).id().display();
        assertThat(lastText(h.admin("find", job))).contains("Kie charged more than the catalog price",
                "charged $0.0205, the catalog says $0.019");
        h.command(ShopHarness.ADMIN, "language");
        h.press(ShopHarness.ADMIN, "*|l|ru");
        assertThat(lastText(h.admin("find", job))).contains("Kie списал больше цены каталога",
                "списано 0,0205\u00A0$, по каталогу 0,019\u00A0$");
    }
}
