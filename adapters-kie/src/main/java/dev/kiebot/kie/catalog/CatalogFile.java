package dev.kiebot.kie.catalog;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kiebot.core.catalog.CatalogProblem;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.Family;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.InputField;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@value KieCatalog#CATALOG_FILE}: the models, their Kie names, categories, titles and input fields, read into
 * {@link ModelSpec}s. Every problem is added to the caller's list, naming {@code catalog.json:LINE} or the model;
 * a model with problems of its own is left out, the rest still read, so one run reports everything.
 */
final class CatalogFile {
    private static final Set<String> ROOT_KEYS = Set.of("version", "models");
    private static final Set<String> MODEL_KEYS = Set.of(
            "id", "kieModel", "family", "category", "popularity", "title", "description", "fields");
    private static final Set<String> FIELD_KEYS = Set.of(
            "name", "type", "required", "values", "default", "min", "max", "maxLength", "maxItems", "ask",
            "maxBytes");
    private static final int DEFAULT_POPULARITY = 1000;
    private static final String CATALOG_FILE = KieCatalog.CATALOG_FILE;
    private static final int FORMAT_VERSION = KieCatalog.FORMAT_VERSION;

    private CatalogFile() {
    }


    record ModelSpec(String id, String kieModel, Family family, Category category, Map<String, String> title,
                             Map<String, String> description, List<InputField> fields, int popularity) {
    }

    /**
     * @param declaredIds every id that appears in the file, even of models that had problems, so
     *                    their price lines are not reported as "unknown model" on top
     * @param complete    false when the file could not be read as a whole (syntax error)
     * @param everyModelParsed no model was dropped for problems of its own
     */
    record Parsed(List<ModelSpec> models, Set<String> declaredIds, boolean complete, boolean everyModelParsed) {
    }

    /** The models read from the file's text; the problems found are added to {@code problems}. */
    static Parsed parse(String text, List<CatalogProblem> problems) {
        JsonNode root;
        try {
            root = KieCatalog.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? CATALOG_FILE : CATALOG_FILE + ":" + loc.getLineNr();
            problems.add(new CatalogProblem(where, "not valid JSON: " + e.getOriginalMessage()));
            return new Parsed(List.of(), Set.of(), false, false);
        }
        if (root == null || !root.isObject()) {
            problems.add(new CatalogProblem(CATALOG_FILE, "must be a JSON object {\"version\": 1, \"models\": [...]}"));
            return new Parsed(List.of(), Set.of(), false, false);
        }
        unknownKeys(root, ROOT_KEYS, CATALOG_FILE, problems);
        JsonNode version = root.get("version");
        if (version == null) {
            problems.add(new CatalogProblem(CATALOG_FILE, "missing required key 'version' (expected "
                    + FORMAT_VERSION + ")"));
        } else if (!version.isInt() || version.intValue() != FORMAT_VERSION) {
            problems.add(new CatalogProblem(CATALOG_FILE, "unsupported version " + version
                    + ": this build reads version " + FORMAT_VERSION));
        }
        JsonNode modelsNode = root.get("models");
        if (modelsNode == null || !modelsNode.isArray()) {
            problems.add(new CatalogProblem(CATALOG_FILE, modelsNode == null
                    ? "missing required key 'models' (an array of models)"
                    : "'models' must be an array of models"));
            return new Parsed(List.of(), Set.of(), false, false);
        }
        List<ModelSpec> specs = new ArrayList<>();
        Set<String> declared = new HashSet<>();
        for (int i = 0; i < modelsNode.size(); i++) {
            JsonNode node = modelsNode.get(i);
            JsonNode idNode = node.get("id");
            if (idNode != null && idNode.isTextual() && !idNode.asText().isBlank()) {
                declared.add(idNode.asText());
            }
            parseModel(node, i, problems).ifPresent(specs::add);
        }
        return new Parsed(specs, declared, true, specs.size() == modelsNode.size());
    }

    private static Optional<ModelSpec> parseModel(JsonNode node, int index, List<CatalogProblem> problems) {
        String fallbackWhere = CATALOG_FILE + " models[" + index + "]";
        if (!node.isObject()) {
            problems.add(new CatalogProblem(fallbackWhere, "must be a JSON object"));
            return Optional.empty();
        }
        int before = problems.size();
        String id = requiredText(node, "id", fallbackWhere, problems);
        String where = id != null ? id : fallbackWhere;
        unknownKeys(node, MODEL_KEYS, where, problems);

        String kieModel = id;
        JsonNode kieNode = node.get("kieModel");
        if (kieNode != null) {
            if (kieNode.isTextual() && !kieNode.asText().isBlank()) {
                kieModel = kieNode.asText();
            } else {
                problems.add(new CatalogProblem(where, "'kieModel' must be a non-empty string"));
            }
        }
        Family family = enumValue(node, "family", Family.class, where, problems);
        Category category = enumValue(node, "category", Category.class, where, problems);

        int popularity = DEFAULT_POPULARITY;
        JsonNode popNode = node.get("popularity");
        if (popNode != null) {
            if (popNode.isInt()) {
                popularity = popNode.intValue();
            } else {
                problems.add(new CatalogProblem(where, "'popularity' must be an integer (lower = shown first)"));
            }
        }
        Map<String, String> title = localized(node, "title", where, problems);
        Map<String, String> description = localized(node, "description", where, problems);

        List<InputField> fields = new ArrayList<>();
        JsonNode fieldsNode = node.get("fields");
        if (fieldsNode == null) {
            problems.add(new CatalogProblem(where, "missing required key 'fields'"));
        } else if (!fieldsNode.isArray()) {
            problems.add(new CatalogProblem(where, "'fields' must be an array"));
        } else {
            for (int i = 0; i < fieldsNode.size(); i++) {
                parseField(fieldsNode.get(i), where, i, problems).ifPresent(fields::add);
            }
        }
        if (problems.size() != before) {
            return Optional.empty();
        }
        return Optional.of(new ModelSpec(id, kieModel, family, category, title, description, fields, popularity));
    }

    private static Optional<InputField> parseField(JsonNode node, String modelWhere, int index,
                                                   List<CatalogProblem> problems) {
        String fallbackWhere = modelWhere + " fields[" + index + "]";
        if (!node.isObject()) {
            problems.add(new CatalogProblem(fallbackWhere, "field must be a JSON object"));
            return Optional.empty();
        }
        int before = problems.size();
        String name = requiredText(node, "name", fallbackWhere, problems);
        String where = name != null ? modelWhere + " field '" + name + "'" : fallbackWhere;
        unknownKeys(node, FIELD_KEYS, where, problems);

        FieldType type = null;
        String typeName = requiredText(node, "type", where, problems);
        if (typeName != null) {
            type = FieldType.parse(typeName).orElse(null);
            if (type == null) {
                problems.add(new CatalogProblem(where, "unknown field type '" + typeName + "', expected one of "
                        + Arrays.stream(FieldType.values()).map(FieldType::wireName).toList()));
            }
        }
        boolean required = bool(node, "required", false, where, problems);
        boolean ask = bool(node, "ask", true, where, problems);

        List<String> values = new ArrayList<>();
        JsonNode valuesNode = node.get("values");
        if (valuesNode != null) {
            if (!valuesNode.isArray()) {
                problems.add(new CatalogProblem(where, "'values' must be an array"));
            } else {
                for (JsonNode v : valuesNode) {
                    scalar(v).ifPresentOrElse(values::add, () -> problems.add(new CatalogProblem(where,
                            "'values' must hold strings, numbers or booleans, got " + v)));
                }
                if (new HashSet<>(values).size() != values.size()) {
                    problems.add(new CatalogProblem(where, "'values' lists a value twice: " + values));
                }
            }
        }
        if (type != null && !values.isEmpty() && !type.isChoice()) {
            problems.add(new CatalogProblem(where, "'values' only applies to enum, int_enum and boolean fields"));
        }
        Optional<String> defaultValue = Optional.empty();
        JsonNode defaultNode = node.get("default");
        if (defaultNode != null) {
            defaultValue = scalar(defaultNode);
            if (defaultValue.isEmpty()) {
                problems.add(new CatalogProblem(where, "'default' must be a string, number or boolean"));
            }
        }
        Optional<BigDecimal> min = decimal(node, "min", where, problems);
        Optional<BigDecimal> max = decimal(node, "max", where, problems);
        OptionalInt maxLength = positiveInt(node, "maxLength", where, problems);
        OptionalInt maxItems = positiveInt(node, "maxItems", where, problems);
        java.util.OptionalLong maxBytes = java.util.OptionalLong.empty();
        JsonNode bytes = node.get("maxBytes");
        if (bytes != null) {
            if (!bytes.canConvertToLong() || !bytes.isIntegralNumber() || bytes.longValue() <= 0) {
                problems.add(new CatalogProblem(where, "'maxBytes' must be a positive integer"));
            } else {
                maxBytes = java.util.OptionalLong.of(bytes.longValue());
            }
        }

        if (problems.size() != before) {
            return Optional.empty();
        }
        InputField field = new InputField(name, type, required, values, defaultValue, min, max, maxLength, maxItems,
                ask);
        return Optional.of(maxBytes.isPresent() ? field.withMaxBytes(maxBytes.getAsLong()) : field);
    }

    private static void unknownKeys(JsonNode node, Set<String> known, String where, List<CatalogProblem> problems) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                problems.add(new CatalogProblem(where, "unknown key '" + key + "' (known: "
                        + known.stream().sorted().collect(Collectors.joining(", ")) + ")"));
            }
        }
    }

    private static String requiredText(JsonNode node, String key, String where, List<CatalogProblem> problems) {
        JsonNode v = node.get(key);
        if (v == null) {
            problems.add(new CatalogProblem(where, "missing required key '" + key + "'"));
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            problems.add(new CatalogProblem(where, "'" + key + "' must be a non-empty string"));
            return null;
        }
        return v.asText();
    }

    private static <E extends Enum<E>> E enumValue(JsonNode node, String key, Class<E> type, String where,
                                                   List<CatalogProblem> problems) {
        String text = requiredText(node, key, where, problems);
        if (text == null) {
            return null;
        }
        List<String> allowed = Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        if (!allowed.contains(text)) {
            problems.add(new CatalogProblem(where, "unknown " + key + " '" + text + "', expected one of " + allowed));
            return null;
        }
        return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
    }

    private static Map<String, String> localized(JsonNode node, String key, String where,
                                                 List<CatalogProblem> problems) {
        JsonNode v = node.get(key);
        if (v == null) {
            problems.add(new CatalogProblem(where, "missing required key '" + key + "' ({\"ru\": ..., \"en\": ...})"));
            return Map.of();
        }
        if (!v.isObject()) {
            problems.add(new CatalogProblem(where, "'" + key + "' must be an object {\"ru\": ..., \"en\": ...}"));
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (e.getValue().isTextual()) {
                out.put(e.getKey(), e.getValue().asText());
            } else {
                problems.add(new CatalogProblem(where, "'" + key + "." + e.getKey() + "' must be a string"));
            }
        }
        return out;
    }

    private static boolean bool(JsonNode node, String key, boolean fallback, String where,
                                List<CatalogProblem> problems) {
        JsonNode v = node.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            problems.add(new CatalogProblem(where, "'" + key + "' must be true or false"));
            return fallback;
        }
        return v.booleanValue();
    }

    private static Optional<BigDecimal> decimal(JsonNode node, String key, String where,
                                                List<CatalogProblem> problems) {
        JsonNode v = node.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v.isNumber()) {
            return Optional.of(v.decimalValue());
        }
        if (v.isTextual()) {
            try {
                return Optional.of(new BigDecimal(v.asText()));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        problems.add(new CatalogProblem(where, "'" + key + "' must be a number"));
        return Optional.empty();
    }

    private static OptionalInt positiveInt(JsonNode node, String key, String where, List<CatalogProblem> problems) {
        JsonNode v = node.get(key);
        if (v == null) {
            return OptionalInt.empty();
        }
        if (!v.isInt() || v.intValue() <= 0) {
            problems.add(new CatalogProblem(where, "'" + key + "' must be a positive integer"));
            return OptionalInt.empty();
        }
        return OptionalInt.of(v.intValue());
    }

    /** Strings as they are; numbers and booleans as their JSON text ({@code 8}, {@code true}). */
    private static Optional<String> scalar(JsonNode v) {
        if (v.isTextual()) {
            return Optional.of(v.asText());
        }
        if (v.isIntegralNumber() || v.isBoolean()) {
            return Optional.of(v.asText());
        }
        if (v.isNumber()) {
            return Optional.of(v.decimalValue().toPlainString());
        }
        return Optional.empty();
    }
}
