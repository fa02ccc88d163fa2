package dev.kiebot.kie.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Sku;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * A SKU priced per second of Kie's rate is the rate times the seconds its own duration asks for: a 15-second video
 * priced at 10 seconds' rate (a line copied and its figure left), or a product miscounted, sells every such order
 * below what Kie charges. pricing_source_truth.txt writes such a source as {@code ($0.12/s x 15 s)}.
 */
class PerSecondPricesTest {
    private static final Pattern PER_SECOND = Pattern.compile("\\$(\\d+(?:\\.\\d+)?)/s x (\\d+) s");

    private final Catalog catalog = KieCatalog.fromClasspath();

    @Test
    void aPerSecondPriceIsItsRateTimesItsOwnDuration() {
        SoftAssertions soft = new SoftAssertions();
        int perSecond = 0;
        for (Model m : catalog.models()) {
            for (Sku s : m.skus()) {
                Matcher rate = PER_SECOND.matcher(s.source());
                if (!rate.find()) {
                    continue;
                }
                perSecond++;
                String at = m.id() + " " + s.id() + " (" + s.source() + ")";
                BigDecimal seconds = new BigDecimal(rate.group(2));
                soft.assertThat(s.kieUsd()).as(at).isEqualByComparingTo(new BigDecimal(rate.group(1)).multiply(seconds));
                duration(s).ifPresent(d -> soft.assertThat(d).as(at + ": the seconds are the SKU's duration")
                        .isEqualByComparingTo(seconds));
            }
        }
        soft.assertThat(perSecond).as("SKUs priced per second").isGreaterThan(100);
        soft.assertAll();
    }

    @Test
    void theRuleReadsTheRateAndTheSecondsFromTheSource() {
        Sku wan = catalog.model("wan/2-7-text-to-video").orElseThrow().sku("duration=15,resolution=1080p").orElseThrow();
        Matcher rate = PER_SECOND.matcher(wan.source());
        assertThat(rate.find()).isTrue();
        assertThat(rate.group(1)).isEqualTo("0.12");
        assertThat(rate.group(2)).isEqualTo("15");
    }

    private static Optional<BigDecimal> duration(Sku s) {
        return Optional.ofNullable(s.options().getOrDefault("duration", s.options().get("duration_seconds")))
                .map(BigDecimal::new);
    }
}
