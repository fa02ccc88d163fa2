package dev.kiebot.runtime.config;

import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.kie.KieEnv;
import dev.kiebot.postgres.DatabaseSettings;
import dev.kiebot.kie.PollSchedule;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The whole runtime configuration, read from the environment once at start and validated
 * together (README lists every variable). {@link #toString()} never shows a secret.
 */
public record Settings(
        Map<String, String> environment,
        String botToken,
        URI telegramApiUrl,
        boolean kieStub,
        Optional<String> databaseUrl,
        Path dataDir,
        Mode mode,
        Optional<URI> publicUrl,
        String webhookSecret,
        String kieCallbackSecret,
        Optional<URI> kieCallbackBase,
        Optional<Integer> port,
        Set<Long> adminIds,
        Pricing pricing,
        BigDecimal welcomeBalance,
        Optional<List<String>> freeTierModelIds,
        int freeDailyLimit,
        ZoneId freeDayZone,
        String supportTelegram,
        Optional<String> supportText,
        String instanceName,
        String logLevel,
        boolean smokeTestOnStart,
        boolean requireWebhookRegistered,
        List<Long> starsPackages,
        BigDecimal starPrice,
        Map<Category, Duration> deadlines,
        BigDecimal kieLowCredits,
        Duration telegramChatInterval,
        AdmissionPolicy admission) {

    public enum Mode { WEBHOOK, POLLING }

    public static final Set<String> SECRET_VARIABLES = Set.of("TELEGRAM_BOT_TOKEN", "KIE_API_KEY",
            "KIE_WEBHOOK_HMAC_KEY", "TELEGRAM_WEBHOOK_SECRET_TOKEN", "KIE_CALLBACK_SECRET", "DATABASE_URL",
            "DATABASE_PASSWORD");
    /** Labels of the two derived secrets: different labels, so knowing one door's secret opens no other. */
    static final String WEBHOOK_SECRET_LABEL = "kiebot-webhook-secret";
    static final String KIE_CALLBACK_SECRET_LABEL = "kiebot-kie-callback-token";

    /** Reads and validates; throws {@link ConfigException} naming every wrong variable. */
    public static Settings fromEnv(Map<String, String> environment) {
        Env env = new Env(environment);
        Optional<String> token = env.secret("TELEGRAM_BOT_TOKEN");
        if (token.isEmpty()) {
            env.problems.add("TELEGRAM_BOT_TOKEN is required (get one from @BotFather)");
        } else if (!token.get().matches("\\d{3,20}:[A-Za-z0-9_-]{20,100}")) {
            env.problems.add("TELEGRAM_BOT_TOKEN does not look like a bot token (<digits>:<35 characters>)");
        }
        URI telegram = env.url("TELEGRAM_API_URL").orElse(URI.create("https://api.telegram.org"));
        env.flag("KIE_STUB");
        env.flag("DRY_RUN");
        boolean stub = KieEnv.stubbed(environment);
        // the Kie adapter owns its variables (KIE_*): their problems join ours
        env.problems.addAll(KieEnv.problems(environment));
        Optional<String> dbUrl = env.secret("DATABASE_URL");
        try {
            DatabaseSettings.fromEnv(environment);
        } catch (IllegalArgumentException e) {
            env.problems.add(e.getMessage());
        }
        Path dataDir = Path.of(env.string("DATA_DIR", "./data"));
        Optional<URI> publicUrl = env.url("WEBHOOK_BASE_URL").or(() -> env.url("RENDER_EXTERNAL_URL"));
        Mode mode = env.parsed("BOT_MODE", publicUrl.isPresent() ? Mode.WEBHOOK : Mode.POLLING,
                v -> Mode.valueOf(v.toUpperCase(java.util.Locale.ROOT)), "webhook or polling");
        if (mode == Mode.WEBHOOK && publicUrl.isEmpty()) {
            env.problems.add("BOT_MODE=webhook needs WEBHOOK_BASE_URL (or Render's RENDER_EXTERNAL_URL)");
        }
        String webhookSecret = doorSecret(env, "TELEGRAM_WEBHOOK_SECRET_TOKEN", token, WEBHOOK_SECRET_LABEL);
        String kieCallbackSecret = doorSecret(env, "KIE_CALLBACK_SECRET", token, KIE_CALLBACK_SECRET_LABEL);
        if (webhookSecret.equals(kieCallbackSecret)) {
            env.problems.add("KIE_CALLBACK_SECRET must differ from TELEGRAM_WEBHOOK_SECRET_TOKEN: each door has its own");
        }
        Optional<URI> kieCallbackBase = env.url("KIE_CALLBACK_URL");
        Optional<Integer> port = env.optional("PORT").map(v -> env.integer("PORT", 8080, 1, 65535));
        Set<Long> admins = new LinkedHashSet<>();
        for (String id : env.csv("ADMIN_IDS")) {
            if (id.matches("\\d{1,18}")) {
                admins.add(Long.parseLong(id));
            } else {
                env.problems.add("ADMIN_IDS must be comma-separated numeric Telegram user ids, got '" + id + "'");
            }
        }
        BigDecimal fx = env.positiveDecimal("FX_RATE", "78.0");
        BigDecimal markup = env.positiveDecimal("PRICING_MARKUP", "2.0");
        String currency = env.string("CURRENCY", "RUB").toUpperCase(java.util.Locale.ROOT);
        if (!currency.matches("[A-Z]{3}")) {
            env.problems.add("CURRENCY must be a 3-letter ISO code like RUB, got '" + currency + "'");
            currency = "RUB";
        }
        BigDecimal welcome = env.parsed("WELCOME_BALANCE_RUB", BigDecimal.ZERO, BigDecimal::new, "an amount like 50");
        if (welcome.signum() < 0) {
            env.problems.add("WELCOME_BALANCE_RUB must be >= 0, got " + welcome.toPlainString());
            welcome = BigDecimal.ZERO;
        }
        List<String> freeIds = env.csv("FREE_TIER_MODEL_IDS");
        int freeLimit = env.integer("FREE_DAILY_LIMIT", 5, 0, 1000);
        ZoneId zone = env.parsed("FREE_DAY_ZONE", ZoneId.of("Europe/Moscow"), ZoneId::of, "a time zone like Europe/Moscow");
        List<Long> packages = env.csv("STARS_PACKAGES").isEmpty() ? List.of(50L, 100L, 250L, 500L, 1000L)
                : env.parsed("STARS_PACKAGES", List.of(50L, 100L, 250L, 500L, 1000L),
                v -> java.util.Arrays.stream(v.split(",")).map(String::strip).map(Long::parseLong)
                        .peek(n -> {
                            if (n < 1 || n > 100_000) {
                                throw new IllegalArgumentException();
                            }
                        }).toList(), "comma-separated Star amounts 1..100000");
        BigDecimal starPrice = env.positiveDecimal("STAR_PRICE_RUB", "1.5");
        Map<Category, Duration> deadlines = new EnumMap<>(Category.class);
        if (env.problems.stream().noneMatch(p -> p.startsWith("KIE_DEADLINE"))) {
            PollSchedule schedule = KieEnv.pollSchedule(environment);
            for (Category c : Category.values()) {
                deadlines.put(c, schedule.deadline(c));
            }
        }
        String level = env.string("LOG_LEVEL", "INFO").toUpperCase(java.util.Locale.ROOT);
        if (!Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR").contains(level)) {
            env.problems.add("LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, got '" + level + "'");
            level = "INFO";
        }
        String instance = env.string("INSTANCE_NAME", defaultInstanceName());
        boolean smoke = env.flag("SMOKE_TEST_ON_START");
        boolean requireWebhook = env.flag("REQUIRE_WEBHOOK_REGISTERED");
        BigDecimal lowCredits = env.parsed("KIE_LOW_CREDITS", new BigDecimal("100"), BigDecimal::new, "a number");
        Duration chatInterval = Duration.ofMillis(env.integer("TELEGRAM_CHAT_INTERVAL_MS", 1000, 0, 60_000));
        AdmissionPolicy defaults = AdmissionPolicy.defaults();
        AdmissionPolicy admission = new AdmissionPolicy(
                env.integer("RATE_LIMIT_PER_MINUTE", defaults.perMinute(), 0, 10_000),
                env.integer("RATE_LIMIT_BURST", defaults.burst(), 1, 10_000),
                Duration.ofMillis(env.integer("CALLBACK_DEDUP_MS", (int) defaults.repeatWindow().toMillis(), 0, 60_000)));
        if (!env.problems.isEmpty()) {
            throw new ConfigException(env.problems);
        }
        return new Settings(Map.copyOf(environment), token.orElseThrow(), telegram, stub, dbUrl, dataDir, mode,
                publicUrl, webhookSecret, kieCallbackSecret, kieCallbackBase, port, admins, new Pricing(fx, markup, currency),
                welcome, freeIds.isEmpty() ? Optional.empty() : Optional.of(freeIds), freeLimit, zone,
                env.string("SUPPORT_TELEGRAM", "@support"), env.optional("SUPPORT_TEXT"), instance, level, smoke,
                requireWebhook, packages, starPrice, deadlines, lowCredits, chatInterval, admission);
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

    private static String defaultInstanceName() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "kiebot-" + ProcessHandle.current().pid() : host;
    }

    /**
     * A door's secret: the variable when set (Telegram's secret_token alphabet, 16-256 characters), else
     * derived from the bot token under the door's own label.
     */
    private static String doorSecret(Env env, String variable, Optional<String> token, String label) {
        Optional<String> given = env.secret(variable);
        if (given.isPresent() && !given.get().matches("[A-Za-z0-9_-]{16,256}")) {
            env.problems.add(variable + " must be 16-256 characters of A-Z a-z 0-9 _ - (or unset to derive it)");
            given = Optional.empty();
        }
        return given.orElseGet(() -> derivedSecret(token.orElse(""), label));
    }

    /**
     * A stable secret derived from the bot token (HMAC-SHA256 under {@code label}), so a restart keeps the
     * registered webhook valid and the two doors never share a secret.
     */
    static String derivedSecret(String token, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token.isEmpty() ? new byte[1] : token.getBytes(StandardCharsets.UTF_8),
                    "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(label.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 40);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The conversation's settings derived from this configuration. */
    public ShopSettings shopSettings() {
        return new ShopSettings(adminIds, supportTelegram, supportText, Pricing.minor(welcomeBalance), starsPackages,
                Pricing.minor(starPrice), freeDayZone, deadlines, admission);
    }

    /**
     * Where Kie posts completions, when the bot has a public URL (or KIE_CALLBACK_URL): it carries the Kie
     * callback token only, which lets Kie say no more than "look at task X again".
     */
    public Optional<String> kieCallbackUrl() {
        return kieCallbackBase.or(() -> publicUrl)
                .map(u -> trimSlash(u.toString()) + "/kie/callback/" + kieCallbackSecret);
    }

    /** The registered webhook: no secret in the path; Telegram sends it in the secret-token header. */
    public Optional<String> telegramWebhookUrl() {
        return publicUrl.map(u -> trimSlash(u.toString()) + "/telegram");
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** Every secret value, for log masking. */
    public List<String> secrets() {
        List<String> s = new java.util.ArrayList<>(List.of(botToken, webhookSecret, kieCallbackSecret));
        for (String name : SECRET_VARIABLES) {
            String v = environment.get(name);
            if (v != null && v.strip().length() >= 6) {
                s.add(v.strip());
            }
        }
        return s;
    }

    @Override
    public String toString() {
        return "Settings[mode=" + mode + ", telegramApiUrl=" + telegramApiUrl  + ", kieStub=" + kieStub + ", database=" + (databaseUrl.isPresent() ? "DATABASE_URL" : "embedded in "
                + dataDir) + ", publicUrl=" + publicUrl.map(URI::toString).orElse("-") + ", port="
                + port.map(String::valueOf).orElse("-") + ", admins=" + adminIds.size() + ", pricing=" + pricing
                + ", freeDailyLimit=" + freeDailyLimit + ", instance=" + instanceName + ", secrets=<redacted>]";
    }
}
