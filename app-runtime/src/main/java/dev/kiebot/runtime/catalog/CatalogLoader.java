package dev.kiebot.runtime.catalog;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.CatalogProblem;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.Family;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.InvalidCatalogException;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Sku;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the model catalog ({@value #CATALOG_FILE}), its prices ({@value #PRICING_FILE}) and the words
 * people read for its fields ({@value #LABELS_FILE}, see {@link LabelsFile}), joins them into core
 * {@link Model}s and {@link Sku}s and validates the result with {@link Catalog#validate}.
 *
 * <p>Nothing is guessed and nothing fails fast: every problem found in either file (syntax,
 * unknown keys or types, malformed or duplicate price lines, prices for unknown models, plus
 * everything core's validation reports) is collected into one {@link InvalidCatalogException},
 * so an operator fixes {@code models/} in one go. Problems name {@code catalog.json:LINE},
 * {@code pricing_source_truth.txt:LINE} or the model id.
 *
 * <p>By default the files come from the classpath under {@value #CLASSPATH_DIR} (the build
 * packages the repository's {@code models/} directory there), so a change of {@code models/} reaches a bot with its
 * next build; {@link #fromDirectory(Path)} reads the same files from a directory (the tests check the repository's
 * {@code models/} and broken copies of it that way; no setting points a running bot at one).
 */
public final class CatalogLoader {
    public static final String CATALOG_FILE = "catalog.json";
    public static final String PRICING_FILE = "pricing_source_truth.txt";
    public static final String LABELS_FILE = LabelsFile.FILE;
    public static final String CLASSPATH_DIR = "models/";
    /** The only catalog format version this loader understands. */
    public static final int FORMAT_VERSION = 1;

    private static final Set<String> ROOT_KEYS = Set.of("version", "models");
    private static final Set<String> MODEL_KEYS = Set.of(
            "id", "kieModel", "family", "category", "popularity", "title", "description", "fields");
    private static final Set<String> FIELD_KEYS = Set.of(
            "name", "type", "required", "values", "default", "min", "max", "maxLength", "maxItems", "ask");
    private static final int DEFAULT_POPULARITY = 1000;
    private static final Pattern PRICE = Pattern.compile("\\d+(\\.\\d+)?");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private CatalogLoader() {
    }

    /** Loads {@code models/catalog.json}, {@code pricing_source_truth.txt} and {@code labels.json} from the classpath. */
    public static Catalog fromClasspath() {
        return fromClasspath(CatalogLoader.class.getClassLoader());
    }

    public static Catalog fromClasspath(ClassLoader loader) {
        List<CatalogProblem> problems = new ArrayList<>();
        String catalog = readResource(loader, CLASSPATH_DIR + CATALOG_FILE, CATALOG_FILE, problems);
        String pricing = readResource(loader, CLASSPATH_DIR + PRICING_FILE, PRICING_FILE, problems);
        String labels = readResource(loader, CLASSPATH_DIR + LABELS_FILE, LABELS_FILE, problems);
        if (!problems.isEmpty()) {
            throw new InvalidCatalogException(problems);
        }
        return parse(catalog, pricing, labels);
    }

    /** Loads {@code catalog.json}, {@code pricing_source_truth.txt} and {@code labels.json} from a directory. */
    public static Catalog fromDirectory(Path dir) {
        List<CatalogProblem> problems = new ArrayList<>();
        String catalog = readFile(dir.resolve(CATALOG_FILE), CATALOG_FILE, problems);
        String pricing = readFile(dir.resolve(PRICING_FILE), PRICING_FILE, problems);
        String labels = readFile(dir.resolve(LABELS_FILE), LABELS_FILE, problems);
        if (!problems.isEmpty()) {
            throw new InvalidCatalogException(problems);
        }
        return parse(catalog, pricing, labels);
    }

    /**
     * Parses the three files' contents, joins prices and labels into models and validates.
     *
     * @throws InvalidCatalogException listing every problem in any file
     */
    public static Catalog parse(String catalogJson, String pricingText, String labelsJson) {
        List<CatalogProblem> problems = new ArrayList<>();
        ParsedCatalog parsed = parseCatalog(catalogJson, problems);
        LabelsFile labels = LabelsFile.parse(labelsJson, JSON, problems);
        // With an unreadable catalog every price line would be "for an unknown model": check only their form.
        Map<String, List<Sku>> skus = parsePricing(pricingText,
                parsed.complete() ? Optional.of(parsed.declaredIds()) : Optional.empty(), problems);

        List<Model> models = new ArrayList<>();
        Map<String, List<InputField>> fieldsById = new LinkedHashMap<>();
        for (ModelSpec spec : parsed.models()) {
            List<Sku> modelSkus = skus.getOrDefault(spec.id(), List.of());
            Set<String> pricesDiffer = fieldsThatChangeThePrice(modelSkus);
            List<InputField> fields = spec.fields().stream()
                    .map(f -> labels.labelled(spec.id(), f, pricesDiffer.contains(f.name()))).toList();
            fieldsById.put(spec.id(), fields);
            models.add(new Model(spec.id(), spec.kieModel(), spec.family(), spec.category(), spec.title(),
                    spec.description(), fields, modelSkus, spec.popularity()));
        }
        if (parsed.complete() && parsed.everyModelParsed()) {
            // with a model dropped for its own problems its labels would look unused: checked once it parses
            labels.reportUnused(fieldsById, problems);
        }
        if (parsed.complete()) {
            // Models dropped for their own problems are missing here; the rest is still checked,
            // so one run reports everything. (An unreadable file yields no models at all: then
            // "no models" would only repeat the syntax error.)
            problems.addAll(Catalog.validate(models));
        }
        if (!problems.isEmpty()) {
            throw new InvalidCatalogException(problems);
        }
        return Catalog.of(models);
    }

    /**
     * The fields whose value alone changes a model's price: two of its SKUs that differ in that field only cost
     * differently. A field the SKUs name at one price for every value changes nothing, nor does one they do not name.
     */
    static Set<String> fieldsThatChangeThePrice(List<Sku> skus) {
        Set<String> out = new HashSet<>();
        for (Sku a : skus) {
            for (Sku b : skus) {
                if (a.kieUsd().compareTo(b.kieUsd()) == 0 || !a.options().keySet().equals(b.options().keySet())) {
                    continue;
                }
                List<String> differ = a.options().keySet().stream()
                        .filter(name -> !a.options().get(name).equals(b.options().get(name))).toList();
                if (differ.size() == 1) {
                    out.add(differ.get(0));
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ catalog.json

    private record ModelSpec(String id, String kieModel, Family family, Category category, Map<String, String> title,
                             Map<String, String> description, List<InputField> fields, int popularity) {
    }

    /**
     * @param declaredIds every id that appears in the file, even of models that had problems, so
     *                    their price lines are not reported as "unknown model" on top
     * @param complete    false when the file could not be read as a whole (syntax error)
     * @param everyModelParsed no model was dropped for problems of its own
     */
    private record ParsedCatalog(List<ModelSpec> models, Set<String> declaredIds, boolean complete,
                                 boolean everyModelParsed) {
    }

    private static ParsedCatalog parseCatalog(String text, List<CatalogProblem> problems) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? CATALOG_FILE : CATALOG_FILE + ":" + loc.getLineNr();
            problems.add(new CatalogProblem(where, "not valid JSON: " + e.getOriginalMessage()));
            return new ParsedCatalog(List.of(), Set.of(), false, false);
        }
        if (root == null || !root.isObject()) {
            problems.add(new CatalogProblem(CATALOG_FILE, "must be a JSON object {\"version\": 1, \"models\": [...]}"));
            return new ParsedCatalog(List.of(), Set.of(), false, false);
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
            return new ParsedCatalog(List.of(), Set.of(), false, false);
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
        return new ParsedCatalog(specs, declared, true, specs.size() == modelsNode.size());
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

        if (problems.size() != before) {
            return Optional.empty();
        }
        return Optional.of(new InputField(name, type, required, values, defaultValue, min, max, maxLength, maxItems,
                ask));
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
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
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

    // ------------------------------------------------------------------ pricing_source_truth.txt

    private static Map<String, List<Sku>> parsePricing(String text, Optional<Set<String>> declaredIds,
                                                       List<CatalogProblem> problems) {
        Map<String, List<Sku>> byModel = new LinkedHashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i].strip();
            if (lineNo == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1).strip();
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = PRICING_FILE + ":" + lineNo;
            String[] cols = line.split("\\|", -1);
            if (cols.length != 4) {
                problems.add(new CatalogProblem(where, "expected 4 columns 'model_id | variant | kie_usd | source',"
                        + " got " + cols.length + ": " + line));
                continue;
            }
            String modelId = cols[0].strip();
            String variant = cols[1].strip();
            String usdText = cols[2].strip();
            String source = cols[3].strip();
            int before = problems.size();
            if (modelId.isEmpty()) {
                problems.add(new CatalogProblem(where, "model_id is empty"));
            } else if (declaredIds.isPresent() && !declaredIds.get().contains(modelId)) {
                problems.add(new CatalogProblem(where, "price for unknown model '" + modelId
                        + "' (not in " + CATALOG_FILE + ")"));
            }
            Map<String, String> options = parseVariant(variant, where, problems);
            BigDecimal usd = parsePrice(usdText, where, problems);
            if (source.isEmpty()) {
                problems.add(new CatalogProblem(where, "source is empty: say where and when the price was verified"));
            }
            if (problems.size() != before) {
                continue;
            }
            Sku sku = new Sku(options, usd, source);
            String key = modelId + " | " + sku.id();
            Integer first = seen.putIfAbsent(key, lineNo);
            if (first != null) {
                problems.add(new CatalogProblem(where, "duplicate price for " + modelId + " variant '" + sku.id()
                        + "' (first at line " + first + ")"));
                continue;
            }
            byModel.computeIfAbsent(modelId, k -> new ArrayList<>()).add(sku);
        }
        return byModel;
    }

    private static BigDecimal parsePrice(String text, String where, List<CatalogProblem> problems) {
        BigDecimal usd;
        try {
            usd = new BigDecimal(text);
        } catch (NumberFormatException e) {
            problems.add(new CatalogProblem(where, "kie_usd '" + text + "' is not a number (write USD like 0.025)"));
            return null;
        }
        if (usd.signum() <= 0) {
            problems.add(new CatalogProblem(where, "kie_usd must be > 0, got " + text));
            return null;
        }
        if (!PRICE.matcher(text).matches()) {
            problems.add(new CatalogProblem(where, "kie_usd '" + text + "' must be a plain decimal such as 0.025"));
            return null;
        }
        return usd;
    }

    private static Map<String, String> parseVariant(String variant, String where, List<CatalogProblem> problems) {
        if (variant.equals("default")) {
            return Map.of();
        }
        if (variant.isEmpty()) {
            problems.add(new CatalogProblem(where, "variant is empty: use 'default' or field=value pairs"));
            return Map.of();
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (String pair : variant.split(",", -1)) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? "" : pair.substring(0, eq).strip();
            String value = eq < 0 ? "" : pair.substring(eq + 1).strip();
            if (key.isEmpty() || value.isEmpty()) {
                problems.add(new CatalogProblem(where, "malformed variant '" + variant
                        + "': expected 'default' or comma-joined field=value pairs"));
                return Map.of();
            }
            if (options.put(key, value) != null) {
                problems.add(new CatalogProblem(where, "variant '" + variant + "' sets field '" + key + "' twice"));
                return Map.of();
            }
        }
        String canonical = new TreeMap<>(options).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
        if (!canonical.equals(variant)) {
            problems.add(new CatalogProblem(where, "variant '" + variant
                    + "' must list its fields sorted by name without spaces: '" + canonical + "'"));
        }
        return options;
    }

    // ------------------------------------------------------------------ I/O

    private static String readResource(ClassLoader loader, String resource, String name,
                                       List<CatalogProblem> problems) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                problems.add(new CatalogProblem(name, "not found on the classpath at '" + resource
                        + "' (is models/ packaged into the jar?)"));
                return null;
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(new CatalogProblem(name, "cannot read classpath resource '" + resource + "': " + e));
            return null;
        }
    }

    private static String readFile(Path file, String name, List<CatalogProblem> problems) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            problems.add(new CatalogProblem(name, "file not found: " + file.toAbsolutePath()));
            return null;
        } catch (IOException e) {
            problems.add(new CatalogProblem(name, "cannot read " + file.toAbsolutePath() + ": " + e));
            return null;
        }
    }
}
