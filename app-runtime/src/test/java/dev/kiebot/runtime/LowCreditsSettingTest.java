package dev.kiebot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Sku;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.Upkeep;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.kie.catalog.KieCatalog;
import dev.kiebot.runtime.config.KieSettings;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * KIE_LOW_CREDITS reaches the shop: its upkeep tells the admins below it, at most every six hours (core's
 * {@code LowCreditsTest} has the rest); {@code 0} tells nobody, even of a balance below zero; its default comes before
 * the dearest generation of the shipped catalog costs more than the credits left.
 */
class LowCreditsSettingTest {
    private static ShopHarness bot(String lowCredits) {
        return new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(1L, 2L))
                .withAdmission(AdmissionPolicy.off()), ShopHarness.MANUAL,
                b -> Kiebot.watchingCredits(b, new BigDecimal(lowCredits)));
    }

    private static void lookAtCredits(Shop shop) {
        shop.upkeep().tasks().stream().filter(t -> t.name().equals(Upkeep.CREDITS_TASK)).forEach(t -> t.run().run());
    }

    @Test
    void lowCreditsAlertAdminsAtMostEverySixHours() {
        ShopHarness h = bot("2000");
        h.provider.setCredits(new BigDecimal("1234.5"));
        lookAtCredits(h.shop);
        h.deliver();
        assertThat(h.messenger.of(Reply.SendText.class)).extracting(Reply.SendText::chatId)
                .containsExactlyInAnyOrder(1L, 2L);
        assertThat(h.messenger.texts().get(0)).contains("осталось 1\u00a0234,5", "меньше 2\u00a0000",
                "Пополните их в кабинете Kie");
        lookAtCredits(h.shop);
        h.deliver();
        assertThat(h.messenger.all()).hasSize(2);
        h.clock.advance(Duration.ofHours(7));
        lookAtCredits(h.shop);
        h.deliver();
        assertThat(h.messenger.all()).hasSize(4);
    }

    @Test
    void lowCreditsZeroAlertsNobodyEvenBelowZero() {
        ShopHarness h = bot("0");
        h.provider.setCredits(new BigDecimal("-3"));
        lookAtCredits(h.shop);
        h.deliver();
        assertThat(h.messenger.all()).isEmpty();
        assertThat(h.shop.upkeep().tasks()).extracting(t -> t.name()).doesNotContain(Upkeep.CREDITS_TASK);
    }

    /**
     * KIE_LOW_CREDITS' default, in dollars at Kie's $0.005 a credit, is above every SKU's price in the shipped
     * catalog: the admins hear of the credits running low while an order of any model can still be paid at Kie
     * (100 credits, $0.50, was below half the prices, so the alert came after the refusals).
     */
    @Test
    void theDefaultLowCreditsAlertComesWhileTheDearestGenerationCanStillBePaid() {
        BigDecimal dearest = KieCatalog.fromClasspath().models().stream().flatMap(m -> m.skus().stream())
                .map(Sku::kieUsd).max(Comparator.naturalOrder()).orElseThrow();
        assertThat(KieSettings.DEFAULT_LOW_CREDITS.multiply(new BigDecimal("0.005"))).isGreaterThan(dearest);
    }
}
