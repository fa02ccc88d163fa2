package dev.kiebot.runtime.config;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.postgres.DatabaseSettings;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The whole runtime configuration: the environment is read here, once at start, and nowhere else. Each concern
 * gets one typed object (Telegram, HTTP, Kie, database, shop, catalog) with each default declared once; every
 * variable is validated together with the others (README lists them all). {@link #toString()} never shows a
 * secret.
 *
 * @param mode             {@code BOT_MODE}: which runner
 * @param instanceName     {@code INSTANCE_NAME}: names this instance in logs and job leases
 * @param logLevel         {@code LOG_LEVEL}
 * @param smokeTestOnStart {@code SMOKE_TEST_ON_START}
 * @param manualPayments   {@code PAYMENT_*}: card / SBP top-ups confirmed by an admin
 * @param secrets          every secret value (variables and derived), for log masking
 */
public record Settings(
        Mode mode,
        String instanceName,
        String logLevel,
        boolean smokeTestOnStart,
        TelegramSettings telegram,
        HttpSettings http,
        KieSettings kie,
        DatabaseSettings database,
        ShopSettings shop,
        CatalogSettings catalog,
        ManualPayments manualPayments,
        List<String> secrets) {

    public enum Mode { WEBHOOK, POLLING }

    public static final String DEFAULT_LOG_LEVEL = "INFO";
    static final Set<String> LOG_LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

    public Settings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(telegram, "telegram");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(kie, "kie");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(shop, "shop");
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(manualPayments, "manualPayments");
        secrets = List.copyOf(secrets);
    }

    /** Reads and validates; throws {@link ConfigException} naming every wrong variable. */
    public static Settings fromEnv(Map<String, String> environment) {
        Env env = new Env(environment);
        Settings settings = read(env);
        env.requireNoProblems();
        return settings;
    }

    /** Every concern read from {@code env}; its problems stay in {@code env}. */
    static Settings read(Env env) {
        HttpSettings http = HttpSettings.read(env);
        Mode mode = env.parsed("BOT_MODE", http.publicUrl().isPresent() ? Mode.WEBHOOK : Mode.POLLING,
                v -> Mode.valueOf(v.toUpperCase(Locale.ROOT)), "webhook or polling");
        if (mode == Mode.WEBHOOK && http.publicUrl().isEmpty()) {
            env.problem("BOT_MODE=webhook needs WEBHOOK_BASE_URL (or Render's RENDER_EXTERNAL_URL)");
        }
        TelegramSettings telegram = TelegramSettings.read(env, http);
        KieSettings kie = KieSettings.read(env, http, telegram);
        DatabaseSettings database = DatabaseVariables.read(env);
        ShopSettings shop = ShopVariables.read(env);
        CatalogSettings catalog = CatalogSettings.read(env);
        ManualPayments manual = ManualPaymentVariables.read(env);
        String level = env.string("LOG_LEVEL", DEFAULT_LOG_LEVEL).toUpperCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(level)) {
            env.problem("LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, got '" + level + "'");
            level = DEFAULT_LOG_LEVEL;
        }
        String instance = env.optional("INSTANCE_NAME").or(() -> env.optional("HOSTNAME"))
                .orElseGet(() -> "kiebot-" + ProcessHandle.current().pid());
        boolean smoke = env.flag("SMOKE_TEST_ON_START");
        return new Settings(mode, instance, level, smoke, telegram, http, kie, database, shop, catalog, manual,
                env.secrets());
    }

    /**
     * For a runner's {@code main}: the settings, or the list of problems on stderr and exit code 2.
     */
    public static Settings fromEnvironmentOrExit() {
        try {
            return fromEnv(System.getenv());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            throw e;
        }
    }

    @Override
    public String toString() {
        return "Settings[mode=" + mode + ", telegramApiUrl=" + telegram.apiUrl() + ", kieStub=" + kie.stubbed()
                + ", database=" + (database.isEmbedded() ? "embedded in " + database.dataDir() : "DATABASE_URL")
                + ", publicUrl=" + http.publicUrl().map(Object::toString).orElse("-") + ", port="
                + http.port().map(String::valueOf).orElse("-") + ", admins=" + shop.adminIds().size() + ", pricing="
                + catalog.pricing() + ", freeDailyLimit=" + catalog.freeDailyLimit() + ", manualPayments="
                + (manualPayments.enabled() ? "on" : "off") + ", instance=" + instanceName
                + ", secrets=<redacted>]";
    }
}
