package dev.kiebot.runtime.smoke;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.ClosestModelIds;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.catalog.Sku;
import dev.kiebot.runtime.config.SmokeTestSettings;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the smoke test generates: {@code SMOKE_TEST_MODEL_ID}, else the cheapest image model that needs no file
 * from a user; its inputs are {@code SMOKE_TEST_INPUT_JSON} over a short prompt and the fields' defaults. Checked
 * at start like every other setting, so a wrong model id or a missing input stops the start with a clear message
 * instead of failing later in the background.
 *
 * @param price what a user would pay for it (minor units): the amount held
 */
public record SmokePlan(Model model, Map<String, String> values, Sku sku, long price) {
    /** Used when {@code SMOKE_TEST_INPUT_JSON} gives no prompt. */
    static final String DEFAULT_PROMPT = "A small red apple on a white table, studio light";

    public SmokePlan {
        values = Map.copyOf(values);
    }

    /** The text and choice inputs, as a user would have answered them. */
    public Map<String, String> scalarValues() {
        Map<String, String> scalars = new LinkedHashMap<>(values);
        scalars.keySet().removeIf(this::isMedia);
        return scalars;
    }

    /** File inputs given as public URLs (comma-separated for fields that take several). */
    public Map<String, List<String>> fileUrls() {
        Map<String, List<String>> files = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            if (isMedia(name)) {
                files.put(name, Arrays.stream(value.split(",")).map(String::strip).filter(u -> !u.isEmpty()).toList());
            }
        });
        return files;
    }

    private boolean isMedia(String field) {
        return model.field(field).map(f -> f.type().isMedia()).orElse(false);
    }

    /** @throws IllegalArgumentException naming the variable and what is wrong */
    public static SmokePlan of(Catalog catalog, Pricing pricing, SmokeTestSettings settings) {
        Model model = settings.modelId().map(id -> catalog.model(id).orElseThrow(() -> new IllegalArgumentException(
                        "SMOKE_TEST_MODEL_ID: unknown model '" + id + "' (closest: "
                                + String.join(", ", ClosestModelIds.to(catalog, id)) + ")")))
                .orElseGet(() -> cheapestImageModel(catalog, pricing));
        Map<String, String> values = new LinkedHashMap<>();
        if (model.field("prompt").isPresent()) {
            values.put("prompt", DEFAULT_PROMPT);
        }
        values.putAll(settings.input());
        List<String> missing = model.fields().stream().filter(f -> f.required() && f.defaultValue().isEmpty()
                && !values.containsKey(f.name())).map(InputField::name).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("SMOKE_TEST_MODEL_ID " + model.id() + " needs " + String.join(", ",
                    missing) + ": give " + (missing.stream().anyMatch(n -> model.field(n).orElseThrow().type()
                    .isMedia()) ? "a public file URL for each" : "each") + " in SMOKE_TEST_INPUT_JSON, or pick a "
                    + "model that needs no file");
        }
        Sku sku = model.skuFor(values).orElseThrow(() -> new IllegalArgumentException(
                "SMOKE_TEST_INPUT_JSON: no price of " + model.id() + " matches " + values.keySet()));
        return new SmokePlan(model, values, sku, pricing.userPrice(sku));
    }

    private static Model cheapestImageModel(Catalog catalog, Pricing pricing) {
        return catalog.models().stream()
                .filter(m -> m.category() == Category.IMAGE)
                .filter(m -> m.fields().stream().noneMatch(f -> f.type().isMedia() && f.required()))
                .min(Comparator.comparingLong((Model m) -> pricing.userPrice(m.defaultSku())).thenComparing(Model::id))
                .orElseThrow(() -> new IllegalArgumentException("the catalog has no image model that needs no file: "
                        + "set SMOKE_TEST_MODEL_ID"));
    }
}
