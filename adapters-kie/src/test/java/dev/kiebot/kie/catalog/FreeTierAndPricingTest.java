package dev.kiebot.kie.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.ClosestModelIds;
import dev.kiebot.core.catalog.FreeTier;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.catalog.Sku;
import dev.kiebot.core.catalog.SkuRef;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Free tier and user prices computed from the shipped prices with the default FX rate and markup. */
class FreeTierAndPricingTest {
    private final Catalog catalog = KieCatalog.fromClasspath();
    private final Pricing pricing = Pricing.defaults();

    private record Line(String modelId, String variant, long kopecks) {
    }

    /** Reads the pricing file directly and applies the formula by hand: an independent oracle. */
    private static List<Line> pricedLinesByHand() throws IOException {
        List<Line> lines = new ArrayList<>();
        for (String raw : Files.readAllLines(Path.of("..", "models", KieCatalog.PRICING_FILE),
                StandardCharsets.UTF_8)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split("\\|");
            BigDecimal rub = new BigDecimal(cols[2].strip())
                    .multiply(new BigDecimal("78")).multiply(new BigDecimal("2"));
            long kopecks = rub.movePointRight(2).setScale(0, RoundingMode.CEILING).longValueExact();
            lines.add(new Line(cols[0].strip(), cols[1].strip(), kopecks));
        }
        return lines;
    }

    @Test
    void theFreeTierIsTheFiveCheapestModelsOfThePricingFile() throws IOException {
        List<Line> byHand = pricedLinesByHand();
        Comparator<Line> cheapest = Comparator.comparingLong(Line::kopecks).thenComparing(Line::modelId)
                .thenComparing(Line::variant);
        List<SkuRef> expected = byHand.stream()
                .collect(Collectors.groupingBy(Line::modelId, Collectors.minBy(cheapest)))
                .values().stream().map(Optional::orElseThrow)
                .sorted(cheapest)
                .limit(5)
                .map(l -> new SkuRef(l.modelId(), l.variant()))
                .toList();

        FreeTier tier = FreeTier.derive(catalog, pricing, Optional.empty(), 5);

        assertThat(tier.skus()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(tier.dailyLimit()).isEqualTo(5);
        // every catalog SKU is in the file and vice versa, so the oracle saw the same universe
        long catalogSkus = catalog.models().stream().mapToLong(m -> m.skus().size()).sum();
        assertThat(catalogSkus).isEqualTo(byHand.size());
        // five distinct models, and no model outside the tier is cheaper than the dearest free one
        assertThat(tier.skus().stream().map(SkuRef::modelId).distinct()).hasSize(5);
        long dearestFree = tier.skus().stream().mapToLong(this::userPrice).max().orElseThrow();
        long cheapestPaid = catalog.models().stream()
                .filter(m -> !tier.hasFreeSku(m.id()))
                .flatMap(m -> m.skus().stream().map(s -> new SkuRef(m.id(), s.id())))
                .mapToLong(this::userPrice).min().orElseThrow();
        assertThat(dearestFree).isLessThanOrEqualTo(cheapestPaid);
    }

    @Test
    void theShippedFreeTierIsTheseFiveModels() {
        FreeTier tier = FreeTier.derive(catalog, pricing, Optional.empty(), 5);

        assertThat(tier.skus().stream().collect(Collectors.toMap(r -> r.modelId() + " " + r.skuId(),
                this::userPrice))).containsOnly(
                        entry("recraft/crisp-upscale default", 39L),
                        entry("z-image default", 63L),
                        entry("recraft/remove-background default", 78L),
                        entry("elevenlabs/sound-effect-v2 duration_seconds=5", 94L),
                        entry("ideogram/v3-remix rendering_speed=TURBO", 273L));
    }

    @Test
    void anOverrideMustNameExactlyFiveModels() {
        Optional<List<String>> four = Optional.of(List.of("z-image", "google/nano-banana", "suno-v5", "veo3.1-lite"));

        assertThatThrownBy(() -> FreeTier.derive(catalog, pricing, four, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FREE_TIER_MODEL_IDS")
                .hasMessageContaining("exactly 5")
                .hasMessageContaining("got 4");
    }

    @Test
    void anOverrideNamingAnUnknownModelSaysWhichOne() {
        Optional<List<String>> withUnknown = Optional.of(
                List.of("z-image", "google/nano-banana", "suno-v5", "veo3.1-lite", "midjourney/v7"));

        assertThatThrownBy(() -> FreeTier.derive(catalog, pricing, withUnknown, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FREE_TIER_MODEL_IDS")
                .hasMessageContaining("unknown model 'midjourney/v7'")
                .hasMessageNotContaining("exactly 5");
    }

    @Test
    void eachUnknownIdIsFollowedByTheClosestValidIds() {
        Optional<List<String>> typos = Optional.of(
                List.of("z-imag", "nano-banana", "suno-v5", "veo3.1-lite", "Google/Imagen4-Fast"));

        assertThatThrownBy(() -> FreeTier.derive(catalog, pricing, typos, 5))
                .hasMessageContaining("unknown model 'z-imag' (closest: z-image, ")
                .hasMessageContaining("unknown model 'nano-banana' (closest: nano-banana-2, nano-banana-pro, "
                        + "google/nano-banana)")
                .hasMessageContaining("unknown model 'Google/Imagen4-Fast' (closest: google/imagen4-fast, ");
        assertThat(ClosestModelIds.to(catalog, "midjourney/v7")).hasSize(ClosestModelIds.SUGGESTED)
                .allMatch(id -> catalog.model(id).isPresent());
    }

    @Test
    void anOverrideGivesEachNamedModelItsCheapestSku() {
        List<String> ids = List.of("z-image", "google/nano-banana", "nano-banana-2", "veo3.1-lite",
                "bytedance/seedance-1.5-pro");

        FreeTier tier = FreeTier.derive(catalog, pricing, Optional.of(ids), 3);

        assertThat(tier.skus()).containsExactlyInAnyOrder(
                new SkuRef("z-image", "default"),
                new SkuRef("google/nano-banana", "default"),
                new SkuRef("nano-banana-2", "resolution=1K"),
                new SkuRef("veo3.1-lite", "resolution=720p"),
                new SkuRef("bytedance/seedance-1.5-pro", "duration=4,generate_audio=false,resolution=480p"));
        assertThat(tier.dailyLimit()).isEqualTo(3);
    }

    @Test
    void userPricesRoundUpToTheNextKopeck() {
        // $0.004 x 78 x 2 = 0.624 RUB -> 63 kopecks
        assertThat(userPrice("z-image", "default")).isEqualTo(63);
        // $0.021 x 156 = 3.276 RUB -> 328 kopecks
        assertThat(userPrice("qwen/text-to-image", "default")).isEqualTo(328);
        // $0.008/s x 8 s = $0.064 x 156 = 9.984 RUB -> 999 kopecks
        assertThat(userPrice("grok-imagine-video-1-5-preview", "duration=8,resolution=480p")).isEqualTo(999);
        // exact amounts stay exact: $0.275 x 156 = 42.90 RUB
        assertThat(userPrice("kling-2.6/text-to-video", "duration=5,sound=false")).isEqualTo(4290);
        assertThat(pricing.format(userPrice("z-image", "default"), "en")).isEqualTo("0.63\u00A0₽");
        assertThat(pricing.format(userPrice("z-image", "default"), "ru")).isEqualTo("0,63\u00A0₽");
    }

    @Test
    void aDifferentRateAndMarkupApplyToTheSamePrices() {
        Pricing usd = new Pricing(BigDecimal.ONE, new BigDecimal("1.5"), "USD");
        Sku veoFast1080 = catalog.model("veo3.1-fast").orElseThrow().sku("resolution=1080p").orElseThrow();

        // $0.325 x 1.5 = $0.4875 -> 49 cents
        assertThat(usd.userPrice(veoFast1080)).isEqualTo(49);
        assertThat(usd.format(49, "en")).isEqualTo("$0.49");
    }

    @Test
    void everyOfferedSkuCostsAtLeastOneKopeck() {
        Set<Long> prices = catalog.models().stream().flatMap(m -> m.skus().stream())
                .map(pricing::userPrice).collect(Collectors.toSet());
        assertThat(prices).allSatisfy(p -> assertThat(p).isPositive());
    }

    private long userPrice(SkuRef ref) {
        return userPrice(ref.modelId(), ref.skuId());
    }

    private long userPrice(String modelId, String skuId) {
        Model m = catalog.model(modelId).orElseThrow(() -> new AssertionError("no model " + modelId));
        return pricing.userPrice(m.sku(skuId).orElseThrow(() -> new AssertionError("no sku " + modelId + " " + skuId)));
    }
}
