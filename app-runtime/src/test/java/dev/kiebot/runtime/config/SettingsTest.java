package dev.kiebot.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.catalog.Category;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
    private static final String TOKEN = TestEnvironment.TOKEN;

    private static Map<String, String> env(String... kv) {
        return TestEnvironment.with(kv);
    }

    @Test
    void defaultsWithOnlyATokenAndTheStub() {
        Settings s = Settings.fromEnv(env());
        assertThat(s.mode()).isEqualTo(Settings.Mode.POLLING);
        assertThat(s.kie().stubbed()).isTrue();
        assertThat(s.catalog().pricing().userPrice(new java.math.BigDecimal("0.02"))).isEqualTo(312);
        assertThat(s.catalog().freeDailyLimit()).isEqualTo(5);
        assertThat(s.shop().starPrice()).isEqualTo(150);
        assertThat(s.shop().deadline(Category.IMAGE)).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.database().jdbcUrl()).isEmpty();
        assertThat(s.telegram().webhookSecret()).matches("[0-9a-f]{40}");
        assertThat(Settings.fromEnv(env()).telegram().webhookSecret()).as("stable across restarts")
                .isEqualTo(s.telegram().webhookSecret());
    }

    @Test
    void everyProblemIsListedAtOnceWithoutEchoingSecrets() {
        Map<String, String> bad = new HashMap<>();
        bad.put("TELEGRAM_BOT_TOKEN", "not-a-token-SECRETVALUE");
        bad.put("FX_RATE", "-3");
        bad.put("PRICING_MARKUP", "abc");
        bad.put("ADMIN_IDS", "12,bob");
        bad.put("FREE_DAILY_LIMIT", "-1");
        bad.put("FREE_DAILY_TOTAL", "-5");
        bad.put("WELCOME_DAILY_TOTAL", "some");
        bad.put("PORT", "99999");
        bad.put("LOG_LEVEL", "LOUD");
        bad.put("DATABASE_URL", "mysql://u:SECRETPASS@h/db");
        bad.put("WEBHOOK_BASE_URL", "ftp://x");
        bad.put("FREE_DAY_ZONE", "Mars/Olympus");
        assertThatThrownBy(() -> Settings.fromEnv(bad))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    String m = e.getMessage();
                    assertThat(m).contains("TELEGRAM_BOT_TOKEN", "KIE_API_KEY", "FX_RATE", "PRICING_MARKUP",
                            "ADMIN_IDS", "FREE_DAILY_LIMIT", "PORT", "LOG_LEVEL", "DATABASE_URL", "WEBHOOK_BASE_URL",
                            "FREE_DAY_ZONE", "FREE_DAILY_TOTAL", "WELCOME_DAILY_TOTAL");
                    assertThat(m).doesNotContain("SECRETVALUE").doesNotContain("SECRETPASS");
                    assertThat(((ConfigException) e).problems()).hasSizeGreaterThanOrEqualTo(13);
                });
    }

    @Test
    void theWebhookUrlComesFromWebhookBaseUrlElseRenderAndCarriesNoSecret() {
        Settings render = Settings.fromEnv(env("RENDER_EXTERNAL_URL", "https://kiebot.onrender.com/"));
        assertThat(render.mode()).isEqualTo(Settings.Mode.WEBHOOK);
        assertThat(render.telegram().webhookUrl()).contains("https://kiebot.onrender.com/telegram");
        Settings explicit = Settings.fromEnv(env("RENDER_EXTERNAL_URL", "https://a.onrender.com",
                "WEBHOOK_BASE_URL", "https://bot.example.com", "TELEGRAM_WEBHOOK_SECRET_TOKEN", "s3cret_-X-0123456789"));
        assertThat(explicit.telegram().webhookSecret()).isEqualTo("s3cret_-X-0123456789");
        assertThat(explicit.telegram().webhookUrl()).contains("https://bot.example.com/telegram");
        assertThat(explicit.kie().callbackUrl()).contains("https://bot.example.com/kie/callback/"
                + explicit.kie().callbackSecret());
        assertThatThrownBy(() -> Settings.fromEnv(env("BOT_MODE", "webhook")))
                .hasMessageContaining("WEBHOOK_BASE_URL");
        assertThatThrownBy(() -> Settings.fromEnv(env("TELEGRAM_WEBHOOK_SECRET_TOKEN", "has spaces!")))
                .hasMessageContaining("TELEGRAM_WEBHOOK_SECRET_TOKEN");
        assertThatThrownBy(() -> Settings.fromEnv(env("TELEGRAM_WEBHOOK_SECRET_TOKEN", "short")))
                .hasMessageContaining("TELEGRAM_WEBHOOK_SECRET_TOKEN");
    }

    @Test
    void aRunnerJarStartedByHandIsItsOwnModeAndSaysWhatItLacksBeforeAnythingStarts() {
        // the webhook jar without a public URL read as polling, assembled the bot (the database started) and only
        // then failed; the polling jar under BOT_MODE=webhook polled while /readyz said webhook
        assertThatThrownBy(() -> Settings.fromEnv(env(), Settings.Mode.WEBHOOK))
                .hasMessageContaining("the webhook runner needs WEBHOOK_BASE_URL")
                .hasMessageContaining("app-polling.jar");
        assertThat(Settings.fromEnv(env("RENDER_EXTERNAL_URL", "https://kiebot.onrender.com"), Settings.Mode.WEBHOOK)
                .mode()).isEqualTo(Settings.Mode.WEBHOOK);
        assertThat(Settings.fromEnv(env("WEBHOOK_BASE_URL", "https://bot.example.com"), Settings.Mode.POLLING)
                .mode()).as("a public URL alone does not turn the polling jar into the webhook runner")
                .isEqualTo(Settings.Mode.POLLING);
        assertThatThrownBy(() -> Settings.fromEnv(env("BOT_MODE", "webhook",
                "WEBHOOK_BASE_URL", "https://bot.example.com"), Settings.Mode.POLLING))
                .hasMessageContaining("BOT_MODE=webhook names the other runner than this app-polling.jar")
                .hasMessageContaining("start app-webhook.jar");
    }

    /**
     * The polling runner serves no Kie callback door, so a public URL it has (Render's, or a WEBHOOK_BASE_URL left set)
     * is no callback address: a job whose createTask Kie did not answer would wait until its deadline for a callback
     * nothing receives, its user told the result may come, instead of its refund at once. KIE_CALLBACK_URL, given, is
     * where another instance on the same database takes them.
     */
    @Test
    void thePollingRunnerTakesNoCallbackAddressFromAPublicUrlItDoesNotServe() {
        assertThat(Settings.fromEnv(env("WEBHOOK_BASE_URL", "https://bot.example.com"), Settings.Mode.POLLING)
                .kie().callbackUrl()).isEmpty();
        assertThat(Settings.fromEnv(env("BOT_MODE", "polling", "RENDER_EXTERNAL_URL", "https://kiebot.onrender.com"))
                .kie().callbackUrl()).isEmpty();
        Settings given = Settings.fromEnv(env("WEBHOOK_BASE_URL", "https://bot.example.com",
                "KIE_CALLBACK_URL", "https://kie-in.example.com"), Settings.Mode.POLLING);
        assertThat(given.kie().callbackUrl()).contains("https://kie-in.example.com/kie/callback/"
                + given.kie().callbackSecret());
        assertThat(Settings.fromEnv(env("WEBHOOK_BASE_URL", "https://bot.example.com"), Settings.Mode.WEBHOOK)
                .kie().callbackUrl()).isPresent();
    }

    /**
     * A host of non-Latin letters (an IDN) or with a «_» has no host for java.net.URI: the problem says why and, for an
     * IDN, the punycode form to write. Both were «has no host», the host plainly there in what the operator wrote.
     */
    @Test
    void aUrlWhoseHostJavaCannotReadSaysWhy() {
        assertThatThrownBy(() -> Settings.fromEnv(env("WEBHOOK_BASE_URL", "https://бот.рф")))
                .hasMessageContaining("WEBHOOK_BASE_URL has a host of non-Latin letters: write it in its punycode "
                        + "form, xn--90a0am.xn--p1ai");
        assertThatThrownBy(() -> Settings.fromEnv(env("WEBHOOK_BASE_URL", "https://user:pw@бот.рф:8443/p")))
                .hasMessageContaining("punycode form, xn--90a0am.xn--p1ai (").hasMessageNotContaining("pw");
        assertThatThrownBy(() -> Settings.fromEnv(env("WEBHOOK_BASE_URL", "https://my_bot.example.com/hook")))
                .hasMessageContaining("WEBHOOK_BASE_URL has a «_» in its host");
        assertThat(Settings.fromEnv(env("WEBHOOK_BASE_URL", "https://xn--90a0am.xn--p1ai")).telegram().webhookUrl())
                .contains("https://xn--90a0am.xn--p1ai/telegram");
    }

    @Test
    void aUrlsSchemeInCapitalsIsTheSameScheme() {
        Settings s = Settings.fromEnv(env("WEBHOOK_BASE_URL", "HTTPS://bot.example.com"));
        assertThat(s.telegram().webhookUrl()).contains("https://bot.example.com/telegram");
        assertThatThrownBy(() -> Settings.fromEnv(env("WEBHOOK_BASE_URL", "FTP://bot.example.com")))
                .hasMessageContaining("WEBHOOK_BASE_URL must start with https://");
    }

    @Test
    void eachDoorHasItsOwnSecretAndTheKieUrlNeverCarriesTheTelegramOne() {
        Settings derived = Settings.fromEnv(env("WEBHOOK_BASE_URL", "https://bot.example.com"));
        assertThat(derived.kie().callbackSecret()).matches("[0-9a-f]{40}")
                .isNotEqualTo(derived.telegram().webhookSecret());
        assertThat(derived.kie().callbackUrl().orElseThrow()).doesNotContain(derived.telegram().webhookSecret());
        Settings given = Settings.fromEnv(env("WEBHOOK_BASE_URL", "https://bot.example.com",
                "TELEGRAM_WEBHOOK_SECRET_TOKEN", "telegram-door-0123456789",
                "KIE_CALLBACK_SECRET", "kie-door-0123456789abcdef", "KIE_CALLBACK_URL", "https://kie-in.example.com/"));
        assertThat(given.kie().callbackUrl()).contains("https://kie-in.example.com/kie/callback/kie-door-0123456789abcdef");
        assertThat(given.secrets()).contains("telegram-door-0123456789", "kie-door-0123456789abcdef");
        assertThatThrownBy(() -> Settings.fromEnv(env("TELEGRAM_WEBHOOK_SECRET_TOKEN", "same-secret-0123456789",
                "KIE_CALLBACK_SECRET", "same-secret-0123456789"))).hasMessageContaining("must differ");
    }

    /** The callback token before a rotation, let in for a while: validated as the token is, and a secret. */
    @Test
    void thePreviousCallbackTokenIsValidatedAndMasked() {
        Settings rotated = Settings.fromEnv(env("KIE_CALLBACK_SECRET", "kie-door-0123456789abcdef",
                "KIE_CALLBACK_SECRET_PREVIOUS", "kie-door-before-0123456789"));
        assertThat(rotated.kie().previousCallbackSecret()).contains("kie-door-before-0123456789");
        assertThat(rotated.secrets()).contains("kie-door-before-0123456789");
        assertThat(rotated.toString()).doesNotContain("kie-door-before-0123456789");
        assertThat(Settings.fromEnv(env()).kie().previousCallbackSecret()).isEmpty();
        assertThatThrownBy(() -> Settings.fromEnv(env("KIE_CALLBACK_SECRET", "kie-door-0123456789abcdef",
                "KIE_CALLBACK_SECRET_PREVIOUS", "kie-door-0123456789abcdef")))
                .hasMessageContaining("KIE_CALLBACK_SECRET_PREVIOUS is the secret in use");
        assertThatThrownBy(() -> Settings.fromEnv(env("KIE_CALLBACK_SECRET_PREVIOUS", "short")))
                .hasMessageContaining("KIE_CALLBACK_SECRET_PREVIOUS must be 16-256 characters");
        assertThatThrownBy(() -> Settings.fromEnv(env("TELEGRAM_WEBHOOK_SECRET_TOKEN", "same-secret-0123456789",
                "KIE_CALLBACK_SECRET_PREVIOUS", "same-secret-0123456789"))).hasMessageContaining("must differ");
    }

    @Test
    void toStringShowsNoSecret() {
        Settings s = Settings.fromEnv(env("KIE_STUB", "0", "KIE_API_KEY", "kie-very-secret-key",
                "DATABASE_URL", "postgres://u:dbpass123@db:5432/x"));
        assertThat(s.toString()).doesNotContain(TOKEN).doesNotContain("kie-very-secret-key")
                .doesNotContain("dbpass123").doesNotContain(s.telegram().webhookSecret());
        assertThat(s.secrets()).contains(TOKEN, "kie-very-secret-key");
    }

    /**
     * The start's line says the settings in the variables' words, as README's table names them: it was the fields'
     * names and the pricing record's own text ({@code pricing=Pricing[fxRate=78.0, markup=2.0, currency=RUB]}).
     */
    @Test
    void toStringSaysTheSettingsInTheVariablesWords() {
        Settings s = Settings.fromEnv(env("KIE_STUB", "0", "KIE_API_KEY", "kie-very-secret-key", "ADMIN_IDS", "42",
                "FX_RATE", "90.5", "FREE_DAILY_LIMIT", "3", "FREE_DAILY_TOTAL", "100"));
        assertThat(s.toString()).contains("TELEGRAM_API_URL=https://api.telegram.org", "KIE_STUB=off",
                        "ADMIN_IDS: 1 admin", "CURRENCY=RUB, FX_RATE=90.5, PRICING_MARKUP=", "FREE_DAILY_LIMIT=3",
                        "FREE_DAILY_TOTAL=100", "WELCOME_DAILY_TOTAL=0 (no cap)", "LOG_FORMAT=text",
                        "secrets (tokens, keys, passwords) not shown")
                .doesNotContain("Pricing[").doesNotContain("Settings[").doesNotContain("fxRate");
    }

    /** A URL the start's line shows keeps its password or key out of it: user info, query and fragment. */
    @Test
    void toStringShowsAUrlWithoutItsUserInfoOrQuery() {
        Settings s = Settings.fromEnv(env("WEBHOOK_BASE_URL", "https://proxy:pr0xyPass@bot.example.com/in?key=k3yValue",
                "TELEGRAM_API_URL", "http://127.0.0.1:8081/bot-api?access=l0calKey"));
        assertThat(s.toString()).contains("WEBHOOK_BASE_URL=https://bot.example.com/in (user info, query and fragment "
                + "not shown)", "TELEGRAM_API_URL=http://127.0.0.1:8081/bot-api (user info, query and fragment not shown)")
                .doesNotContain("pr0xyPass").doesNotContain("k3yValue").doesNotContain("l0calKey");
        assertThat(Settings.shown(java.net.URI.create("https://bot.example.com"))).isEqualTo("https://bot.example.com");
    }

    @Test
    void freeTierOverrideAndPackagesAreParsed() {
        Settings s = Settings.fromEnv(env("FREE_TIER_MODEL_IDS", "a, b,c,d,e", "STARS_PACKAGES", "10, 20",
                "STAR_PRICE_RUB", "2", "WELCOME_BALANCE_RUB", "50.5", "ADMIN_IDS", "7, 8"));
        assertThat(s.catalog().freeTierModelIds()).contains(java.util.List.of("a", "b", "c", "d", "e"));
        assertThat(s.shop().starsPackages()).containsExactly(10L, 20L);
        assertThat(s.shop().welcomeBonus()).isEqualTo(5050);
        // core's ShopSettings keeps the ids as an unordered set: the ids, not their order, are the fact
        assertThat(s.shop().adminIds()).containsExactly(7L, 8L);
        assertThatThrownBy(() -> Settings.fromEnv(env("STARS_PACKAGES", "10,x"))).hasMessageContaining("STARS_PACKAGES");
    }

    /**
     * 0 has an id's digits and is nobody's: the operator who wrote it believed himself an admin, and got no alert, no
     * ticket and a refused /admin. A negative id (a group's chat id) is refused alike; the message says what to pass.
     */
    @Test
    void anAdminIdOfZeroOrBelowIsRefusedSayingWhereToFindOnesOwn() {
        for (String ids : List.of("0", "42, 000", "-1001234567")) {
            assertThatThrownBy(() -> Settings.fromEnv(env("ADMIN_IDS", ids))).as(ids)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("ADMIN_IDS must be comma-separated Telegram user ids, each a number above 0")
                    .hasMessageContaining("/admin");
        }
        assertThat(Settings.fromEnv(env("ADMIN_IDS", "042")).shop().adminIds()).containsExactly(42L);
    }

    @Test
    void invitationsAreOffWithoutAShareAndRefusedWithoutACap() {
        assertThat(Settings.fromEnv(env()).shop().referral().offered()).isFalse();
        Settings on = Settings.fromEnv(env("REFERRAL_PERCENT", "15", "REFERRAL_BONUS_MAX_RUB", "250.5"));
        assertThat(on.shop().referral()).isEqualTo(new dev.kiebot.core.conversation.ReferralBonus(15, 25_050));
        assertThatThrownBy(() -> Settings.fromEnv(env("REFERRAL_PERCENT", "101"))).hasMessageContaining(
                "REFERRAL_PERCENT");
        assertThatThrownBy(() -> Settings.fromEnv(env("REFERRAL_PERCENT", "10", "REFERRAL_BONUS_MAX_RUB", "0")))
                .hasMessageContaining("REFERRAL_BONUS_MAX_RUB must be more than 0");
    }

    /** A rate with its digits twice, or a markup written as a percentage (150 for 1.5): refused, naming the limit. */
    @Test
    void anFxRateAboveAMillionOrAMarkupAboveAHundredIsRefusedNamingTheLimit() {
        assertThatThrownBy(() -> Settings.fromEnv(env("FX_RATE", "1000000.01", "PRICING_MARKUP", "150")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
                        "FX_RATE must be at most 1000000, got 1000000.01",
                        "PRICING_MARKUP must be at most 100, got 150"));
        // a Star's rate in such a currency: 1.5 of it would be $0.0000015 a Star, refused as less than $0.001
        Settings atTheLimits = Settings.fromEnv(env("FX_RATE", "1000000", "PRICING_MARKUP", "100",
                "STAR_PRICE_RUB", "1000"));
        assertThat(atTheLimits.catalog().pricing().fxRate()).isEqualByComparingTo("1000000");
        assertThat(atTheLimits.catalog().pricing().markup()).isEqualByComparingTo("100");
    }

    @Test
    void kieLowCreditsIsZeroOrMoreAndZeroMeansNoAlert() {
        assertThat(Settings.fromEnv(env("KIE_LOW_CREDITS", "0")).kie().lowCredits()).isEqualByComparingTo("0");
        assertThat(Settings.fromEnv(env("KIE_LOW_CREDITS", "250.5")).kie().lowCredits())
                .isEqualByComparingTo("250.5");
        assertThatThrownBy(() -> Settings.fromEnv(env("KIE_LOW_CREDITS", "-1")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .containsExactly("KIE_LOW_CREDITS must be 0 or more, got -1"));
        assertThatThrownBy(() -> Settings.fromEnv(env("KIE_LOW_CREDITS", "lots")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("KIE_LOW_CREDITS must be a number");
    }

    /**
     * An env file's {@code FX_RATE=} or a deployment form's empty field: the default, and its name among the variables
     * set but empty (one INFO line at start, {@code StartNoticesTest}), not a notice of its own.
     */
    @Test
    void aVariableSetButEmptyIsReadAsUnsetAndNamedOnceAmongTheEmptyOnes() {
        Settings s = Settings.fromEnv(env("FX_RATE", "", "PRICING_MARKUP", "  ", "DATABASE_PASSWORD", "",
                "LOG_LEVEL", "debug"));
        assertThat(s.catalog().pricing().fxRate()).isEqualByComparingTo("78.0");
        assertThat(s.catalog().pricing().markup()).isEqualByComparingTo("2.0");
        assertThat(s.database().password()).isEmpty();
        // FX_RATE is read twice (the rate, and whether another currency brought its own): still named once
        assertThat(s.setButEmpty()).containsExactly("DATABASE_PASSWORD", "FX_RATE", "PRICING_MARKUP");
        assertThat(s.notices()).noneMatch(n -> n.contains("FX_RATE") || n.contains("PRICING_MARKUP")
                || n.contains("DATABASE_PASSWORD") || n.contains("LOG_LEVEL"));
        assertThatThrownBy(() -> Settings.fromEnv(env("TELEGRAM_BOT_TOKEN", "")))
                .as("a required variable set but empty is still missing")
                .isInstanceOf(ConfigException.class).hasMessageContaining("TELEGRAM_BOT_TOKEN");
    }

    @Test
    void anUnsetSupportContactIsNoContactAndANoticeSayingWhereUsersAreSent() {
        Settings unset = Settings.fromEnv(env("ADMIN_IDS", "42"));
        assertThat(unset.shop().support()).as("no placeholder account shown to users").isEmpty();
        assertThat(unset.notices()).anyMatch(n -> n.startsWith("SUPPORT_TELEGRAM is not set")
                && n.contains("/paysupport") && !n.contains("@support"));
        Settings set = Settings.fromEnv(env("SUPPORT_TELEGRAM", "@shop_help"));
        assertThat(set.shop().support()).contains("@shop_help");
        assertThat(set.notices()).noneMatch(n -> n.contains("SUPPORT_TELEGRAM"));
    }

    /**
     * New Telegram accounts cost nothing, and each one's free generations and welcome bonus are paid from the shop's Kie
     * account: without a day's total for the whole bot (FREE_DAILY_TOTAL defaults to none, FREE_DAILY_LIMIT to 5) the
     * start said nothing.
     */
    @Test
    void freeGenerationsOrAWelcomeBonusWithoutADailyTotalAreNoticedAtStart() {
        Settings free = Settings.fromEnv(env("KIE_STUB", "0", "KIE_API_KEY", "kie-key-123456"));
        assertThat(free.notices()).anyMatch(n -> n.startsWith("FREE_DAILY_LIMIT gives every user 5 free generations a"
                + " day and FREE_DAILY_TOTAL is not set") && n.contains("5·N a day"));
        assertThat(free.notices()).noneMatch(n -> n.contains("WELCOME_DAILY_TOTAL"));
        Settings welcome = Settings.fromEnv(env("KIE_STUB", "0", "KIE_API_KEY", "kie-key-123456",
                "WELCOME_BALANCE_RUB", "50", "FREE_DAILY_TOTAL", "100"));
        assertThat(welcome.notices()).anyMatch(n -> n.startsWith("WELCOME_BALANCE_RUB gives every new account 50 RUB"
                + " and WELCOME_DAILY_TOTAL is not set"));
        // in the shop's currency whatever the variable's name, and one generation is one
        Settings inDollars = Settings.fromEnv(env("KIE_STUB", "0", "KIE_API_KEY", "kie-key-123456", "CURRENCY", "USD",
                "FX_RATE", "1", "STAR_PRICE_RUB", "0.02", "WELCOME_BALANCE_RUB", "1.5", "FREE_DAILY_LIMIT", "1"));
        assertThat(inDollars.notices()).anyMatch(n -> n.startsWith("WELCOME_BALANCE_RUB gives every new account 1.5 USD"
                + " and WELCOME_DAILY_TOTAL is not set"));
        assertThat(inDollars.notices()).anyMatch(n -> n.startsWith("FREE_DAILY_LIMIT gives every user 1 free generation"
                + " a day and FREE_DAILY_TOTAL is not set") && n.contains("1·N a day"));
        assertThat(welcome.notices()).noneMatch(n -> n.contains("FREE_DAILY_TOTAL"));
        assertThat(Settings.fromEnv(env("KIE_STUB", "0", "KIE_API_KEY", "kie-key-123456", "WELCOME_BALANCE_RUB", "50",
                "WELCOME_DAILY_TOTAL", "20", "FREE_DAILY_LIMIT", "0")).notices())
                .noneMatch(n -> n.contains("DAILY_TOTAL is not set"));
        assertThat(Settings.fromEnv(env("WELCOME_BALANCE_RUB", "50")).notices()).as("the Kie stub pays nobody")
                .noneMatch(n -> n.contains("DAILY_TOTAL is not set"));
    }

    @Test
    void aMarkupBelowOneIsAcceptedWithANoticeThatEverySaleLosesMoney() {
        Settings below = Settings.fromEnv(env("PRICING_MARKUP", "0.8"));
        assertThat(below.catalog().pricing().markup()).isEqualByComparingTo("0.8");
        assertThat(below.notices()).anyMatch(n -> n.startsWith("PRICING_MARKUP is 0.8, below 1"));
        assertThat(Settings.fromEnv(env("PRICING_MARKUP", "1")).notices()).noneMatch(n -> n.contains("PRICING_MARKUP"));
        assertThat(Settings.fromEnv(env()).notices()).noneMatch(n -> n.contains("PRICING_MARKUP"));
    }

    @Test
    void anotherCurrencyWithoutItsOwnRateIsNoticedBecauseTheDefaultRateIsRublesPerDollar() {
        // 0.1, not the 0.02 of a dollar shop: at the default ruble rate 2 cents a Star is $0.0003, refused at start
        assertThat(Settings.fromEnv(env("CURRENCY", "usd", "STAR_PRICE_RUB", "0.1")).notices())
                .anyMatch(n -> n.startsWith("CURRENCY is USD but FX_RATE is not set") && n.contains("1 for USD"));
        assertThat(Settings.fromEnv(env("CURRENCY", "USD", "FX_RATE", "1", "STAR_PRICE_RUB", "0.02")).notices())
                .noneMatch(n -> n.contains("FX_RATE"));
        assertThat(Settings.fromEnv(env()).notices()).noneMatch(n -> n.contains("FX_RATE"));
    }

    /** Yen count in units and dinars in thousandths: the ledger's hundredths would make every amount wrong. */
    @Test
    void aCurrencyThatDoesNotCountInHundredthsIsRefused() {
        assertThatThrownBy(() -> Settings.fromEnv(env("CURRENCY", "jpy", "FX_RATE", "150", "STAR_PRICE_RUB", "2")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .anyMatch(p -> p.startsWith("CURRENCY JPY does not count in hundredths")));
    }

    /** STAR_PRICE_RUB's default is 1.5 rubles: in dollars each Star would credit $1.50, a hundred times its worth. */
    @Test
    void anotherCurrencyWithTheDefaultStarPriceInRublesIsRefused() {
        assertThatThrownBy(() -> Settings.fromEnv(env("CURRENCY", "USD", "FX_RATE", "1")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly("CURRENCY is USD but "
                        + "STAR_PRICE_RUB is not set: its default is 1.5 rubles a Star; set STAR_PRICE_RUB to what "
                        + "one Star credits in USD (the variable keeps its older name)"));
        assertThat(Settings.fromEnv(env("CURRENCY", "USD", "FX_RATE", "1", "STAR_PRICE_RUB", "0.02")).shop()
                .starPrice()).isEqualTo(2);
        assertThat(Settings.fromEnv(env()).shop().starPrice()).isEqualTo(150);
    }

    /**
     * A Star set to credit more than $0.10 at FX_RATE (1.5 in a dollar shop, copied from the ruble default) is named
     * by its variables at start: core's Shop.builder refuses it too, which the runner met as a crash at build.
     */
    @Test
    void aStarPriceWorthMoreThanTenCentsIsRefusedByItsVariables() {
        assertThatThrownBy(() -> Settings.fromEnv(env("CURRENCY", "USD", "FX_RATE", "1", "STAR_PRICE_RUB", "1.5")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly("STAR_PRICE_RUB is "
                        + "1.50 USD a Star, $1.5 at FX_RATE 1: more than $0.10, while a Star earns its seller about "
                        + "$0.013; set STAR_PRICE_RUB to what one Star credits in USD, in whole USD (1.5 is kiebot's "
                        + "rubles)"));
        assertThat(Settings.fromEnv(env("STAR_PRICE_RUB", "7.8")).shop().starPrice()).as("$0.10 at 78 RUB")
                .isEqualTo(780);
        assertThatThrownBy(() -> Settings.fromEnv(env("STAR_PRICE_RUB", "7.9"))).isInstanceOf(ConfigException.class);
    }

    /**
     * A Star set to credit less than a tenth of a cent at FX_RATE (0.01, a kopeck, typed for 1.5) is named by its
     * variables at start, as one over $0.10 is: core's Shop.builder refuses it too.
     */
    @Test
    void aStarPriceWorthLessThanATenthOfACentIsRefusedByItsVariables() {
        assertThatThrownBy(() -> Settings.fromEnv(env("STAR_PRICE_RUB", "0.01")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly("STAR_PRICE_RUB is "
                        + "0.01 RUB a Star, $0.0001 at FX_RATE 78: less than $0.001, while a Star earns its seller "
                        + "about $0.013; set STAR_PRICE_RUB to what one Star credits in RUB, in whole RUB (1.5 is "
                        + "kiebot's rubles)"));
        assertThat(Settings.fromEnv(env("STAR_PRICE_RUB", "0.08")).shop().starPrice()).as("$0.001 at 78 RUB")
                .isEqualTo(8);
        assertThatThrownBy(() -> Settings.fromEnv(env("STAR_PRICE_RUB", "0.07"))).isInstanceOf(ConfigException.class);
        // at a million to the dollar the default 1.5 a Star is $0.0000015: said so, not "$0" (four places)
        assertThatThrownBy(() -> Settings.fromEnv(env("FX_RATE", "1000000")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).anyMatch(p -> p.startsWith(
                        "STAR_PRICE_RUB is 1.50 RUB a Star, $0.0000015 at FX_RATE 1000000: less than $0.001")));
    }

    /** A support contact set with no admin: alerts and /paysupport tickets reach nobody, said at start (was silent). */
    @Test
    void noAdminIsNamedAtStartThoughASupportContactIsSet() {
        assertThat(Settings.fromEnv(env("SUPPORT_TELEGRAM", "@shop_help")).notices())
                .anyMatch(n -> n.startsWith("ADMIN_IDS is not set: alerts") && n.contains("/paysupport"));
        assertThat(Settings.fromEnv(env("SUPPORT_TELEGRAM", "@shop_help", "ADMIN_IDS", "42")).notices())
                .noneMatch(n -> n.startsWith("ADMIN_IDS is not set"));
    }

    /** A misspelled variable was the default in silence: ADMINS_IDS left the shop with no admin and no word of it. */
    @Test
    void aVariableOfOursThatNothingReadsIsNamedWithTheOneMeant() {
        List<String> notices = Settings.fromEnv(env("ADMINS_IDS", "42", "SUPPORT_TELEGRAM", "@shop_help",
                "KIE_FOO_BAR_BAZ_QUX", "1", "PATH", "/usr/bin", "RENDER_SERVICE_ID", "srv-1", "REDIS_URL", "r")).notices();

        assertThat(notices).contains("ADMINS_IDS is set but not read (with these settings it has no effect); did you "
                + "mean ADMIN_IDS?", "KIE_FOO_BAR_BAZ_QUX is set but not read (with these settings it has no effect)");
        assertThat(notices).as("not ours, or the earlier bots' table's").noneMatch(n -> n.startsWith("PATH")
                || n.startsWith("RENDER_") || n.startsWith("REDIS_URL is set but not read"));
        assertThat(Settings.fromEnv(env()).notices()).as("the first run's variables are all read")
                .noneMatch(n -> n.contains("is set but not read"));
    }

    @Test
    void withNeitherASupportContactNorAnAdminTheStartSaysPaymentProblemsReachNobody() {
        Settings nobody = Settings.fromEnv(env());
        assertThat(nobody.notices()).anyMatch(n -> n.startsWith("neither SUPPORT_TELEGRAM nor ADMIN_IDS is set")
                && n.contains("/paysupport") && n.contains("set ADMIN_IDS"));
        assertThat(Settings.fromEnv(env("SUPPORT_TELEGRAM", "@shop_help")).notices())
                .noneMatch(n -> n.contains("ADMIN_IDS is set"));
    }

    @Test
    void cardTopUpsAreOffUnlessACardOrPhoneIsGivenAndEveryPaymentVariableIsChecked() {
        assertThat(Settings.fromEnv(env()).manualPayments().enabled()).isFalse();
        Settings on = Settings.fromEnv(env("ADMIN_IDS", "42", "PAYMENT_CARD", "2200 1234 5678 9012", "PAYMENT_BANK", "T-Bank",
                "PAYMENT_CARD_HOLDER", "I. Ivanov", "PAYMENT_MIN_RUB", "50", "PAYMENT_MAX_RUB", "20000.50",
                "PAYMENT_EXPIRE_HOURS", "24"));
        assertThat(on.manualPayments().enabled()).isTrue();
        assertThat(on.manualPayments().card()).contains("2200 1234 5678 9012");
        assertThat(on.manualPayments().minAmount()).isEqualTo(5_000);
        assertThat(on.manualPayments().maxAmount()).isEqualTo(2_000_050);
        assertThat(on.manualPayments().expireAfter()).isEqualTo(Duration.ofHours(24));
        assertThat(on.toString()).contains("manual payments (PAYMENT_CARD, PAYMENT_PHONE) on");
        assertThat(Settings.fromEnv(env("ADMIN_IDS", "42", "PAYMENT_PHONE", "+7 (900) 123-45-67")).manualPayments()
                .phone()).contains("+7 (900) 123-45-67");
        // credited only when an admin confirms: with no admin, a user's transfer would never be credited
        assertThatThrownBy(() -> Settings.fromEnv(env("PAYMENT_PHONE", "+7 (900) 123-45-67")))
                .hasMessageContaining("set ADMIN_IDS");
        assertThatThrownBy(() -> Settings.fromEnv(env("PAYMENT_CARD", "1234", "PAYMENT_PHONE", "call me",
                "PAYMENT_MIN_RUB", "0", "PAYMENT_EXPIRE_HOURS", "0")))
                .hasMessageContaining("PAYMENT_CARD").hasMessageContaining("PAYMENT_PHONE")
                .hasMessageContaining("PAYMENT_MIN_RUB").hasMessageContaining("PAYMENT_EXPIRE_HOURS");
        assertThatThrownBy(() -> Settings.fromEnv(env("PAYMENT_CARD", "2200123456789012", "PAYMENT_MIN_RUB", "500",
                "PAYMENT_MAX_RUB", "100"))).hasMessageContaining("PAYMENT_MIN_RUB must not be above PAYMENT_MAX_RUB");
        assertThatThrownBy(() -> Settings.fromEnv(env("PAYMENT_BANK", "T-Bank")))
                .hasMessageContaining("need a card or a phone");
    }

    /** TEXTS_FILE: the shop's own terms and privacy policy, read and checked at start. */
    @Test
    void theShopsOwnTextsAreReadFromTextsFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path file = dir.resolve("texts.properties");
        java.nio.file.Files.writeString(file, """
                # the seller's own terms and privacy policy
                ru.terms=📄 Условия использования\\nПродавец: ИП Иванов Иван Иванович, ИНН 123456789012.
                en.privacy=Privacy policy of Ivan Ivanov, sole trader: write to /paysupport.
                """, java.nio.charset.StandardCharsets.UTF_8);
        Settings s = Settings.fromEnv(env("TEXTS_FILE", file.toString()));
        assertThat(s.texts().text("ru", "terms"))
                .contains("📄 Условия использования\nПродавец: ИП Иванов Иван Иванович, ИНН 123456789012.");
        assertThat(s.texts().text("en", "privacy")).contains("Privacy policy of Ivan Ivanov, sole trader: write to "
                + "/paysupport.");
        assertThat(s.texts().text("en", "terms")).isEmpty();
        assertThat(Settings.fromEnv(env()).texts().isEmpty()).isTrue();
    }

    @Test
    void aTextsFileWithAWrongKeyOrPlaceholderStopsTheStartNamingTheFileAndTheKey(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path file = dir.resolve("texts.properties");
        java.nio.file.Files.writeString(file, """
                ru.tems=Условия
                en.welcome.back=Welcome back, {0}!
                terms=Terms
                """, java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Settings.fromEnv(env("TEXTS_FILE", file.toString())))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).satisfiesExactlyInAnyOrder(
                        p -> assertThat(p).startsWith("TEXTS_FILE " + file + ": the key terms must be "
                                + "<language>.<text's key>"),
                        p -> assertThat(p).startsWith("TEXTS_FILE " + file + ": ")
                                .contains("ru.tems: no such text")
                                .contains("en.welcome.back: leaves out {1}")));
        assertThatThrownBy(() -> Settings.fromEnv(env("TEXTS_FILE", dir.resolve("missing.properties").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("TEXTS_FILE " + dir.resolve(
                        "missing.properties") + " cannot be read");
    }

    /**
     * BIND_ADDRESS (an IP of this machine, never a name to look up) and HTTP_CONNECTIONS_PER_ADDRESS (what one client
     * may hold open: slowloris, review R3) are read and checked at the start.
     */
    @Test
    void theListeningAddressAndTheConnectionsPerAddressAreReadAndChecked() {
        HttpSettings defaults = Settings.fromEnv(env()).http();
        assertThat(defaults.bindAddress()).isEmpty();
        assertThat(defaults.connectionsPerAddress()).isEqualTo(100);
        HttpSettings set = Settings.fromEnv(env("BIND_ADDRESS", "127.0.0.1", "HTTP_CONNECTIONS_PER_ADDRESS", "250"))
                .http();
        assertThat(set.bindAddress()).contains("127.0.0.1");
        assertThat(set.connectionsPerAddress()).isEqualTo(250);
        assertThat(Settings.fromEnv(env("BIND_ADDRESS", "::1")).http().bindAddress()).contains("::1");
        assertThatThrownBy(() -> Settings.fromEnv(env("BIND_ADDRESS", "localhost", "HTTP_CONNECTIONS_PER_ADDRESS",
                "5")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactlyInAnyOrder(
                        "BIND_ADDRESS must be an IP address of this machine, such as 127.0.0.1 (behind a proxy on this "
                                + "machine) or :: (unset: every interface), not localhost",
                        "HTTP_CONNECTIONS_PER_ADDRESS must be between 10 and 1000, got 5"));
        assertThatThrownBy(() -> Settings.fromEnv(env("BIND_ADDRESS", "300.1.1.1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("BIND_ADDRESS must be an IP address");
    }

    /** HTTP_HEADER_DEADLINE_MS (how long a request's headers may take: slowloris by bytes) is read and checked. */
    @Test
    void theHeaderDeadlineIsReadAndChecked() {
        assertThat(Settings.fromEnv(env()).http().headerDeadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(Settings.fromEnv(env("HTTP_HEADER_DEADLINE_MS", "2500")).http().headerDeadline())
                .isEqualTo(Duration.ofMillis(2500));
        for (String wrong : new String[] {"999", "120001", "ten"}) {
            assertThatThrownBy(() -> Settings.fromEnv(env("HTTP_HEADER_DEADLINE_MS", wrong)))
                    .as(wrong).isInstanceOf(ConfigException.class).hasMessageContaining("HTTP_HEADER_DEADLINE_MS");
        }
    }

    /** A public URL without METRICS_TOKEN: /metrics opens to nobody, and the start says so and what to set. */
    @Test
    void aBotWithAPublicUrlButNoMetricsTokenIsToldThatNobodyCanScrape() {
        Settings webhook = Settings.fromEnv(env("WEBHOOK_BASE_URL", "https://bot.example.com"), Settings.Mode.WEBHOOK);
        assertThat(webhook.publicUrl()).isTrue();
        assertThat(webhook.notices()).anySatisfy(n -> assertThat(n).contains("METRICS_TOKEN is not set",
                "/metrics is refused to every request"));
        Settings polling = Settings.fromEnv(env(), Settings.Mode.POLLING);
        assertThat(polling.publicUrl()).isFalse();
        assertThat(polling.notices()).noneSatisfy(n -> assertThat(n).contains("METRICS_TOKEN"));
        Settings scraped = Settings.fromEnv(env("WEBHOOK_BASE_URL", "https://bot.example.com",
                "METRICS_TOKEN", "metrics-token-0123456789"), Settings.Mode.WEBHOOK);
        assertThat(scraped.notices()).noneSatisfy(n -> assertThat(n).contains("METRICS_TOKEN"));
    }

    /**
     * Telegram's own Bot API posts a webhook's updates to https:// on port 443, 80, 88 or 8443 only and refuses any other
     * webhook: the runner retried setWebhook for ever with /readyz 503. Now the start refuses it, with the other
     * configuration problems, and says what to change; a local Bot API server takes any, so it is not checked there.
     */
    @Test
    void aWebhookUrlTelegramsBotApiWouldRefuseStopsTheStart() {
        assertThatThrownBy(() -> Settings.fromEnv(env("WEBHOOK_BASE_URL", "http://bot.example.com:9000/in-s3cret")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).singleElement().asString()
                        .startsWith("WEBHOOK_BASE_URL is an http:// address on port 9000, and Telegram posts a "
                                + "webhook's updates only to https:// on port 443, 80, 88 or 8443")
                        .contains("TLS proxy", "TELEGRAM_API_URL")
                        .doesNotContain("in-s3cret"));
        assertThatThrownBy(() -> Settings.fromEnv(env("WEBHOOK_BASE_URL", "http://bot.example.com"),
                Settings.Mode.WEBHOOK)).hasMessageContaining("WEBHOOK_BASE_URL is an http:// address, and");
        assertThatThrownBy(() -> Settings.fromEnv(env("WEBHOOK_BASE_URL", "https://bot.example.com:9443",
                "TELEGRAM_API_URL", "https://api.telegram.org")))
                .hasMessageContaining("WEBHOOK_BASE_URL is an address on port 9443, and");
        assertThatThrownBy(() -> Settings.fromEnv(env("RENDER_EXTERNAL_URL", "http://kiebot.onrender.com")))
                .hasMessageContaining("RENDER_EXTERNAL_URL is an http:// address");
        for (String port : List.of("", ":443", ":80", ":88", ":8443")) {
            assertThat(Settings.fromEnv(env("WEBHOOK_BASE_URL", "https://bot.example.com" + port)).telegram()
                    .webhookUrl()).as(port).contains("https://bot.example.com" + port + "/telegram");
        }
        assertThat(Settings.fromEnv(env("WEBHOOK_BASE_URL", "http://127.0.0.1:9000",
                "TELEGRAM_API_URL", "http://127.0.0.1:8081")).telegram().webhookUrl())
                .as("a local Bot API server takes http:// and any port")
                .contains("http://127.0.0.1:9000/telegram");
        assertThat(Settings.fromEnv(env("WEBHOOK_BASE_URL", "http://bot.example.com:9000"), Settings.Mode.POLLING)
                .mode()).as("polling registers no webhook").isEqualTo(Settings.Mode.POLLING);
    }
}
