package dev.kiebot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.kiebot.runtime.config.Settings;
import dev.kiebot.runtime.testing.LogCapture;
import java.util.Map;
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
}
