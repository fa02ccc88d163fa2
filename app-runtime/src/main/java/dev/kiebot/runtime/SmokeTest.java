package dev.kiebot.runtime;

import dev.kiebot.core.jobs.ProviderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SMOKE_TEST_ON_START: checks the database, Telegram and Kie once and logs a clear verdict. */
final class SmokeTest {
    private static final Logger LOG = LoggerFactory.getLogger(SmokeTest.class);
    private final Kiebot bot;

    SmokeTest(Kiebot bot) {
        this.bot = bot;
    }

    boolean run() {
        boolean db = bot.database().readiness().ready();
        boolean telegram = bot.registration().getMe().isPresent();
        boolean kie;
        String credits;
        try {
            credits = bot.provider().credits().toPlainString();
            kie = true;
        } catch (ProviderException e) {
            credits = e.kind().name();
            kie = false;
        }
        boolean ok = db && telegram && kie;
        if (ok) {
            LOG.info("smoke test passed: database ok, Telegram getMe ok, Kie credits {}", credits);
        } else {
            LOG.error("smoke test FAILED: database={}, telegram={}, kie={} ({})", db, telegram, kie, credits);
        }
        return ok;
    }
}
