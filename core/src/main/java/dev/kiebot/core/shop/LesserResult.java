package dev.kiebot.core.shop;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.catalog.Sku;
import dev.kiebot.core.jobs.Job;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A result made with a lesser choice than the job paid for, delivered at the deadline because the one asked never
 * came (Kie's Veo: the 1080p file is fetched after the task's success, and may not be ready in the job's time). The
 * user is charged that choice's price, never more than he was held (the hold posted for less, the rest given back
 * with the post), and told so after the result. Charged in full, he paid for 1080p and got 720p.
 *
 * @param charge   what the hold is posted for: the lesser choice's price on the job's own terms (the markup and rate
 *                 it was sold at, not today's), at most the job's; the job's price when the catalog does not price
 *                 the lesser choice (told in the log); 0 for a free job
 * @param returned what goes back to the wallet: the job's price less {@code charge}
 * @param asked    the choices the job paid for, in the user's words, where they differ
 * @param made     the choices the result was made with, in the user's words
 */
record LesserResult(long charge, long returned, String asked, String made) {
    private static final System.Logger LOG = System.getLogger(LesserResult.class.getName());

    /**
     * The result of {@code job} made with {@code madeWith}: empty when it names nothing, or no choice other than the
     * job's, or the job's model is gone from the catalog (charged as any result then).
     */
    static Optional<LesserResult> of(Job job, Map<String, String> madeWith, Catalog catalog, Pricing pricing) {
        Optional<Model> found = catalog.model(job.modelId());
        if (madeWith.isEmpty() || found.isEmpty()) {
            return Optional.empty();
        }
        Model model = found.get();
        Map<String, String> chosen = TaskPolls.chosen(job, model);
        Map<String, String> differs = new TreeMap<>();
        madeWith.forEach((field, value) -> {
            if (!value.equals(chosen.get(field))) {
                differs.put(field, value);
            }
        });
        if (differs.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> made = new HashMap<>(chosen);
        made.putAll(differs);
        long charge = job.price();
        if (!job.free()) {
            Optional<Sku> lesser = model.skuFor(made);
            if (lesser.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "{0}: its result was made with {1}, which the catalog does not "
                        + "price; charged the job''s price", job.id().display(), differs);
            }
            charge = lesser.map(sku -> inTheJobsTerms(job, model, sku, pricing)).orElse(job.price());
        }
        String lang = job.language();
        String asked = differs.keySet().stream().map(f -> label(model, f, chosen.getOrDefault(f, ""), lang))
                .collect(Collectors.joining(", "));
        String madeWords = differs.entrySet().stream().map(e -> label(model, e.getKey(), e.getValue(), lang))
                .collect(Collectors.joining(", "));
        return Optional.of(new LesserResult(charge, job.price() - charge, asked, madeWords));
    }

    /**
     * The lesser choice's price on the terms the job was sold on: its price scaled by the two variants' provider
     * prices, {@code ceil(job.price × lesser.kieUsd / paid.kieUsd)}, at most the job's price. Today's pricing would
     * charge a job ordered before a restart with another markup or exchange rate at the new one (a 1080p Veo at 50,70 ₽
     * under markup 2, its 720p result at 51,48 ₽ under 2.2: the whole hold kept and the user told of a difference given
     * back; under a lower markup, money given away); the job keeps its price and its SKU, not its markup, and their
     * ratio is the rate it was sold at. Its rounding is up, as the price's: at most a kopeck above the lesser choice's
     * price on the day of the order. A catalog change that reprices both variants alike (the provider's new list)
     * leaves it as it was. Only a job whose SKU the catalog no longer has, or prices at nothing, falls back to today's
     * price of the lesser choice (said in the log).
     */
    private static long inTheJobsTerms(Job job, Model model, Sku lesser, Pricing pricing) {
        Optional<Sku> paid = model.sku(job.skuId()).filter(sku -> sku.kieUsd().signum() > 0);
        if (paid.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "{0}: its variant {1} is no longer priced by the catalog; its lesser "
                    + "result charged at today''s price of {2}", job.id().display(), job.skuId(), lesser.id());
            return Math.min(job.price(), pricing.userPrice(lesser));
        }
        long scaled = BigDecimal.valueOf(job.price()).multiply(lesser.kieUsd())
                .divide(paid.get().kieUsd(), 0, RoundingMode.CEILING).longValueExact();
        return Math.max(0, Math.min(job.price(), scaled));
    }

    /** A choice's value as its button says it. */
    private static String label(Model model, String field, String value, String lang) {
        return model.field(field).map(f -> f.valueLabel(value, lang)).orElse(value);
    }
}
