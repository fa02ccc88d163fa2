package dev.kiebot.core.shop;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.jobs.Job;
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
 * @param charge   what the hold is posted for: the lesser choice's price, at most the job's; the job's price when the
 *                 catalog does not price the lesser choice (told in the log); 0 for a free job
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
            Optional<Long> lesser = model.skuFor(made).map(pricing::userPrice);
            if (lesser.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "{0}: its result was made with {1}, which the catalog does not "
                        + "price; charged the job''s price", job.id().display(), differs);
            }
            charge = Math.min(job.price(), lesser.orElse(job.price()));
        }
        String lang = job.language();
        String asked = differs.keySet().stream().map(f -> label(model, f, chosen.getOrDefault(f, ""), lang))
                .collect(Collectors.joining(", "));
        String madeWords = differs.entrySet().stream().map(e -> label(model, e.getKey(), e.getValue(), lang))
                .collect(Collectors.joining(", "));
        return Optional.of(new LesserResult(charge, job.price() - charge, asked, madeWords));
    }

    /** A choice's value as its button says it. */
    private static String label(Model model, String field, String value, String lang) {
        return model.field(field).map(f -> f.valueLabel(value, lang)).orElse(value);
    }
}
