package dev.kiebot.runtime.config;

import dev.kiebot.core.catalog.FreeTier;
import dev.kiebot.core.catalog.Pricing;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How the catalog is priced and which part of it is free.
 *
 * @param pricing          {@code FX_RATE}, {@code PRICING_MARKUP}, {@code CURRENCY}
 * @param freeTierModelIds {@code FREE_TIER_MODEL_IDS}: exactly five models instead of the five cheapest models
 * @param freeDailyLimit   {@code FREE_DAILY_LIMIT}: free generations per user per day
 */
public record CatalogSettings(Pricing pricing, Optional<List<String>> freeTierModelIds, int freeDailyLimit) {
    public static final int DEFAULT_FREE_DAILY_LIMIT = FreeTier.DEFAULT_DAILY_LIMIT;
    static final int FREE_DAILY_LIMIT_MAX = 1000;

    public CatalogSettings {
        Objects.requireNonNull(pricing, "pricing");
        freeTierModelIds = freeTierModelIds.map(List::copyOf);
    }

    static CatalogSettings read(Env env) {
        Pricing defaults = Pricing.defaults();
        BigDecimal fx = env.positiveDecimal("FX_RATE", defaults.fxRate());
        BigDecimal markup = env.positiveDecimal("PRICING_MARKUP", defaults.markup());
        String currency = env.string("CURRENCY", defaults.currency()).toUpperCase(Locale.ROOT);
        if (!currency.matches("[A-Z]{3}")) {
            env.problem("CURRENCY must be a 3-letter ISO code like RUB, got '" + currency + "'");
            currency = defaults.currency();
        }
        List<String> freeIds = env.csv("FREE_TIER_MODEL_IDS");
        int freeLimit = env.integer("FREE_DAILY_LIMIT", DEFAULT_FREE_DAILY_LIMIT, 0, FREE_DAILY_LIMIT_MAX);
        return new CatalogSettings(new Pricing(fx, markup, currency),
                freeIds.isEmpty() ? Optional.empty() : Optional.of(freeIds), freeLimit);
    }
}
