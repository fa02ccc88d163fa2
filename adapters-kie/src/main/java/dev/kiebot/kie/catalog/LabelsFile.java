package dev.kiebot.kie.catalog;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.CatalogProblem;
import dev.kiebot.core.catalog.FieldLabels;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.OptionLabel;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@value #FILE}: the words a person reads instead of Kie's field names, kept beside the catalog. Labels are
 * given once per field name ({@code "fields"}) and, where a model needs other words, per model ({@code
 * "models"}: model id → field name → entry); a model's entry replaces the label or hint it gives and adds its
 * value labels. An entry is {@code {"label": {"ru", "en"}, "hint": {"ru", "en"}, "pricedHint": {"ru", "en"},
 * "values": {value: {"label": {...}, "hint": {...}}}}}; {@code pricedHint}, optional, is the hint of a model whose
 * price this field's value changes («Чем выше, тем чётче и дороже»), {@code hint} that of the others («Чем выше, тем
 * чётче»): a hint saying an option costs more where it does not (seedream's quality) was wrong. Whether every field
 * ends up with both labels is checked by {@link Catalog#validate}; here the file's own form is checked, and words
 * for models, fields or values the catalog does not have.
 */
final class LabelsFile {
    static final String FILE = "labels.json";
    private static final Set<String> ROOT_KEYS = Set.of("version", "fields", "models");
    private static final Set<String> ENTRY_KEYS = Set.of("label", "hint", "pricedHint", "values");
    private static final Set<String> VALUE_KEYS = Set.of("label", "hint");

    private record Entry(Map<String, String> label, Map<String, String> hint, Map<String, String> pricedHint,
                         Map<String, OptionLabel> values) {
        static final Entry EMPTY = new Entry(Map.of(), Map.of(), Map.of(), Map.of());

        /** The hint for a model whose price the field's value changes, or does not. */
        Map<String, String> hint(boolean pricesDiffer) {
            return pricesDiffer && !pricedHint.isEmpty() ? pricedHint : hint;
        }
    }

    private final Map<String, Entry> fields;
    private final Map<String, Map<String, Entry>> models;

    private LabelsFile(Map<String, Entry> fields, Map<String, Map<String, Entry>> models) {
        this.fields = fields;
        this.models = models;
    }

    static LabelsFile parse(String text, ObjectMapper json, List<CatalogProblem> problems) {
        JsonNode root;
        try {
            root = json.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            problems.add(new CatalogProblem(loc == null ? FILE : FILE + ":" + loc.getLineNr(),
                    "not valid JSON: " + e.getOriginalMessage()));
            return new LabelsFile(Map.of(), Map.of());
        }
        if (root == null || !root.isObject()) {
            problems.add(new CatalogProblem(FILE, "must be a JSON object {\"version\": 1, \"fields\": {...}, "
                    + "\"models\": {...}}"));
            return new LabelsFile(Map.of(), Map.of());
        }
        unknownKeys(root, ROOT_KEYS, FILE, problems);
        JsonNode version = root.get("version");
        if (version == null || !version.isInt() || version.intValue() != KieCatalog.FORMAT_VERSION) {
            problems.add(new CatalogProblem(FILE, "'version' must be " + KieCatalog.FORMAT_VERSION));
        }
        Map<String, Entry> fields = entries(root.get("fields"), FILE + " fields", problems);
        Map<String, Map<String, Entry>> models = new LinkedHashMap<>();
        JsonNode modelsNode = root.get("models");
        if (modelsNode != null && !modelsNode.isObject()) {
            problems.add(new CatalogProblem(FILE, "'models' must be an object: model id → field name → entry"));
        } else if (modelsNode != null) {
            for (Map.Entry<String, JsonNode> m : modelsNode.properties()) {
                models.put(m.getKey(), entries(m.getValue(), FILE + " models." + m.getKey(), problems));
            }
        }
        return new LabelsFile(fields, models);
    }

    private static Map<String, Entry> entries(JsonNode node, String where, List<CatalogProblem> problems) {
        Map<String, Entry> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        if (!node.isObject()) {
            problems.add(new CatalogProblem(where, "must be an object: field name → entry"));
            return out;
        }
        for (Map.Entry<String, JsonNode> f : node.properties()) {
            out.put(f.getKey(), entry(f.getValue(), where + "." + f.getKey(), problems));
        }
        return out;
    }

    private static Entry entry(JsonNode node, String where, List<CatalogProblem> problems) {
        if (!node.isObject()) {
            problems.add(new CatalogProblem(where, "must be an object {\"label\": ..., \"hint\": ...}"));
            return Entry.EMPTY;
        }
        unknownKeys(node, ENTRY_KEYS, where, problems);
        Map<String, OptionLabel> values = new LinkedHashMap<>();
        JsonNode valuesNode = node.get("values");
        if (valuesNode != null && !valuesNode.isObject()) {
            problems.add(new CatalogProblem(where, "'values' must be an object: value → {\"label\": ...}"));
        } else if (valuesNode != null) {
            for (Map.Entry<String, JsonNode> v : valuesNode.properties()) {
                String at = where + " value '" + v.getKey() + "'";
                if (!v.getValue().isObject()) {
                    problems.add(new CatalogProblem(at, "must be an object {\"label\": ..., \"hint\": ...}"));
                    continue;
                }
                unknownKeys(v.getValue(), VALUE_KEYS, at, problems);
                values.put(v.getKey(), new OptionLabel(localized(v.getValue().get("label"), at, problems),
                        localized(v.getValue().get("hint"), at, problems)));
            }
        }
        return new Entry(localized(node.get("label"), where, problems), localized(node.get("hint"), where, problems),
                localized(node.get("pricedHint"), where, problems), values);
    }

    private static Map<String, String> localized(JsonNode node, String where, List<CatalogProblem> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        if (!node.isObject()) {
            problems.add(new CatalogProblem(where, "labels and hints are objects {\"ru\": ..., \"en\": ...}"));
            return out;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (e.getValue().isTextual()) {
                out.put(e.getKey(), e.getValue().asText());
            } else {
                problems.add(new CatalogProblem(where, "'" + e.getKey() + "' must be a string"));
            }
        }
        return out;
    }

    private static void unknownKeys(JsonNode node, Set<String> known, String where, List<CatalogProblem> problems) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                problems.add(new CatalogProblem(where, "unknown key '" + key + "' (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")"));
            }
        }
    }

    /**
     * The field's words: the model's own entry over the field name's, value labels for its values only.
     *
     * @param pricesDiffer whether the field's value changes the model's price: its hint is then the priced one
     */
    InputField labelled(String modelId, InputField f, boolean pricesDiffer) {
        Entry general = fields.getOrDefault(f.name(), Entry.EMPTY);
        Entry own = models.getOrDefault(modelId, Map.of()).getOrDefault(f.name(), Entry.EMPTY);
        Map<String, OptionLabel> values = new LinkedHashMap<>();
        List<String> choices = Catalog.choices(f);
        general.values().forEach((v, o) -> {
            if (choices.contains(v)) {
                values.put(v, o);
            }
        });
        values.putAll(own.values());
        Map<String, String> hint = own.hint(pricesDiffer).isEmpty() ? general.hint(pricesDiffer) : own.hint(pricesDiffer);
        return f.withLabels(new FieldLabels(own.label().isEmpty() ? general.label() : own.label(), hint, values));
    }

    /**
     * Words nobody reads are a mistake too (a renamed field, a typo in a model id): labels for a field name no
     * model has, for a model or a model's field that does not exist, or for a value no field of that name offers.
     *
     * @param fieldsById model id → its fields
     */
    void reportUnused(Map<String, List<InputField>> fieldsById, List<CatalogProblem> problems) {
        Map<String, Set<String>> offered = new LinkedHashMap<>();
        fieldsById.values().stream().flatMap(Collection::stream).forEach(f ->
                offered.computeIfAbsent(f.name(), k -> new HashSet<>()).addAll(Catalog.choices(f)));
        fields.forEach((name, e) -> {
            if (!offered.containsKey(name)) {
                problems.add(new CatalogProblem(FILE + " fields." + name, "no model has a field '" + name + "'"));
            } else {
                e.values().keySet().stream().filter(v -> !offered.get(name).contains(v)).forEach(v -> problems.add(
                        new CatalogProblem(FILE + " fields." + name, "no field '" + name + "' offers '" + v + "'")));
            }
        });
        models.forEach((id, own) -> {
            List<InputField> modelFields = fieldsById.get(id);
            if (modelFields == null) {
                problems.add(new CatalogProblem(FILE + " models." + id, "labels for unknown model '" + id + "'"));
                return;
            }
            own.keySet().stream().filter(name -> modelFields.stream().noneMatch(f -> f.name().equals(name)))
                    .forEach(name -> problems.add(new CatalogProblem(FILE + " models." + id,
                            "model '" + id + "' has no field '" + name + "'")));
        });
    }
}
