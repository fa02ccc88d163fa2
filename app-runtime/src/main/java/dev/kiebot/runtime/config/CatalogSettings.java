package dev.kiebot.runtime.config;

import dev.kiebot.core.catalog.FreeTier;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.shop.UncappedGift;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How the catalog is priced and which part of it is free, and how many welcome bonuses a day are given away.
 *
 * @param pricing          {@code FX_RATE}, {@code PRICING_MARKUP}, {@code CURRENCY}
 * @param freeTierModelIds {@code FREE_TIER_MODEL_IDS}: exactly five models instead of the five cheapest models
 * @param freeDailyLimit   {@code FREE_DAILY_LIMIT}: free generations per user per day
 * @param freeDailyTotal   {@code FREE_DAILY_TOTAL}: free generations of every user together per day; {@code 0} for
 *                         no such cap
 * @param welcomeDailyTotal {@code WELCOME_DAILY_TOTAL}: welcome bonuses of every new user together per day; {@code 0}
 *                          for no such cap
 */
public record CatalogSettings(Pricing pricing, Optional<List<String>> freeTierModelIds, int freeDailyLimit,
                              int freeDailyTotal, int welcomeDailyTotal) {
    public static final int DEFAULT_FREE_DAILY_LIMIT = FreeTier.DEFAULT_DAILY_LIMIT;
    static final int FREE_DAILY_LIMIT_MAX = 1000;
    static final int FREE_DAILY_TOTAL_MAX = 10_000_000;
    static final int WELCOME_DAILY_TOTAL_MAX = 10_000_000;
    /**
     * Far above any currency that counts in hundredths (about 100 rubles, 90,000 Iranian rials a dollar): a larger
     * rate is a typo (digits twice, a price pasted in), and would make every price a number the ledger's minor units
     * and Telegram's invoices were never meant to carry.
     */
    static final BigDecimal FX_RATE_MAX = new BigDecimal("1000000");
    /**
     * Rubles a US dollar has been worth over twenty years: 25 to 140. A ruble rate under {@link #RUB_PER_USD_REFUSED}
     * is a typo (7.8 typed for 78 sells every generation at a tenth of its cost at Kie) and refused; outside this band
     * it is said at start (780 for 78 sells at ten times the price).
     */
    static final BigDecimal RUB_PER_USD_LOW = new BigDecimal("40");
    static final BigDecimal RUB_PER_USD_HIGH = new BigDecimal("200");
    static final BigDecimal RUB_PER_USD_REFUSED = new BigDecimal("10");
    /** Euros a US dollar is worth, far outside what it has been (0.6 to 1.2): said at start. */
    static final BigDecimal EUR_PER_USD_LOW = new BigDecimal("0.5");
    static final BigDecimal EUR_PER_USD_HIGH = new BigDecimal("2");
    /** A hundred times Kie's price is no longer a markup but a typo (percent written for a multiplier: 150 for 1.5). */
    static final BigDecimal PRICING_MARKUP_MAX = new BigDecimal("100");

    /** No cap on every user's free generations together, nor on the day's welcome bonuses. */
    public CatalogSettings(Pricing pricing, Optional<List<String>> freeTierModelIds, int freeDailyLimit) {
        this(pricing, freeTierModelIds, freeDailyLimit, 0, 0);
    }

    public CatalogSettings {
        Objects.requireNonNull(pricing, "pricing");
        freeTierModelIds = freeTierModelIds.map(List::copyOf);
    }

    static CatalogSettings read(Env env) {
        Pricing defaults = Pricing.defaults();
        BigDecimal fx = env.positiveDecimal("FX_RATE", defaults.fxRate(), FX_RATE_MAX);
        BigDecimal markup = env.positiveDecimal("PRICING_MARKUP", defaults.markup(), PRICING_MARKUP_MAX);
        String given = env.string("CURRENCY", defaults.currency());
        String currency = given.toUpperCase(Locale.ROOT);
        if (!currency.matches("[A-Z]{3}")) {
            env.problem("CURRENCY must be a 3-letter ISO code like RUB" + env.got("CURRENCY", given));
            currency = defaults.currency();
        } else if (!Pricing.countsInHundredths(currency)) {
            env.problem("CURRENCY " + currency + " does not count in hundredths: the bot keeps money in hundredths "
                    + "(RUB, USD, EUR...), so every amount would be wrong by a factor of ten or more");
            currency = defaults.currency();
        }
        Pricing pricing = new Pricing(fx, markup, currency);
        checkRate(env, pricing);
        noticeSalesBelowCost(env, pricing);
        noticeRubleRateForAnotherCurrency(env, currency, defaults);
        List<String> freeIds = env.csv("FREE_TIER_MODEL_IDS");
        int freeLimit = env.integer("FREE_DAILY_LIMIT", DEFAULT_FREE_DAILY_LIMIT, 0, FREE_DAILY_LIMIT_MAX);
        int freeTotal = env.integer("FREE_DAILY_TOTAL", 0, 0, FREE_DAILY_TOTAL_MAX);
        int welcomeTotal = env.integer("WELCOME_DAILY_TOTAL", 0, 0, WELCOME_DAILY_TOTAL_MAX);
        return new CatalogSettings(pricing,
                freeIds.isEmpty() ? Optional.empty() : Optional.of(freeIds), freeLimit, freeTotal, welcomeTotal);
    }

    /**
     * FX_RATE beside what the currency has been worth: a digit lost or added sells every generation at a tenth of its
     * cost at Kie, or at ten times its price. Only the shipped currencies' rates are known; another's is taken as set.
     */
    private static void checkRate(Env env, Pricing pricing) {
        BigDecimal fx = pricing.fxRate();
        String rate = "FX_RATE is " + fx.stripTrailingZeros().toPlainString() + " " + pricing.currency()
                + " per US dollar";
        switch (pricing.currency()) {
            case "RUB" -> {
                if (fx.compareTo(RUB_PER_USD_REFUSED) < 0) {
                    env.problem(rate + ", under " + RUB_PER_USD_REFUSED.toPlainString() + ": every price would be a "
                            + "fraction of what Kie charges (7.8 typed for 78 sells at a tenth of the cost); set "
                            + "FX_RATE to rubles per dollar, about 78");
                } else if (fx.compareTo(RUB_PER_USD_LOW) < 0 || fx.compareTo(RUB_PER_USD_HIGH) > 0) {
                    env.notice(rate + ", outside " + RUB_PER_USD_LOW.toPlainString() + " to "
                            + RUB_PER_USD_HIGH.toPlainString() + ": prices are Kie's dollars times it times "
                            + "PRICING_MARKUP, so a digit lost or added sells at a tenth of the cost or ten times the "
                            + "price; set FX_RATE to rubles per dollar, about 78");
                }
            }
            case "USD" -> {
                if (fx.compareTo(BigDecimal.ONE) != 0) {
                    env.notice(rate + ", not 1: prices are Kie's dollars times it times PRICING_MARKUP; set FX_RATE=1 "
                            + "and put any margin in PRICING_MARKUP");
                }
            }
            case "EUR" -> {
                if (fx.compareTo(EUR_PER_USD_LOW) < 0 || fx.compareTo(EUR_PER_USD_HIGH) > 0) {
                    env.notice(rate + ", outside " + EUR_PER_USD_LOW.toPlainString() + " to "
                            + EUR_PER_USD_HIGH.toPlainString() + ": prices are Kie's dollars times it times "
                            + "PRICING_MARKUP; set FX_RATE to euros per dollar, about 0.9");
                }
            }
            default -> {
                // another currency's rate is the operator's to know (the notice of an unset one is below)
            }
        }
    }

    /** Allowed (a promotion may mean it), but a typo such as 0.2 for 20 % would lose money on every sale unnoticed. */
    private static void noticeSalesBelowCost(Env env, Pricing pricing) {
        if (pricing.sellsBelowCost()) {
            env.notice("PRICING_MARKUP is " + pricing.markup().toPlainString() + ", below 1: every paid generation "
                    + "costs the shop more at Kie than the user pays for it; set 1 or more unless selling below cost "
                    + "is meant (2 doubles Kie's price)");
        }
    }

    /**
     * New Telegram accounts cost nothing to make, and what each one is given is paid from the shop's Kie account:
     * without a cap for the whole bot, N accounts take N times the allowance every day. Allowed (a small audience may
     * mean it), but said at every start. Not with the Kie stub, where nobody pays Kie.
     *
     * @param welcomeBonus {@code WELCOME_BALANCE_RUB} in minor units
     */
    static void noticeGiftsWithoutADailyTotal(Env env, CatalogSettings catalog, long welcomeBonus) {
        // core's rule, which Shop.builder() would log in its own words at build: the runner turns that off and says
        // it here in the variables', before the start
        Set<UncappedGift> uncapped = UncappedGift.in(welcomeBonus, catalog.freeDailyLimit(), catalog.freeDailyTotal(),
                catalog.welcomeDailyTotal());
        if (uncapped.contains(UncappedGift.FREE_USES)) {
            // "1 free generations" read as a typo in an operator's first start (FREE_DAILY_LIMIT=1 is a common trial)
            env.notice("FREE_DAILY_LIMIT gives every user " + catalog.freeDailyLimit() + (catalog.freeDailyLimit() == 1
                    ? " free generation" : " free generations") + " a day and "
                    + "FREE_DAILY_TOTAL is not set: new Telegram accounts cost nothing to make, and N of them take "
                    + catalog.freeDailyLimit() + "·N a day paid from your Kie account; set FREE_DAILY_TOTAL (free "
                    + "generations a day, every user together), or FREE_DAILY_LIMIT=0 for none");
        }
        if (uncapped.contains(UncappedGift.WELCOME_BONUS)) {
            // with its currency, the shop's (CURRENCY) whatever the name says: a bare "1" left the unit to guess
            env.notice("WELCOME_BALANCE_RUB gives every new account " + BigDecimal.valueOf(welcomeBonus, 2)
                    .stripTrailingZeros().toPlainString() + " " + catalog.pricing().currency()
                    + " and WELCOME_DAILY_TOTAL is not set: new Telegram "
                    + "accounts cost nothing to make, and every bonus is spent on what your Kie account pays for; set "
                    + "WELCOME_DAILY_TOTAL (welcome bonuses a day, every new user together)");
        }
    }

    /** The default rate is rubles per dollar: with another currency and no rate every price is off by that much. */
    private static void noticeRubleRateForAnotherCurrency(Env env, String currency, Pricing defaults) {
        if (!currency.equals(defaults.currency()) && env.optional("FX_RATE").isEmpty()) {
            env.notice("CURRENCY is " + currency + " but FX_RATE is not set: prices use the default "
                    + defaults.fxRate().toPlainString() + " " + defaults.currency() + " per US dollar; set FX_RATE "
                    + "to " + currency + " per US dollar (1 for USD)");
        }
    }
}
