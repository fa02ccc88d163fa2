package dev.kiebot.core.catalog;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A priced variant of a model: the option values that select it and Kie's verified USD price.
 *
 * @param options field name → value; empty for single-price models
 * @param kieUsd  Kie's list price for one generation of this variant, in USD; for another AI service, its price in
 *                USD: {@link Pricing} turns it into the user's price (× {@code fxRate} × {@code markup})
 * @param source  where and when the price was verified (e.g. {@code kie.ai/pricing 2026-06-30})
 */
public record Sku(Map<String, String> options, BigDecimal kieUsd, String source) {

    /**
     * Copies the options and checks that nothing is null.
     *
     * @param options copied
     * @param kieUsd  never null
     * @param source  never null
     * @throws NullPointerException for a null part
     */
    public Sku {
        options = Map.copyOf(options);
        Objects.requireNonNull(kieUsd, "kieUsd");
        Objects.requireNonNull(source, "source");
    }

    /**
     * Stable id: options sorted by name, {@code k=v} joined by commas; {@code default} when none.
     *
     * @return the id a job keeps as its {@code skuId}
     */
    public String id() {
        if (options.isEmpty()) {
            return "default";
        }
        return new TreeMap<>(options).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    /**
     * True when every option of this SKU equals the chosen value.
     *
     * @param chosen values by field name
     * @return whether this SKU is the one they select
     */
    public boolean matches(Map<String, String> chosen) {
        return options.entrySet().stream().allMatch(e -> e.getValue().equals(chosen.get(e.getKey())));
    }
}
