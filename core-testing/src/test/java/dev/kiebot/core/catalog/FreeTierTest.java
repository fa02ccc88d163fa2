package dev.kiebot.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.testing.TestCatalog;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FreeTierTest {
    private final Catalog catalog = TestCatalog.catalog();

    @Test
    void theFiveCheapestSkusAreFree() {
        FreeTier tier = FreeTier.derive(catalog, Pricing.defaults(), Optional.empty(), 5);
        // img/m1..m12 cost 0.011..0.022; the editor's 1K SKU costs 0.025; cheapest first, at every start
        assertThat(tier.skus()).containsExactly(new SkuRef("img/m1", "default"),
                new SkuRef("img/m2", "default"), new SkuRef("img/m3", "default"), new SkuRef("img/m4", "default"),
                new SkuRef("img/m5", "default"));
        assertThat(tier.isFree("img/m6", "default")).isFalse();
    }

    @Test
    void aModelWithSeveralCheapSkusIsFreeOnceAtItsCheapestAndFiveDistinctModelsAreFree() {
        // the video's four SKUs are all cheaper than every image model: only its cheapest one is free
        List<Model> models = new java.util.ArrayList<>(List.of(TestCatalog.video()));
        for (int i = 1; i <= 6; i++) {
            models.add(TestCatalog.textToImage("img/m" + i, "2." + i, i));
        }
        FreeTier tier = FreeTier.derive(Catalog.of(models), Pricing.defaults(), Optional.empty(), 5);
        assertThat(tier.skus()).hasSize(5);
        assertThat(tier.skus().stream().map(SkuRef::modelId).distinct()).hasSize(5);
        assertThat(tier.skus()).containsExactly(new SkuRef("kling/video", "duration=5,sound=false"),
                new SkuRef("img/m1", "default"), new SkuRef("img/m2", "default"), new SkuRef("img/m3", "default"),
                new SkuRef("img/m4", "default"));
        assertThat(tier.isFree("kling/video", "duration=10,sound=false")).isFalse();
    }

    /** What a quote charges nothing for and what a button shows as free: the tier while uses are left, then nothing. */
    @Test
    void theTierIsFreeNowWhileUsesAreLeftToday() {
        FreeTier tier = FreeTier.derive(catalog, Pricing.defaults(), Optional.empty(), 5);
        assertThat(tier.freeNow(0)).isEqualTo(tier.skus());
        assertThat(tier.freeNow(4)).isEqualTo(tier.skus());
        assertThat(tier.freeNow(5)).isEmpty();
        assertThat(FreeTier.derive(catalog, Pricing.defaults(), Optional.empty(), 0).freeNow(0)).isEmpty();
    }

    /**
     * FREE_DAILY_TOTAL: once every user together used the day's total, a user's uses count as his whole allowance;
     * the total is not read without a cap, nor for a user with nothing left anyway (a database read per update).
     */
    @Test
    void theShopsDayTotalSpentLeavesNobodyAFreeUse() {
        FreeTier uncapped = FreeTier.derive(catalog, Pricing.defaults(), Optional.empty(), 5);
        java.util.function.IntSupplier unread = () -> {
            throw new AssertionError("the shop's total read");
        };
        assertThat(uncapped.usedToday(2, unread)).isEqualTo(2);
        FreeTier capped = uncapped.withDailyTotalMax(100);
        assertThat(capped.usedToday(2, () -> 99)).isEqualTo(2);
        assertThat(capped.usedToday(2, () -> 100)).isEqualTo(5);
        assertThat(capped.freeNow(capped.usedToday(0, () -> 100))).isEmpty();
        assertThat(capped.usedToday(5, unread)).isEqualTo(5);
        assertThatThrownBy(() -> uncapped.withDailyTotalMax(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FREE_DAILY_TOTAL");
    }

    /**
     * FREE_DAILY_LIMIT=0: the tier's SKUs are still derived, but none is free and none is shown as free (no «free»
     * mark on the confirm screen, no model in the free list).
     */
    @Test
    void withNoFreeGenerationsADayNoSkuIsFreeOrShownAsFree() {
        FreeTier none = FreeTier.derive(catalog, Pricing.defaults(), Optional.empty(), 0);
        assertThat(none.skus()).contains(new SkuRef("img/m1", "default"));
        assertThat(none.isFree("img/m1", "default")).isFalse();
        assertThat(none.hasFreeSku("img/m1")).isFalse();
        assertThat(none.offered()).isFalse();
    }

    /** A screen without a free model never asks how many free uses are left: that is a database read per update. */
    @Test
    void aScreenOfPaidModelsDoesNotAskForTheUsesLeft() {
        FreeTier tier = FreeTier.derive(catalog, Pricing.defaults(), Optional.empty(), 5);
        List<Model> paid = catalog.models().stream().filter(m -> !tier.hasFreeSku(m.id())).toList();
        List<Model> free = catalog.models().stream().filter(m -> tier.hasFreeSku(m.id())).toList();
        assertThat(paid).isNotEmpty();
        assertThat(tier.freeNow(paid, () -> {
            throw new AssertionError("asked for the uses left on a screen of paid models");
        })).isEmpty();
        assertThat(tier.freeNow(List.of(paid.get(0), free.get(0)), () -> 4)).isEqualTo(tier.skus());
        assertThat(tier.freeNow(free, () -> 5)).isEmpty();
    }

    @Test
    void tiesBreakByModelIdThenSku() {
        Catalog same = Catalog.of(List.of(TestCatalog.textToImage("b", "0.01", 1), TestCatalog.textToImage("a", "0.01", 1),
                TestCatalog.textToImage("d", "0.01", 1), TestCatalog.textToImage("c", "0.01", 1),
                TestCatalog.textToImage("f", "0.01", 1), TestCatalog.textToImage("e", "0.01", 1)));
        FreeTier tier = FreeTier.derive(same, Pricing.defaults(), Optional.empty(), 5);
        assertThat(tier.hasFreeSku("f")).isFalse();
        assertThat(tier.hasFreeSku("a")).isTrue();
    }

    /** A null among a partner's free SKUs is refused where it is given, named, not met later by a screen. */
    @Test
    void aNullFreeSkuIsRefusedWhenTheTierIsMade() {
        java.util.Set<SkuRef> withNull = new java.util.HashSet<>();
        withNull.add(new SkuRef("img/m1", "default"));
        withNull.add(null);
        assertThatThrownBy(() -> new FreeTier(withNull, 5)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("a free SKU");
    }

    @Test
    void overrideMustNameExactlyFiveExistingModels() {
        assertThatThrownBy(() -> FreeTier.derive(catalog, Pricing.defaults(),
                Optional.of(List.of("img/m1", "img/m2", "img/m3", "img/m4")), 5))
                .hasMessageContaining("FREE_TIER_MODEL_IDS").hasMessageContaining("exactly 5");
        assertThatThrownBy(() -> FreeTier.derive(catalog, Pricing.defaults(),
                Optional.of(List.of("img/m1", "img/m2", "img/m3", "img/m4", "nope")), 5))
                .hasMessageContaining("unknown model 'nope'");
        FreeTier tier = FreeTier.derive(catalog, Pricing.defaults(),
                Optional.of(List.of("img/m9", "img/m10", "img/m11", "edit/pro", "kling/video")), 3);
        assertThat(tier.isFree("edit/pro", "resolution=1K")).isTrue();
        assertThat(tier.isFree("edit/pro", "resolution=2K")).isFalse();
        assertThat(tier.isFree("kling/video", "duration=5,sound=false")).isTrue();
        assertThat(tier.dailyLimit()).isEqualTo(3);
    }
}
