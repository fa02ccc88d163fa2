package dev.kiebot.core.catalog;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A model offered by the bot. The Kie-named parts are for this project's {@code adapters-kie}: core reads neither
 * {@code kieModel} nor {@code family}, and hands the whole model to your {@link dev.kiebot.core.jobs.GenerationProvider}
 * (in {@code SubmitRequest.model()} and {@code status(model, taskId)}). A partner with another AI service gives
 * {@code kieModel} the name its service knows the model by, and {@link Family#JOBS}.
 *
 * @param id          unique in the catalog and kept with each job: Kie's exact model id
 *                    ({@code google/nano-banana}); for dedicated families the family's own model name
 *                    ({@code veo3_fast}, {@code V5}); for another service, any stable id of yours
 * @param kieModel    the value sent as Kie's {@code model} (usually equal to {@code id}; differs for
 *                    dedicated families, e.g. id {@code veo3.1-fast} sends {@code veo3_fast}); read only by your
 *                    provider
 * @param family      which Kie API serves it ({@link Family#JOBS} for another service: core does not read it)
 * @param category    what it produces
 * @param title       language code → title; {@code ru} and {@code en} are required (the shop's two languages)
 * @param description language code → one-line description; {@code ru} and {@code en} are required
 * @param fields      the input schema in the order the bot asks for it
 * @param skus        every priced variant; fields named in SKU options are the price-relevant ones
 * @param popularity  lower is shown first in menus
 */
public record Model(
        String id,
        String kieModel,
        Family family,
        Category category,
        Map<String, String> title,
        Map<String, String> description,
        List<InputField> fields,
        List<Sku> skus,
        int popularity) {

    /**
     * Checks that nothing is null and copies the collections ({@link Catalog#of} checks the rest: the titles, the
     * fields' words, the SKUs).
     *
     * @param id          never null
     * @param kieModel    never null
     * @param family      never null
     * @param category    never null
     * @param title       copied
     * @param description copied
     * @param fields      copied
     * @param skus        copied
     * @param popularity  lower first
     * @throws NullPointerException for a null part
     */
    public Model {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kieModel, "kieModel");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(category, "category");
        title = Map.copyOf(title);
        description = Map.copyOf(description);
        fields = List.copyOf(fields);
        skus = List.copyOf(skus);
    }

    /**
     * The model's title in a language.
     *
     * @param language {@code ru} or {@code en}
     * @return the title in it, else the English one, else the id
     */
    public String title(String language) {
        return title.getOrDefault(language, title.getOrDefault("en", id));
    }

    /**
     * The model's one-line description in a language.
     *
     * @param language {@code ru} or {@code en}
     * @return the description in it, else the English one, else {@code ""}
     */
    public String description(String language) {
        return description.getOrDefault(language, description.getOrDefault("en", ""));
    }

    /**
     * A field by its name.
     *
     * @param name the field's exact name
     * @return the field; empty when the model has none of that name
     */
    public Optional<InputField> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /**
     * Fields the bot asks the user for, in order.
     *
     * @return the fields whose {@link InputField#ask()} is true
     */
    public List<InputField> askedFields() {
        return fields.stream().filter(InputField::ask).toList();
    }

    /**
     * Names of the fields whose value selects the SKU (and so the price).
     *
     * @return the option names of every SKU
     */
    public Set<String> priceFields() {
        return skus.stream().flatMap(s -> s.options().keySet().stream()).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The SKU selected by the chosen values, falling back to field defaults for unset price fields.
     *
     * @param chosen the user's answers, by field name
     * @return the matching SKU; empty when no SKU has these values
     */
    public Optional<Sku> skuFor(Map<String, String> chosen) {
        Map<String, String> effective = new java.util.HashMap<>();
        for (String name : priceFields()) {
            String v = chosen.get(name);
            if (v == null) {
                v = field(name).flatMap(InputField::defaultValue).orElse(null);
            }
            if (v != null) {
                effective.put(name, v);
            }
        }
        return skus.stream().filter(s -> s.matches(effective)).findFirst();
    }

    /**
     * A SKU by its id.
     *
     * @param skuId {@link Sku#id()} as a job keeps it
     * @return the SKU; empty when the model no longer has it
     */
    public Optional<Sku> sku(String skuId) {
        return skus.stream().filter(s -> s.id().equals(skuId)).findFirst();
    }

    /**
     * The SKU chosen when the user keeps every default.
     *
     * @return that SKU, else the first
     */
    public Sku defaultSku() {
        return skuFor(Map.of()).orElseGet(() -> skus.get(0));
    }
}
