package dev.kiebot.runtime.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Variables of the earlier Kie bots (Python, Node.js) that operators carry over and that have no effect here.
 * Each one that is set gets one start-up line saying what takes its place, so nothing is silently ignored. They
 * are checked, not read: their values are never looked at, let alone logged. README's "Coming from an earlier
 * bot" table lists the same names (checked by a test). The names read as aliases ({@code ADMIN_ID},
 * {@code TEST_MODE}, {@code WEBHOOK_URL}, ...) are part of the configuration instead.
 */
final class EarlierVariables {
    /** Name → what replaces it here. */
    static final Map<String, String> WITHOUT_EFFECT = table();

    private EarlierVariables() {
    }

    private static Map<String, String> table() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("REDIS_URL", "PostgreSQL keeps the locks, sessions and de-duplication; no Redis is used");
        t.put("STORAGE_MODE", "state is always in PostgreSQL: DATABASE_URL, or the embedded one under DATA_DIR");
        t.put("CREDIT_TO_RUB_RATE", "prices are Kie's USD price x FX_RATE x PRICING_MARKUP");
        t.put("KIE_API_URL", "set KIE_BASE_URL (https://api.kie.ai; /api/v1 is added)");
        t.put("TELEGRAM_WEBHOOK_PATH", "the webhook path is always /telegram, opened only by the secret_token "
                + "header (TELEGRAM_WEBHOOK_SECRET_TOKEN)");
        t.put("AUTO_SET_WEBHOOK", "the webhook runner always registers its webhook at start "
                + "(REQUIRE_WEBHOOK_REGISTERED=1 exits when it cannot)");
        t.put("WEBHOOK_ALLOW_HEADER_FALLBACK", "the secret_token header is the only way in; no path secret exists");
        t.put("ALLOW_REAL_GENERATION", "generations are real unless KIE_STUB=1 (or DRY_RUN=1)");
        t.put("ENABLE_HEALTH_SERVER", "the webhook runner always serves /healthz; the polling runner does when PORT "
                + "is set");
        t.put("BOT_INSTANCE_ID", "set INSTANCE_NAME");
        t.put("KIE_MARKET_URL", "the catalog ships inside the jar (models/catalog.json); nothing is scraped");
        t.put("MAX_MODELS", "the catalog ships inside the jar (models/catalog.json); all its models are offered");
        t.put("REQUEST_DELAY", "Kie status reads are paced by KIE_STATUS_RPS");
        t.put("REQUEST_TIMEOUT", "set KIE_REQUEST_TIMEOUT_MS (and KIE_CONNECT_TIMEOUT_MS, KIE_UPLOAD_TIMEOUT_MS)");
        t.put("OPENAI_API_KEY", "generations go through Kie.ai only (KIE_API_KEY)");
        t.put("STRIPE_SECRET_KEY", "top-ups are Telegram Stars (and admin top-ups); Stripe is not used");
        t.put("STRIPE_WEBHOOK_SECRET", "top-ups are Telegram Stars (and admin top-ups); Stripe is not used");
        return Collections.unmodifiableMap(t);
    }

    /** One notice per earlier variable that is set. */
    static void check(Env env) {
        WITHOUT_EFFECT.forEach((name, instead) -> {
            if (env.isSet(name)) {
                env.notice(name + " is set but has no effect here: " + instead);
            }
        });
    }
}
