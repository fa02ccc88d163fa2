package dev.kiebot.runtime.config;

import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.ReferralBonus;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The shop's variables, read into core's {@link ShopSettings}; every default is core's
 * ({@link ShopSettings#defaults()}, {@link AdmissionPolicy#defaults()}). Job deadlines are shop settings: how long
 * the shop lets a customer wait before it refunds. Their variables keep their documented {@code KIE_DEADLINE_*}
 * names.
 */
final class ShopVariables {
    static final long STARS_PER_PACKAGE_MAX = 100_000;
    /** Far above any real amount, far below what minor units in a {@code long} can hold. */
    static final BigDecimal AMOUNT_MAX = new BigDecimal("1000000000");
    static final int DEADLINE_MINUTES_MAX = 24 * 60;
    static final int RATE_LIMIT_MAX = 10_000;
    static final int DEDUP_MILLIS_MAX = 60_000;

    private ShopVariables() {
    }

    /** What one friend earns his inviter at most when {@code REFERRAL_BONUS_MAX_RUB} is not set: 100 RUB. */
    static final long REFERRAL_BONUS_MAX_DEFAULT = 100_00;

    static ShopSettings read(Env env) {
        ShopSettings d = ShopSettings.defaults();
        Set<Long> admins = admins(env);
        long welcome = minor(env, "WELCOME_BALANCE_RUB", env.parsed("WELCOME_BALANCE_RUB",
                major(d.welcomeBonus()), BigDecimal::new, "an amount like 50"), d.welcomeBonus());
        List<Long> packages = env.parsed("STARS_PACKAGES", d.starsPackages(), ShopVariables::packages,
                "comma-separated Star amounts 1.." + STARS_PER_PACKAGE_MAX);
        long starPrice = minor(env, "STAR_PRICE_RUB", env.positiveDecimal("STAR_PRICE_RUB", major(d.starPrice())),
                d.starPrice());
        ZoneId zone = env.parsed("FREE_DAY_ZONE", d.zone(), ZoneId::of, "a time zone like Europe/Moscow");
        Optional<String> support = env.optional("SUPPORT_TELEGRAM");
        if (support.isEmpty() && admins.isEmpty()) {
            // Telegram requires a bot selling for Stars to answer /paysupport (payment disputes): here nobody would
            // hear it. Not refused, so that the bot still starts with no settings at all for a first look.
            env.notice("neither SUPPORT_TELEGRAM nor ADMIN_IDS is set: a /paysupport message (a payment problem) "
                    + "reaches nobody, and Telegram requires a bot that sells for Stars to answer them; set ADMIN_IDS "
                    + "(your Telegram id) before taking payments");
        } else if (admins.isEmpty()) {
            env.notice("ADMIN_IDS is not set: alerts (Kie's key or credits refused, a payment not credited, replies "
                    + "stuck) and /paysupport messages reach nobody; set ADMIN_IDS (your Telegram id)");
        } else if (support.isEmpty()) {
            env.notice("SUPPORT_TELEGRAM is not set: /support and /help show users no contact and send them to "
                    + "/paysupport, whose messages reach ADMIN_IDS; set it to where your users get help");
        }
        return new ShopSettings(admins, support.or(d::support),
                env.optional("SUPPORT_TEXT").or(d::supportText), welcome, packages, starPrice, zone,
                deadlines(env, d), admission(env, d.admission()), referral(env));
    }

    /** {@code REFERRAL_PERCENT} of a friend's first paid top-up, at most {@code REFERRAL_BONUS_MAX_RUB}; 0: none. */
    private static ReferralBonus referral(Env env) {
        int percent = env.integer("REFERRAL_PERCENT", 0, 0, 100);
        long max = minor(env, "REFERRAL_BONUS_MAX_RUB", env.parsed("REFERRAL_BONUS_MAX_RUB",
                major(REFERRAL_BONUS_MAX_DEFAULT), BigDecimal::new, "an amount like 100"), REFERRAL_BONUS_MAX_DEFAULT);
        if (percent > 0 && max <= 0) {
            env.problem("REFERRAL_BONUS_MAX_RUB must be more than 0 when REFERRAL_PERCENT is set (" + percent
                    + "): it caps what one friend earns the inviter");
            return ReferralBonus.none();
        }
        return new ReferralBonus(percent, max);
    }

    /** {@code ADMIN_IDS}, else the earlier bots' {@code ADMIN_ID} or {@code ADMIN_USER_ID} (also CSV). */
    private static Set<Long> admins(Env env) {
        Set<Long> admins = new LinkedHashSet<>();
        Optional<Env.Named> given = env.firstOf("ADMIN_IDS", "ADMIN_ID", "ADMIN_USER_ID");
        String name = given.map(Env.Named::name).orElse("ADMIN_IDS");
        List<String> ids = given.map(g -> Arrays.stream(g.value().split(",")).map(String::strip)
                .filter(id -> !id.isEmpty()).toList()).orElse(List.of());
        for (String id : ids) {
            // 0 (or 00) has the digits and is no user's id: core's ShopSettings refuses it, as it refuses a negative
            // one (a group's chat id), which the digits alone keep out here
            if (id.matches("\\d{1,18}") && Long.parseLong(id) > 0) {
                admins.add(Long.parseLong(id));
            } else {
                env.problem(name + " must be comma-separated Telegram user ids, each a number above 0 (yours: send "
                        + "the bot /admin, which answers anybody not an admin with his id)" + env.got(name, id));
            }
        }
        return admins;
    }

    /** An amount in whole currency units (at least 0, at most {@link #AMOUNT_MAX}) as minor units. */
    private static long minor(Env env, String name, BigDecimal amount, long fallback) {
        if (amount.signum() < 0) {
            env.problem(name + " must be >= 0, got " + amount.toPlainString());
            return fallback;
        }
        if (amount.compareTo(AMOUNT_MAX) > 0) {
            env.problem(name + " must be at most " + AMOUNT_MAX.toPlainString() + ", got " + amount.toPlainString());
            return fallback;
        }
        return Pricing.minor(amount);
    }

    private static BigDecimal major(long minor) {
        return BigDecimal.valueOf(minor, Pricing.MINOR_DIGITS);
    }

    private static List<Long> packages(String csv) {
        List<Long> amounts = Arrays.stream(csv.split(",")).map(String::strip).map(Long::parseLong).toList();
        if (amounts.isEmpty() || amounts.stream().anyMatch(n -> n < 1 || n > STARS_PER_PACKAGE_MAX)) {
            throw new IllegalArgumentException("out of range");
        }
        return amounts;
    }

    private static Map<Category, Duration> deadlines(Env env, ShopSettings defaults) {
        Map<Category, Duration> deadlines = new EnumMap<>(Category.class);
        for (Category c : Category.values()) {
            String name = "KIE_DEADLINE_" + c.name() + "_MIN";
            int fallback = (int) defaults.deadline(c).toMinutes();
            deadlines.put(c, Duration.ofMinutes(env.integer(name, fallback, 1, DEADLINE_MINUTES_MAX)));
        }
        return deadlines;
    }

    private static AdmissionPolicy admission(Env env, AdmissionPolicy d) {
        return new AdmissionPolicy(
                env.integer("RATE_LIMIT_PER_MINUTE", d.perMinute(), 0, RATE_LIMIT_MAX),
                env.integer("RATE_LIMIT_BURST", d.burst(), 1, RATE_LIMIT_MAX),
                Duration.ofMillis(env.integer("CALLBACK_DEDUP_MS", (int) d.repeatWindow().toMillis(), 0,
                        DEDUP_MILLIS_MAX)));
    }
}
