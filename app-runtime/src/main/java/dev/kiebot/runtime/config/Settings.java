package dev.kiebot.runtime.config;

import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.shop.ClockSkew;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.Upkeep;
import dev.kiebot.core.text.TextOverrides;
import dev.kiebot.postgres.DatabaseSettings;
import dev.kiebot.runtime.logging.SecretMasking;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The whole runtime configuration: the environment is read here, once at start, and nowhere else. Each concern
 * gets one typed object (Telegram, HTTP, Kie, database, shop, catalog) with each default declared once; every
 * variable is validated together with the others (README lists them all). {@link #toString()} never shows a
 * secret.
 *
 * @param mode         {@code BOT_MODE}: which runner
 * @param instanceName {@code INSTANCE_NAME}: names this instance in logs and job leases
 * @param logLevel     {@code LOG_LEVEL} (the earlier bots' {@code WARNING} and {@code CRITICAL} read as WARN, ERROR)
 * @param logFormat    {@code LOG_FORMAT}: lines for people, or one JSON object per line for log platforms
 * @param smokeTest    {@code SMOKE_TEST_*}
 * @param broadcastRecipientsRetention {@code BROADCAST_RECIPIENTS_RETENTION_DAYS}: how long a finished broadcast keeps
 *                     its recipients' rows (its report is kept on its own row)
 * @param clockSkewMax {@code CLOCK_SKEW_MAX_SECONDS}: how far this machine's clock may be from the database's at
 *                     start (zero: any, the start never refused)
 * @param personalDataRetention {@code PERSONAL_DATA_DAYS}: how long personal texts (finished generations' prompts and
 *                     results, support requests, receipts) are kept before the hourly cleanup blanks them; empty (the
 *                     default): until {@code /forget}
 * @param manualPayments {@code PAYMENT_*}: card / SBP top-ups confirmed by an admin
 * @param texts        {@code TEXTS_FILE}: the shop's own texts in place of kiebot's (none unless given)
 * @param secrets      every secret value (variables and derived), for log masking
 * @param notices      lines for the start-up log: aliases in use, earlier bots' variables without effect (no values)
 * @param setButEmpty  variables set to nothing (or blanks) and read as unset, by name: one INFO line at start, not a
 *                     warning each (a Render blueprint's optional fields are empty at every start, and a free
 *                     instance starts again after 15 idle minutes)
 */
public record Settings(
        Mode mode,
        String instanceName,
        String logLevel,
        LogFormat logFormat,
        SmokeTestSettings smokeTest,
        TelegramSettings telegram,
        HttpSettings http,
        KieSettings kie,
        DatabaseSettings database,
        ShopSettings shop,
        CatalogSettings catalog,
        Duration broadcastRecipientsRetention,
        Duration clockSkewMax,
        Optional<Duration> personalDataRetention,
        ManualPayments manualPayments,
        TextOverrides texts,
        List<String> secrets,
        List<String> notices,
        List<String> setButEmpty) {

    public enum Mode { WEBHOOK, POLLING }

    /**
     * Whether the bot has a public URL (the webhook runner, or {@code WEBHOOK_BASE_URL} / {@code RENDER_EXTERNAL_URL}
     * set): then {@code /metrics} opens to {@code METRICS_TOKEN} alone.
     */
    public boolean publicUrl() {
        return mode == Mode.WEBHOOK || http.publicUrl().isPresent();
    }

    /** How log lines are written. */
    public enum LogFormat { TEXT, JSON }

    /** As {@link Settings the canonical constructor}, personal texts kept until {@code /forget}. */
    public Settings(Mode mode, String instanceName, String logLevel, LogFormat logFormat, SmokeTestSettings smokeTest,
                    TelegramSettings telegram, HttpSettings http, KieSettings kie, DatabaseSettings database,
                    ShopSettings shop, CatalogSettings catalog, Duration broadcastRecipientsRetention,
                    Duration clockSkewMax, ManualPayments manualPayments, TextOverrides texts, List<String> secrets,
                    List<String> notices, List<String> setButEmpty) {
        this(mode, instanceName, logLevel, logFormat, smokeTest, telegram, http, kie, database, shop, catalog,
                broadcastRecipientsRetention, clockSkewMax, Optional.empty(), manualPayments, texts, secrets, notices,
                setButEmpty);
    }

    /** Ten years: a longer retention is a typo (hours or a date typed for days); keeping them all is not a need. */
    static final int BROADCAST_RECIPIENTS_RETENTION_DAYS_MAX = 3650;
    /** A day: a clock further off than that is no drift to live with but a wrong date (hours typed for seconds). */
    static final int CLOCK_SKEW_MAX_SECONDS_MAX = 86_400;

    public static final String DEFAULT_LOG_LEVEL = "INFO";
    public static final LogFormat DEFAULT_LOG_FORMAT = LogFormat.TEXT;
    static final Set<String> LOG_LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
    /** Python's level names, as the earlier bots took them. */
    static final Map<String, String> EARLIER_LOG_LEVELS = Map.of("WARNING", "WARN", "CRITICAL", "ERROR",
            "FATAL", "ERROR");

    public Settings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(telegram, "telegram");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(kie, "kie");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(shop, "shop");
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(manualPayments, "manualPayments");
        Objects.requireNonNull(texts, "texts");
        Objects.requireNonNull(logFormat, "logFormat");
        Objects.requireNonNull(smokeTest, "smokeTest");
        Objects.requireNonNull(broadcastRecipientsRetention, "broadcastRecipientsRetention");
        Objects.requireNonNull(clockSkewMax, "clockSkewMax");
        Objects.requireNonNull(personalDataRetention, "personalDataRetention");
        secrets = List.copyOf(secrets);
        notices = List.copyOf(notices);
        setButEmpty = List.copyOf(setButEmpty);
    }

    /**
     * Reads and validates; throws {@link ConfigException} naming every wrong variable. The secrets are handed to the
     * log masking before anything is read, whatever the outcome (see {@link #reading}).
     */
    public static Settings fromEnv(Map<String, String> environment) {
        return reading(environment, env -> {
            Settings settings = read(env, Optional.empty());
            env.requireNoProblems();
            return settings;
        });
    }

    /**
     * As {@link #fromEnv(Map)} for the runner {@code runner} (a jar started by hand): {@code BOT_MODE} defaults to it,
     * and one naming the other runner is a problem. Without this the webhook jar started with no public URL read as
     * polling and failed only after the database had started, and the polling jar under {@code BOT_MODE=webhook} ran
     * polling while {@code /readyz} said webhook.
     */
    public static Settings fromEnv(Map<String, String> environment, Mode runner) {
        return reading(environment, env -> {
            Settings settings = read(env, Optional.of(runner));
            env.requireNoProblems();
            return settings;
        });
    }

    /**
     * {@code read} over {@code environment}, its secrets registered with the log masking first (the variables', as the
     * environment is handed over) and last (those derived or decoded meanwhile), also when {@code read} throws: the
     * line a failed start ends in, and anything logged before, is masked like every line of a start that went well.
     */
    private static <T> T reading(Map<String, String> environment, Function<Env, T> read) {
        Env env = new Env(environment);
        SecretMasking.register(env.secrets());
        try {
            return read.apply(env);
        } finally {
            SecretMasking.register(env.secrets());
        }
    }

    /** Every concern read from {@code env}; its problems stay in {@code env}. */
    static Settings read(Env env) {
        return read(env, Optional.empty());
    }

    private static Settings read(Env env, Optional<Mode> runner) {
        HttpSettings http = HttpSettings.read(env);
        Mode mode = env.parsed("BOT_MODE",
                runner.orElse(http.publicUrl().isPresent() ? Mode.WEBHOOK : Mode.POLLING),
                v -> Mode.valueOf(v.toUpperCase(Locale.ROOT)), "webhook or polling");
        if (runner.isPresent() && mode != runner.get()) {
            String jar = "app-" + runner.get().name().toLowerCase(Locale.ROOT) + ".jar";
            String other = "app-" + mode.name().toLowerCase(Locale.ROOT) + ".jar";
            env.problem("BOT_MODE=" + mode.name().toLowerCase(Locale.ROOT) + " names the other runner than this "
                    + jar + ": start " + other + " (./kiebot and the Docker image pick the jar from BOT_MODE), or "
                    + "unset BOT_MODE");
            mode = runner.get();
        }
        if (mode == Mode.WEBHOOK && http.publicUrl().isEmpty()) {
            env.problem((runner.isPresent() ? "the webhook runner" : "BOT_MODE=webhook")
                    + " needs WEBHOOK_BASE_URL, the public https:// address Telegram posts updates to (Render sets "
                    + "RENDER_EXTERNAL_URL itself); without one, run app-polling.jar (BOT_MODE=polling)");
        }
        if (http.metricsToken().isEmpty() && (mode == Mode.WEBHOOK || http.publicUrl().isPresent())) {
            // a proxy in front need not say it is one (nginx's proxy_pass adds no header by default): no request of a
            // bot with a public URL is taken as this machine's, so without the token nobody can scrape
            env.notice("METRICS_TOKEN is not set and the bot has a public URL: /metrics is refused to every request; "
                    + "set METRICS_TOKEN to scrape it (Authorization: Bearer <token>)");
        }
        TelegramSettings telegram = TelegramSettings.read(env, http);
        if (mode == Mode.WEBHOOK) {
            TelegramSettings.checkTelegramTakesTheWebhook(env, http, telegram.apiUrl());
        }
        KieSettings kie = KieSettings.read(env, http, telegram, mode == Mode.WEBHOOK);
        DatabaseSettings database = DatabaseVariables.read(env);
        ShopSettings shop = ShopVariables.read(env);
        CatalogSettings catalog = CatalogSettings.read(env);
        if (!kie.stubbed()) {
            CatalogSettings.noticeGiftsWithoutADailyTotal(env, catalog, shop.welcomeBonus());
            TopUpsAtALoss.notice(env, catalog.pricing(), shop);
        }
        String level = logLevel(env);
        LogFormat format = env.parsed("LOG_FORMAT", DEFAULT_LOG_FORMAT,
                v -> LogFormat.valueOf(v.toUpperCase(Locale.ROOT)), "text or json");
        String instance = env.optional("INSTANCE_NAME").or(() -> env.optional("HOSTNAME"))
                .orElseGet(HostName::local);
        SmokeTestSettings smoke = SmokeTestSettings.read(env);
        ManualPayments manual = ManualPaymentVariables.read(env);
        if (manual.enabled() && shop.adminIds().isEmpty()) {
            // a card / SBP top-up is credited when an admin confirms it: with nobody to ask, the user's transfer
            // reached the card and was never credited (core's Shop.builder refuses it too, in its own words)
            env.problem("PAYMENT_CARD / PAYMENT_PHONE offer card / SBP top-ups, which an admin confirms: "
                    + "set ADMIN_IDS (your Telegram id), or leave PAYMENT_CARD and PAYMENT_PHONE unset");
        }
        String currency = catalog.pricing().currency();
        if (!currency.equals(Pricing.defaults().currency()) && env.optional("STAR_PRICE_RUB").isEmpty()) {
            // its default, 1.5, is rubles: in USD every Star would credit $1.50 (core's Shop.builder refuses it too)
            env.problem("CURRENCY is " + currency + " but STAR_PRICE_RUB is not set: its default "
                    + "is 1.5 rubles a Star; set STAR_PRICE_RUB to what one Star credits in " + currency
                    + " (the variable keeps its older name)");
        } else if (shop.starsOffered()
                && catalog.pricing().inUsd(shop.starPrice()).compareTo(Shop.STAR_CREDIT_MAX_USD) > 0) {
            // core's Shop.builder refuses it too, in its own words: here by the variables, not as a crash at build
            env.problem("STAR_PRICE_RUB is " + BigDecimal.valueOf(shop.starPrice(), Pricing.MINOR_DIGITS)
                    .toPlainString() + " " + currency + " a Star, $" + catalog.pricing().inUsd(shop.starPrice())
                    .stripTrailingZeros().toPlainString() + " at FX_RATE " + catalog.pricing().fxRate()
                    .stripTrailingZeros().toPlainString() + ": more than $" + Shop.STAR_CREDIT_MAX_USD.toPlainString()
                    + ", while a Star earns its seller about $0.013; set STAR_PRICE_RUB to what one Star credits in "
                    + currency + ", in whole " + currency + " (1.5 is kiebot's rubles)");
        } else if (shop.starsOffered()
                && catalog.pricing().inUsd(shop.starPrice()).compareTo(Shop.STAR_CREDIT_MIN_USD) < 0) {
            // a kopeck typed for 1.5: each Star credits a hundredth of what the user paid (core refuses it too)
            env.problem("STAR_PRICE_RUB is " + BigDecimal.valueOf(shop.starPrice(), Pricing.MINOR_DIGITS)
                    .toPlainString() + " " + currency + " a Star, $" + dollars(shop.starPrice(), catalog.pricing())
                    + " at FX_RATE " + catalog.pricing().fxRate()
                    .stripTrailingZeros().toPlainString() + ": less than $" + Shop.STAR_CREDIT_MIN_USD.toPlainString()
                    + ", while a Star earns its seller about $0.013; set STAR_PRICE_RUB to what one Star credits in "
                    + currency + ", in whole " + currency + " (1.5 is kiebot's rubles)");
        }
        int recipientsDays = env.integer("BROADCAST_RECIPIENTS_RETENTION_DAYS",
                (int) Upkeep.BROADCAST_RECIPIENTS_RETENTION.toDays(), 1, BROADCAST_RECIPIENTS_RETENTION_DAYS_MAX);
        // 0 is the operator's way out when the database's own clock is off: every instance is refused otherwise
        int clockSkewSeconds = env.integer("CLOCK_SKEW_MAX_SECONDS", (int) ClockSkew.REFUSE_ABOVE.toSeconds(), 0,
                CLOCK_SKEW_MAX_SECONDS_MAX);
        // opt-in: unset keeps personal texts until /forget, as before; a day at least, ten years at most (a typo)
        Optional<Duration> personalDays = env.optional("PERSONAL_DATA_DAYS")
                .map(v -> Duration.ofDays(env.integer("PERSONAL_DATA_DAYS", 1, 1, BROADCAST_RECIPIENTS_RETENTION_DAYS_MAX)));
        TextOverrides texts = TextsFile.read(env);
        EarlierVariables.check(env);
        UnreadVariables.check(env);
        return new Settings(mode, instance, level, format, smoke, telegram, http, kie, database, shop, catalog,
                Duration.ofDays(recipientsDays), Duration.ofSeconds(clockSkewSeconds), personalDays, manual, texts, env.secrets(), env.notices(), env.setButEmpty());
    }

    /**
     * A Star's worth in dollars as said: {@link Pricing#inUsd}'s four places; when those round to nothing (1.5 at a
     * million to the dollar, $0.0000015, read "$0"), two significant digits of its value.
     */
    private static String dollars(long minorUnitsPerStar, Pricing pricing) {
        BigDecimal usd = pricing.inUsd(minorUnitsPerStar);
        if (usd.signum() == 0 && minorUnitsPerStar > 0) {
            return BigDecimal.valueOf(minorUnitsPerStar, Pricing.MINOR_DIGITS)
                    .divide(pricing.fxRate(), new java.math.MathContext(2, java.math.RoundingMode.HALF_UP))
                    .stripTrailingZeros().toPlainString();
        }
        return usd.stripTrailingZeros().toPlainString();
    }

    private static String logLevel(Env env) {
        String given = env.string("LOG_LEVEL", DEFAULT_LOG_LEVEL);
        String level = given.toUpperCase(Locale.ROOT);
        if (EARLIER_LOG_LEVELS.containsKey(level)) {
            env.notice("LOG_LEVEL " + level + " (an earlier bot's level name) is read as "
                    + EARLIER_LOG_LEVELS.get(level));
            return EARLIER_LOG_LEVELS.get(level);
        }
        if (!LOG_LEVELS.contains(level)) {
            env.problem("LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN (or WARNING), ERROR (or CRITICAL)"
                    + env.got("LOG_LEVEL", given));
            return DEFAULT_LOG_LEVEL;
        }
        return level;
    }

    /**
     * Only the database's variables ({@code DATABASE_*}, {@code DATA_DIR}): for commands that need nothing else,
     * such as {@code import-balances}.
     *
     * @throws ConfigException naming every wrong variable
     */
    public static DatabaseSettings databaseFromEnv(Map<String, String> environment) {
        return reading(environment, env -> {
            DatabaseSettings database = DatabaseVariables.read(env);
            env.requireNoProblems();
            return database;
        });
    }

    /** The process's environment, for commands that read a part of it through this class. */
    public static Map<String, String> environment() {
        return System.getenv();
    }

    /** Whether the smoke test runs after start. */
    public boolean smokeTestOnStart() {
        return smokeTest.onStart();
    }

    /**
     * For a runner's {@code main}, through {@code StartFailure.orExit}: the settings of this process's environment, or
     * one line listing every problem and exit status 2.
     *
     * @throws ConfigException naming every wrong variable
     */
    public static Settings fromEnvironment(Mode runner) {
        return fromEnv(System.getenv(), runner);
    }

    /**
     * The start's line, in the variables' words ({@code starting kiebot instance …: webhook runner,
     * TELEGRAM_API_URL=https://api.telegram.org, KIE_STUB=off, …, CURRENCY=RUB, FX_RATE=78.0, PRICING_MARKUP=2.0, …}):
     * it was the fields' names and a record's own text ({@code pricing=Pricing[fxRate=78.0, markup=2.0,
     * currency=RUB]}), words an operator cannot look up in README's table. No secret is in it: no token, key, password
     * or webhook secret, and a URL without its user info, query or fragment ({@link #shown}).
     */
    @Override
    public String toString() {
        Pricing pricing = catalog.pricing();
        return mode.name().toLowerCase(Locale.ROOT) + " runner, TELEGRAM_API_URL=" + shown(telegram.apiUrl())
                + ", KIE_STUB=" + (kie.stubbed() ? "on (nothing reaches Kie)" : "off")
                + ", database " + (database.isEmbedded() ? "embedded in DATA_DIR=" + database.dataDir()
                        : "at DATABASE_URL")
                + ", WEBHOOK_BASE_URL=" + http.publicUrl().map(Settings::shown).orElse("none")
                + ", PORT=" + http.port().map(String::valueOf).orElse("none")
                + ", ADMIN_IDS: " + shop.adminIds().size() + (shop.adminIds().size() == 1 ? " admin" : " admins")
                + ", CURRENCY=" + pricing.currency() + ", FX_RATE=" + pricing.fxRate().toPlainString()
                + ", PRICING_MARKUP=" + pricing.markup().toPlainString()
                + ", FREE_DAILY_LIMIT=" + catalog.freeDailyLimit()
                + ", FREE_DAILY_TOTAL=" + (catalog.freeDailyTotal() > 0 ? catalog.freeDailyTotal() : "0 (no cap)")
                + ", WELCOME_DAILY_TOTAL="
                + (catalog.welcomeDailyTotal() > 0 ? catalog.welcomeDailyTotal() : "0 (no cap)")
                + ", manual payments (PAYMENT_CARD, PAYMENT_PHONE) " + (manualPayments.enabled() ? "on" : "off")
                + ", TEXTS_FILE=" + (texts.isEmpty() ? "none (kiebot's texts)" : "set (" + texts.byLanguage()
                        .values().stream().mapToInt(java.util.Map::size).sum() + " texts of the shop's own)")
                + ", LOG_FORMAT=" + logFormat.name().toLowerCase(Locale.ROOT)
                + ", SMOKE_TEST_ON_START=" + (smokeTest.onStart() ? "on" : "off")
                + "; secrets (tokens, keys, passwords) not shown";
    }

    /**
     * A URL as the start's line shows it: its scheme, host, port and path, without user info, query or fragment,
     * where an operator's proxy or a local Bot API server may keep a password or a key.
     */
    static String shown(URI url) {
        StringBuilder s = new StringBuilder().append(url.getScheme()).append("://").append(url.getHost());
        if (url.getPort() >= 0) {
            s.append(':').append(url.getPort());
        }
        s.append(url.getRawPath() == null ? "" : url.getRawPath());
        if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
            s.append(" (user info, query and fragment not shown)");
        }
        return s.toString();
    }
}
