package dev.kiebot.core.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * The SKUs a user may generate for free, a few times a day. Derived from prices, never hand-flagged: the
 * {@value #SIZE} cheapest <em>models</em>, each at its cheapest SKU, ordered by (user price, model id); a model
 * is in the tier once, however many cheap SKUs it has.
 *
 * @param skus          the free variants, cheapest first
 * @param dailyLimit    free generations per user per day (FREE_DAILY_LIMIT)
 * @param dailyTotalMax free generations the whole shop gives a day, whoever asks (FREE_DAILY_TOTAL): the provider
 *                      account pays for each, and new Telegram accounts cost nothing to make, so an operator caps
 *                      what a crowd of them can take; empty for no cap
 */
public record FreeTier(Set<SkuRef> skus, int dailyLimit, OptionalInt dailyTotalMax) {
    /** How many models the tier holds. */
    public static final int SIZE = 5;
    /** Free generations per user per day unless the operator says otherwise (FREE_DAILY_LIMIT). */
    public static final int DEFAULT_DAILY_LIMIT = 5;

    /**
     * A tier with no cap on what the whole shop gives a day.
     *
     * @param skus       the free variants, cheapest first
     * @param dailyLimit 0 or more free generations per user per day
     */
    public FreeTier(Set<SkuRef> skus, int dailyLimit) {
        this(skus, dailyLimit, OptionalInt.empty());
    }

    /**
     * Checks the values, keeping the SKUs in the order given.
     *
     * @param skus          no null element
     * @param dailyLimit    0 or more
     * @param dailyTotalMax never null; more than 0 when present
     * @throws IllegalArgumentException for a value out of range, naming the builder call that sets it
     */
    public FreeTier {
        Objects.requireNonNull(dailyTotalMax, "dailyTotalMax: OptionalInt.empty() for no cap");
        if (dailyTotalMax.isPresent() && dailyTotalMax.getAsInt() <= 0) {
            throw new IllegalArgumentException("freeDailyTotal (kiebot's runner: FREE_DAILY_TOTAL) must be more than "
                    + "0 free generations a day for the whole shop, got " + dailyTotalMax.getAsInt()
                    + "; leave it out for no cap, or give nothing free with freeDailyLimit(0)");
        }
        // in the order given (derive: cheapest first), which Set.copyOf would shuffle differently at every start: the
        // operator's start-up line and a partner's own free list read the tier in that order
        skus.forEach(s -> Objects.requireNonNull(s, "a free SKU"));
        skus = Collections.unmodifiableSet(new LinkedHashSet<>(skus));
        if (dailyLimit < 0) {
            throw new IllegalArgumentException("freeDailyLimit (kiebot's runner: FREE_DAILY_LIMIT) must be 0 (nothing "
                    + "free) or more, got " + dailyLimit);
        }
    }

    /**
     * Derives the tier. With an override (FREE_TIER_MODEL_IDS), it must name exactly
     * {@value #SIZE} distinct catalog models; each contributes its cheapest SKU.
     *
     * @param catalog          the models on sale
     * @param pricing          what ranks them by the user's price
     * @param overrideModelIds the models to give free instead of the cheapest; empty for the cheapest
     * @param dailyLimit       free generations per user per day
     * @return the tier, without a cap on the shop's day
     * @throws IllegalArgumentException naming the variable and what is wrong
     */
    public static FreeTier derive(Catalog catalog, Pricing pricing, Optional<List<String>> overrideModelIds,
                                  int dailyLimit) {
        Comparator<SkuRef> cheapestFirst = Comparator
                .comparingLong((SkuRef r) -> pricing.userPrice(catalog.model(r.modelId()).orElseThrow()
                        .sku(r.skuId()).orElseThrow()))
                .thenComparing(SkuRef::modelId)
                .thenComparing(SkuRef::skuId);
        if (overrideModelIds.isPresent()) {
            List<String> ids = overrideModelIds.get();
            List<String> problems = new ArrayList<>();
            if (new LinkedHashSet<>(ids).size() != SIZE || ids.size() != SIZE) {
                problems.add("must name exactly " + SIZE + " distinct models, got " + ids.size());
            }
            for (String id : ids) {
                if (catalog.model(id).isEmpty()) {
                    problems.add("unknown model '" + id + "' (closest: "
                            + String.join(", ", ClosestModelIds.to(catalog, id)) + ")");
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("freeTierOverride (kiebot's runner: FREE_TIER_MODEL_IDS): "
                        + String.join("; ", problems));
            }
            Set<SkuRef> chosen = new LinkedHashSet<>();
            for (String id : ids) {
                Model m = catalog.model(id).orElseThrow();
                m.skus().stream().map(s -> new SkuRef(m.id(), s.id())).min(cheapestFirst).ifPresent(chosen::add);
            }
            return new FreeTier(chosen, dailyLimit);
        }
        List<SkuRef> cheapestModels = catalog.models().stream()
                .map(m -> m.skus().stream().map(s -> new SkuRef(m.id(), s.id())).min(cheapestFirst))
                .flatMap(Optional::stream)
                .sorted(cheapestFirst)
                .limit(SIZE)
                .toList();
        return new FreeTier(new LinkedHashSet<>(cheapestModels), dailyLimit);
    }

    /**
     * Whether the shop gives anything free: with FREE_DAILY_LIMIT=0, or no model to give, no screen speaks of free
     * generations («0 из 0» and a «Бесплатные модели» button leading nowhere told the user of a gift they cannot have).
     *
     * @return true with a daily limit above 0 and a model to give
     */
    public boolean offered() {
        return dailyLimit > 0 && !skus.isEmpty();
    }

    /**
     * This tier with at most {@code max} free generations a day for the whole shop.
     *
     * @param max more than 0
     * @return a new tier
     * @throws IllegalArgumentException for 0 or less
     */
    public FreeTier withDailyTotalMax(int max) {
        return new FreeTier(skus, dailyLimit, OptionalInt.of(max));
    }

    /**
     * Free generations left today for someone who used {@code usedToday}.
     *
     * @param usedToday his uses today, as they count ({@link #usedToday})
     * @return 0 or more
     */
    public int left(int usedToday) {
        return Math.max(0, dailyLimit - usedToday);
    }

    /**
     * What a user's uses today count as, given what the whole shop gave today: his own, or all of his allowance once
     * the shop's day's total is given out (so every screen shows nothing free left, and the quote asks for money).
     *
     * @param usedByUserToday the user's own free uses today
     * @param usedByAllToday  free generations of every user today; read only when the user has some left and a cap
     *                        is set
     * @return his own uses, or {@link #dailyLimit()} once the shop's day's total is given out
     */
    public int usedToday(int usedByUserToday, IntSupplier usedByAllToday) {
        if (dailyTotalMax.isEmpty() || left(usedByUserToday) == 0) {
            return usedByUserToday;
        }
        return usedByAllToday.getAsInt() >= dailyTotalMax.getAsInt() ? dailyLimit : usedByUserToday;
    }

    /**
     * The SKUs that cost nothing to someone who used {@code usedToday} free generations today: the tier's while uses
     * are left, none once they are spent (or with FREE_DAILY_LIMIT=0). What a quote charges and what a model's button
     * shows both come from here, so a button never says «бесплатно» where the confirmation asks for money, nor a price
     * where the generation would be free.
     *
     * @param usedToday the user's uses today, as they count
     * @return the tier's SKUs, or none
     */
    public Set<SkuRef> freeNow(int usedToday) {
        return left(usedToday) > 0 ? skus : Set.of();
    }

    /**
     * {@link #freeNow(int)} for a screen that shows {@code models}, asking {@code usedToday} (a database read) only
     * when one of them has a free option: a list of videos or a paid model's question shows nothing free.
     *
     * @param models    the models the screen shows
     * @param usedToday the user's uses today, as they count; asked at most once
     * @return the tier's SKUs, or none
     */
    public Set<SkuRef> freeNow(Collection<Model> models, IntSupplier usedToday) {
        return models.stream().anyMatch(m -> hasFreeSku(m.id())) ? freeNow(usedToday.getAsInt()) : Set.of();
    }

    /**
     * With FREE_DAILY_LIMIT=0 nothing is free, and nothing is shown as free.
     *
     * @param modelId the model
     * @param skuId   its variant
     * @return whether the variant is in the tier (whatever is left today)
     */
    public boolean isFree(String modelId, String skuId) {
        return dailyLimit > 0 && skus.contains(new SkuRef(modelId, skuId));
    }

    /**
     * Whether one of the model's variants is in the tier.
     *
     * @param modelId the model
     * @return false with FREE_DAILY_LIMIT=0
     */
    public boolean hasFreeSku(String modelId) {
        if (dailyLimit <= 0) {
            return false;
        }
        // a loop, not a stream: a page of models asks this of each of them, on every press that shows one
        for (SkuRef r : skus) {
            if (r.modelId().equals(modelId)) {
                return true;
            }
        }
        return false;
    }
}
