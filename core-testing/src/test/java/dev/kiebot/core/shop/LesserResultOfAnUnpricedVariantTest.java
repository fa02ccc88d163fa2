package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.catalog.Sku;
import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.users.User;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A lesser result (a 5 s video made where 10 s was paid for) of a job whose variant the catalog no longer has (a
 * restart with a catalog that prices the video by its duration alone): it is charged today's price of the lesser
 * choice, as nothing else tells the rate it was sold at, but never more than the job's price, which is all its hold
 * has: above it, the post would ask the ledger for more than the hold (refused, {@code EXCEEDS_HOLD_AMOUNT}).
 */
class LesserResultOfAnUnpricedVariantTest {
    private static final long U = 42;

    @Test
    void aLesserResultPricedAboveTheJobTodayIsChargedTheJobsPriceAndDelivered() {
        ShopHarness h = new ShopHarness();
        h.command(U, "start");
        h.topUp(U, 10_000);
        Model video = TestCatalog.video();
        Sku paid = video.skuFor(Map.of("duration", "10", "sound", "false")).orElseThrow();
        long price = 10; // what the 10 s video cost when it was ordered
        User user = h.stores.users().find(U).orElseThrow();
        Generations.Start s = h.shop.generations().start(user, U, new Effect.StartJob("kling/video", paid.id(),
                Map.of("prompt", "a cat", "duration", "10", "sound", "false"), Map.of(), price, false));
        Job job = ((Generations.Start.Started) s).job();
        h.work(10);
        assertThat(h.stored(job).state().awaitsResult()).as("sent to the provider").isTrue();
        // the shop restarted with a catalog that prices the video by its duration alone: the job's variant is gone
        Sku fiveSeconds = new Sku(Map.of("duration", "5"), new BigDecimal("0.55"), paid.source());
        List<Model> models = new ArrayList<>(TestCatalog.catalog().models().stream()
                .filter(m -> !m.id().equals(video.id())).toList());
        models.add(new Model(video.id(), video.kieModel(), video.family(), video.category(), video.title(),
                video.description(), video.fields(), List.of(fiveSeconds, new Sku(Map.of("duration", "10"),
                        new BigDecimal("1.10"), paid.source())), video.popularity()));
        ShopHarness restarted = new ShopHarness(Catalog.of(models), ShopSettings.defaults(), ManualPayments.off(),
                b -> b, clock -> h.stores);
        long today = Pricing.defaults().userPrice(fiveSeconds);
        assertThat(today).as("the lesser choice costs more today than the job did").isGreaterThan(price);

        LesserResult lesser = restarted.shop.generations().lesser(h.stored(job), Map.of("duration", "5"))
                .orElseThrow();
        assertThat(lesser.charge()).as("never more than the job's price").isEqualTo(price);
        assertThat(lesser.returned()).isZero();

        assertThat(restarted.shop.generations().complete(job.id(), new JobResult(List.of("https://files/out.mp4"),
                MediaKind.VIDEO), Optional.empty(), lesser.charge())).isPresent();
        assertThat(h.stored(job).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(h.stores.ledger().find(Ledger.postId(job.holdId()))).get().extracting(Transfer::amount)
                .isEqualTo(price);
        assertThat(h.balance(U)).isEqualTo(10_000 - price);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }
}
