package dev.kiebot.runtime.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The start-up proof that a deploy works: one real generation in the background.
 *
 * @param onStart {@code SMOKE_TEST_ON_START}
 * @param modelId {@code SMOKE_TEST_MODEL_ID}; empty = the cheapest image model that needs no file (the catalog
 *                decides, at start)
 * @param input   {@code SMOKE_TEST_INPUT_JSON}: the model's inputs by field name, over the fields' defaults
 */
public record SmokeTestSettings(boolean onStart, Optional<String> modelId, Map<String, String> input) {
    /** Text values longer than this are surely a mistake (Kie's longest prompts are a few thousand characters). */
    static final int INPUT_CHARS_MAX = 20_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    public SmokeTestSettings {
        Objects.requireNonNull(modelId, "modelId");
        input = Map.copyOf(input);
    }

    static SmokeTestSettings read(Env env) {
        boolean onStart = env.flag("SMOKE_TEST_ON_START");
        Optional<String> model = env.optional("SMOKE_TEST_MODEL_ID");
        Map<String, String> input = env.optional("SMOKE_TEST_INPUT_JSON").map(json -> parse(env, json))
                .orElse(Map.of());
        return new SmokeTestSettings(onStart, model, input);
    }

    /** A flat JSON object; each value is kept as the text a user would have typed or picked. */
    private static Map<String, String> parse(Env env, String json) {
        String expected = "SMOKE_TEST_INPUT_JSON must be a JSON object of input values like "
                + "{\"prompt\": \"a red apple\", \"aspect_ratio\": \"1:1\"}";
        if (json.length() > INPUT_CHARS_MAX) {
            env.problem(expected + " (at most " + INPUT_CHARS_MAX + " characters)");
            return Map.of();
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            env.problem(expected + ": it is not valid JSON");
            return Map.of();
        }
        if (node == null || !node.isObject()) {
            env.problem(expected);
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getValue().isValueNode() || field.getValue().isNull()) {
                env.problem(expected + ": '" + field.getKey() + "' must be a text, number or true/false");
                continue;
            }
            values.put(field.getKey(), field.getValue().asText());
        }
        return values;
    }
}
