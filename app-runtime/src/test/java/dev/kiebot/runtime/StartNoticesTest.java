package dev.kiebot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.kiebot.core.catalog.FreeTier;
import dev.kiebot.core.catalog.SkuRef;
import dev.kiebot.runtime.config.Settings;
import dev.kiebot.runtime.testing.E2eWorld;
import dev.kiebot.runtime.testing.LogCapture;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The start's notices: the variables set but empty are one INFO line naming them all, not a warning each. Render's
 * blueprint leaves its optional fields empty, and a free instance starts again after every 15 idle minutes: five
 * warnings a start said nothing was wrong.
 */
class StartNoticesTest {
    @Test
    void variablesSetButEmptyAreOneInfoLineAndNoWarning() {
        Settings settings = Settings.fromEnv(Map.of("TELEGRAM_BOT_TOKEN", "1234567:AAH1234567890abcdefghijklmnopqrstuv",
                "KIE_STUB", "1", "ADMIN_IDS", "42", "SUPPORT_TELEGRAM", "@helpdesk", "SUPPORT_TEXT", "",
                "FREE_TIER_MODEL_IDS", " ", "METRICS_TOKEN", ""));
        // another test of this JVM may have set LOG_LEVEL's level on the root logger
        Logger kiebot = (Logger) LoggerFactory.getLogger(Kiebot.class);
        Level before = kiebot.getLevel();
        kiebot.setLevel(Level.INFO);
        LogCapture log = LogCapture.attach();
        try {
            Kiebot.logNotices(settings);
        } finally {
            log.detach();
            kiebot.setLevel(before);
        }
        assertThat(log.warnings()).noneMatch(w -> w.contains("empty"));
        assertThat(log.lines()).filteredOn(l -> l.contains("empty")).containsExactly(Kiebot.class.getName()
                + " set but empty, read as unset: FREE_TIER_MODEL_IDS, METRICS_TOKEN, SUPPORT_TEXT");
    }

    /**
     * With a real Kie key, a welcome bonus and free generations without a day's total: one warning each, the
     * runner's, naming its variables. Core's Shop.builder() said each again in its builder's words at build.
     */
    @Test
    void aGiftWithoutADailyTotalIsWarnedOfOnceInTheVariablesWords() {
        try (E2eWorld world = new E2eWorld()) {
            LogCapture log = LogCapture.attach();
            Settings settings = Settings.fromEnv(world.env(Map.of("WELCOME_BALANCE_RUB", "50", "FREE_DAILY_LIMIT",
                    "3")));
            try {
                Kiebot.assemble(settings, Clock.systemUTC(), "lock").close();
            } finally {
                log.detach();
            }
            assertThat(log.warnings()).filteredOn(w -> w.contains("welcome")).singleElement().asString()
                    .contains("WELCOME_BALANCE_RUB", "WELCOME_DAILY_TOTAL is not set");
            assertThat(log.warnings()).filteredOn(w -> w.contains("free generations a day")).singleElement()
                    .asString().contains("FREE_DAILY_LIMIT", "FREE_DAILY_TOTAL is not set");
        }
    }

    /**
     * The start's line on the catalog says the free tier in the variables' words, one model after another, and counts
     * its models as the rest of the log counts («1 model», was «1 models»). It was the free tier's records' own text ({@code [SkuRef[modelId=recraft/crisp-upscale, skuId=default], …]}), and with
     * {@code FREE_DAILY_LIMIT=0} it listed the five models all the same, though nothing was free.
     */
    @Test
    void theCatalogLineSaysTheFreeTierInTheVariablesWords() {
        try (E2eWorld world = new E2eWorld()) {
            LogCapture log = LogCapture.attach();
            Settings settings = Settings.fromEnv(world.env(Map.of("FREE_DAILY_LIMIT", "3", "FREE_DAILY_TOTAL",
                    "100")));
            try {
                Kiebot.assemble(settings, Clock.systemUTC(), "lock").close();
            } finally {
                log.detach();
            }
            assertThat(log.lines()).filteredOn(l -> l.contains("catalog: ")).singleElement().asString()
                    .startsWith(Kiebot.class.getName() + " catalog: ")
                    .contains(" models; free tier: 3 a day per user (FREE_DAILY_LIMIT), 100 a day in all "
                            + "(FREE_DAILY_TOTAL), on ")
                    .doesNotContain("SkuRef", "skuId", "default");
        }
        assertThat(Kiebot.modelsInWords(1)).as("a catalog of one model").isEqualTo("1 model");
        assertThat(Kiebot.modelsInWords(90)).isEqualTo("90 models");
        assertThat(Kiebot.freeTierInWords(new FreeTier(Set.of(new SkuRef("z-image", "default")), 0)))
                .isEqualTo("none (FREE_DAILY_LIMIT=0)");
        assertThat(Kiebot.freeTierInWords(new FreeTier(new LinkedHashSet<>(List.of(new SkuRef("z-image", "default"),
                new SkuRef("elevenlabs/sound-effect-v2", "duration_seconds=5"))), 5)))
                .isEqualTo("5 a day per user (FREE_DAILY_LIMIT), no total a day (FREE_DAILY_TOTAL), on z-image, "
                        + "elevenlabs/sound-effect-v2 (duration_seconds=5)");
    }
}
