package dev.kiebot.kie.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.catalog.Sku;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Choices Kie prices that the catalog did not offer (review R6), now offered at Kie's price, rounded as
 * {@link Pricing} rounds (up to the kopeck, at the default 78 ₽/$ × 2): Kling 3.0's 8 s (Kie takes 3-15 s at a
 * per-second rate; the catalog offers 5/8/10/15), Hailuo 02 Standard image-to-video's 6 s (512P $0.06, 768P $0.15),
 * Hailuo 2.3's 1080P, 6 s only (Standard $0.25, Pro $0.40), a model of its own sending Kie's model id.
 */
class ChoicesKiePricesTest {
    private final Catalog catalog = KieCatalog.fromClasspath();
    private final Pricing pricing = Pricing.defaults();

    private Sku sku(String model, Map<String, String> chosen) {
        Model m = catalog.model(model).orElseThrow();
        return m.skuFor(chosen).filter(s -> s.options().entrySet().containsAll(chosen.entrySet()))
                .orElseThrow(() -> new AssertionError(model + " prices no " + chosen));
    }

    private void priced(String model, Map<String, String> chosen, String kieUsd, long minor) {
        Sku s = sku(model, chosen);
        assertThat(s.kieUsd()).as(model + " " + chosen).isEqualByComparingTo(new BigDecimal(kieUsd));
        assertThat(pricing.userPrice(s)).as(model + " " + chosen + " in kopecks").isEqualTo(minor);
    }

    @Test
    void klingThreeOffersEightSecondsAtItsPerSecondRate() {
        assertThat(catalog.model("kling-3.0/video").flatMap(m -> m.field("duration")).map(InputField::values))
                .contains(java.util.List.of("5", "8", "10", "15"));
        priced("kling-3.0/video", Map.of("duration", "8", "mode", "std", "sound", "false"), "0.56", 8_736);
        priced("kling-3.0/video", Map.of("duration", "8", "mode", "std", "sound", "true"), "0.80", 12_480);
        priced("kling-3.0/video", Map.of("duration", "8", "mode", "pro", "sound", "false"), "0.72", 11_232);
        priced("kling-3.0/video", Map.of("duration", "8", "mode", "pro", "sound", "true"), "1.08", 16_848);
    }

    @Test
    void hailuoZeroTwoImageToVideoOffersSixSecondsInBothResolutions() {
        assertThat(catalog.model("hailuo/02-image-to-video-standard").flatMap(m -> m.field("duration")))
                .hasValueSatisfying(f -> {
                    assertThat(f.values()).containsExactly("6", "10");
                    assertThat(f.ask()).as("asked: the user picks it").isTrue();
                });
        priced("hailuo/02-image-to-video-standard", Map.of("duration", "6", "resolution", "512P"), "0.06", 936);
        priced("hailuo/02-image-to-video-standard", Map.of("duration", "6", "resolution", "768P"), "0.15", 2_340);
        priced("hailuo/02-image-to-video-standard", Map.of("duration", "10", "resolution", "768P"), "0.25", 3_900);
    }

    @Test
    void hailuoTwoThreeOffers1080pForSixSecondsAtKiesPrice() {
        for (String kie : java.util.List.of("hailuo/2-3-image-to-video-standard", "hailuo/2-3-image-to-video-pro")) {
            Model m = catalog.model(kie + "-1080p").orElseThrow(() -> new AssertionError(kie + " in 1080P not offered"));
            assertThat(m.kieModel()).isEqualTo(kie);
            assertThat(m.field("duration").map(InputField::values)).contains(java.util.List.of("6"));
            assertThat(m.field("resolution").map(InputField::values)).contains(java.util.List.of("1080P"));
        }
        priced("hailuo/2-3-image-to-video-standard-1080p", Map.of("duration", "6", "resolution", "1080P"), "0.25",
                3_900);
        priced("hailuo/2-3-image-to-video-pro-1080p", Map.of("duration", "6", "resolution", "1080P"), "0.40", 6_240);
    }
}
