package dev.kiebot.core.catalog;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The validated set of models the bot offers. Construct with {@link #of(List)}: invalid data is
 * refused with every problem listed, so an operator fixes the file once, not once per problem.
 */
public final class Catalog {
    /** Callback data is at most 64 bytes and carries a model id plus a short prefix. */
    public static final int MAX_MODEL_ID_LENGTH = 48;
    static final List<String> LANGUAGES = List.of("ru", "en");

    private final Map<String, Model> byId;
    /** Categories with a model, in enum order: read by every home menu and welcome, so derived once. */
    private final List<Category> categories;

    private Catalog(List<Model> models) {
        Map<String, Model> map = new LinkedHashMap<>();
        models.stream()
                .sorted(Comparator.comparingInt(Model::popularity).thenComparing(Model::id))
                .forEach(m -> map.put(m.id(), m));
        this.byId = java.util.Collections.unmodifiableMap(map);
        this.categories = java.util.Arrays.stream(Category.values())
                .filter(c -> byId.values().stream().anyMatch(m -> m.category() == c)).toList();
    }

    /**
     * Validates and builds; throws {@link InvalidCatalogException} listing every problem.
     *
     * @param models the models to sell, at least one, ids unique, each with {@code ru} and {@code en} words and a
     *               price for every choice a user can make
     * @return the catalog, most popular first
     * @throws InvalidCatalogException listing every problem at once
     */
    public static Catalog of(List<Model> models) {
        java.util.Objects.requireNonNull(models, "Catalog.of: the list of the Models to sell (at least one), not null");
        List<CatalogProblem> problems = validate(models);
        if (!problems.isEmpty()) {
            throw new InvalidCatalogException(problems);
        }
        return new Catalog(models);
    }

    /**
     * Every problem of these models as a catalog ({@link #of} refuses them all at once); empty when they make one.
     *
     * @param models the models to check
     * @return each problem with where it is
     */
    public static List<CatalogProblem> validate(List<Model> models) {
        java.util.Objects.requireNonNull(models, "Catalog.validate: the list of the Models to check, not null");
        List<CatalogProblem> problems = new ArrayList<>();
        if (models.isEmpty()) {
            problems.add(new CatalogProblem("catalog", "no models: the bot would have nothing to sell"));
        }
        Set<String> ids = new HashSet<>();
        for (Model m : models) {
            if (!ids.add(m.id())) {
                problems.add(new CatalogProblem(m.id(), "duplicate model id"));
            }
            validateModel(m, problems);
        }
        return problems;
    }

    private static void validateModel(Model m, List<CatalogProblem> out) {
        String id = m.id();
        if (id.isBlank() || id.length() > MAX_MODEL_ID_LENGTH || !id.matches("[A-Za-z0-9._/:-]+")) {
            out.add(new CatalogProblem(id, "model id must be 1-" + MAX_MODEL_ID_LENGTH
                    + " characters of [A-Za-z0-9._/:-]"));
        }
        for (String lang : LANGUAGES) {
            if (m.title().getOrDefault(lang, "").isBlank()) {
                out.add(new CatalogProblem(id, "missing " + lang + " title"));
            }
            if (m.description().getOrDefault(lang, "").isBlank()) {
                out.add(new CatalogProblem(id, "missing " + lang + " description"));
            }
        }
        Set<String> names = new HashSet<>();
        for (InputField f : m.fields()) {
            validateField(id, f, out);
            if (!names.add(f.name())) {
                out.add(new CatalogProblem(id, "duplicate field '" + f.name() + "'"));
            }
        }
        if (m.fields().stream().noneMatch(InputField::ask)) {
            out.add(new CatalogProblem(id, "no field is asked from the user"));
        }
        validateSkus(m, out);
    }

    private static void validateField(String id, InputField f, List<CatalogProblem> out) {
        String where = id + " field '" + f.name() + "'";
        if (f.type().isChoice() && f.type() != FieldType.BOOLEAN && f.values().isEmpty()) {
            out.add(new CatalogProblem(where, "choice field without values"));
        }
        if (f.type() == FieldType.BOOLEAN && !f.values().isEmpty()
                && !Set.of("true", "false").containsAll(f.values())) {
            out.add(new CatalogProblem(where, "boolean values must be 'true'/'false'"));
        }
        if (f.type() == FieldType.INT_ENUM) {
            for (String v : f.values()) {
                if (!v.matches("-?\\d+")) {
                    out.add(new CatalogProblem(where, "int_enum value '" + v + "' is not an integer"));
                }
            }
        }
        f.defaultValue().ifPresent(d -> {
            if (f.type().isChoice() && !choices(f).contains(d)) {
                out.add(new CatalogProblem(where, "default '" + d + "' is not one of " + choices(f)));
            }
            if ((f.type() == FieldType.NUMBER || f.type() == FieldType.INTEGER) && !inLimits(f, d)) {
                out.add(new CatalogProblem(where, "default '" + d + "' is outside the field's limits"));
            }
        });
        if (f.min().isPresent() && f.max().isPresent() && f.min().get().compareTo(f.max().get()) > 0) {
            out.add(new CatalogProblem(where, "min is greater than max"));
        }
        if (f.maxLength().isPresent() && f.maxLength().getAsInt() <= 0) {
            out.add(new CatalogProblem(where, "maxLength must be positive"));
        }
        if ((f.type() == FieldType.VIDEO || f.type() == FieldType.VIDEOS) && f.maxLength().isPresent()) {
            // the job worker measures a clip before it goes at a per-second price, and reads audio only: every order
            // of such a field would be refunded as «unreadable» after the user sent his video
            out.add(new CatalogProblem(where, "a video's length limit (maxLength) cannot be checked: the bot measures"
                    + " WAV, MP3 and Ogg (Opus, Vorbis) clips only, so every order would be refunded; drop maxLength"
                    + " or price the model per clip"));
        }
        if (f.maxBytes().isPresent() && !f.type().isMedia()) {
            out.add(new CatalogProblem(where, "maxBytes is for file fields"));
        }
        if (f.type().isMedia() && f.type().isArray() && f.maxItems().orElse(1) <= 0) {
            out.add(new CatalogProblem(where, "maxItems must be positive"));
        }
        if (f.required() && !f.ask() && f.defaultValue().isEmpty()) {
            out.add(new CatalogProblem(where, "required field is neither asked nor defaulted"));
        }
        validateLabels(where, f, out);
    }

    /** A person reads a label and a hint for every field, never its Kie name. */
    private static void validateLabels(String where, InputField f, List<CatalogProblem> out) {
        List<String> missing = new ArrayList<>();
        for (String lang : LANGUAGES) {
            if (f.labels().label().getOrDefault(lang, "").isBlank()) {
                missing.add(lang + " label");
            }
            if (f.labels().hint().getOrDefault(lang, "").isBlank()) {
                missing.add(lang + " hint");
            }
        }
        if (!missing.isEmpty()) {
            out.add(new CatalogProblem(where, "no " + String.join(", ", missing)));
        }
        for (Map.Entry<String, OptionLabel> v : f.labels().values().entrySet()) {
            if (!choices(f).contains(v.getKey())) {
                out.add(new CatalogProblem(where, "label for '" + v.getKey() + "', which is not one of "
                        + choices(f)));
            }
            for (String lang : LANGUAGES) {
                if (v.getValue().label().getOrDefault(lang, "").isBlank()) {
                    out.add(new CatalogProblem(where, "value '" + v.getKey() + "' has no " + lang + " label"));
                }
            }
        }
    }

    private static boolean inLimits(InputField f, String value) {
        try {
            BigDecimal v = new BigDecimal(value);
            return f.min().map(min -> v.compareTo(min) >= 0).orElse(true)
                    && f.max().map(max -> v.compareTo(max) <= 0).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * The values a choice field offers; booleans offer both when none are listed.
     *
     * @param f a choice field
     * @return its values, as strings
     */
    public static List<String> choices(InputField f) {
        if (f.type() == FieldType.BOOLEAN && f.values().isEmpty()) {
            return List.of("false", "true");
        }
        return f.values();
    }

    private static void validateSkus(Model m, List<CatalogProblem> out) {
        String id = m.id();
        if (m.skus().isEmpty()) {
            out.add(new CatalogProblem(id, "no SKU: every offered model needs a verified price"));
            return;
        }
        Set<String> priceFields = m.priceFields();
        Set<String> skuIds = new HashSet<>();
        for (Sku s : m.skus()) {
            String where = id + " sku '" + s.id() + "'";
            if (s.kieUsd().signum() <= 0) {
                out.add(new CatalogProblem(where, "price must be > 0 USD, got " + s.kieUsd().toPlainString()));
            }
            if (s.source().isBlank()) {
                out.add(new CatalogProblem(where, "price has no source (where and when it was verified)"));
            }
            if (!skuIds.add(s.id())) {
                out.add(new CatalogProblem(where, "duplicate SKU"));
            }
            if (!s.options().keySet().equals(priceFields)) {
                out.add(new CatalogProblem(where, "must set every price field " + priceFields));
            }
            for (Map.Entry<String, String> o : s.options().entrySet()) {
                Optional<InputField> f = m.field(o.getKey());
                if (f.isEmpty()) {
                    out.add(new CatalogProblem(where, "option '" + o.getKey() + "' is not a field of the model"));
                } else if (!f.get().type().isChoice()) {
                    out.add(new CatalogProblem(where, "option '" + o.getKey() + "' must be an enum or boolean field"));
                } else if (!choices(f.get()).contains(o.getValue())) {
                    out.add(new CatalogProblem(where, "option " + o.getKey() + "=" + o.getValue()
                            + " is not one of " + choices(f.get())));
                }
            }
        }
        // A price field the bot never asks takes its default in every order: without one no order has a price, and
        // each would start over. (An asked one without a default is answered, never skipped: InputCollection.skippable.)
        for (String name : priceFields) {
            m.field(name).filter(f -> !f.ask() && f.defaultValue().isEmpty())
                    .ifPresent(f -> out.add(new CatalogProblem(id + " field '" + name + "'",
                            "the price depends on it and the bot never asks it: give it a default or ask it")));
        }
        // Every combination a user can pick must have exactly one price: no fallback prices.
        List<Map<String, String>> combos = combinations(m, List.copyOf(priceFields));
        for (Map<String, String> combo : combos) {
            long matching = m.skus().stream().filter(s -> s.matches(combo)).count();
            if (matching == 0) {
                out.add(new CatalogProblem(id, "no price for " + combo
                        + ": add a SKU or remove the value from the field"));
            }
        }
    }

    private static List<Map<String, String>> combinations(Model m, List<String> fields) {
        List<Map<String, String>> acc = new ArrayList<>();
        acc.add(Map.of());
        for (String name : fields) {
            Optional<InputField> f = m.field(name);
            if (f.isEmpty() || !f.get().type().isChoice()) {
                return List.of();
            }
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : acc) {
                for (String v : choices(f.get())) {
                    Map<String, String> extended = new java.util.HashMap<>(partial);
                    extended.put(name, v);
                    next.add(extended);
                }
            }
            acc = next;
        }
        return acc;
    }

    /**
     * The model with this id, if the catalog has one (a paused model too: {@code PausedModels} says which are).
     *
     * @param id the model's id, as a job keeps it
     * @return the model; empty for one that left the catalog
     */
    public Optional<Model> model(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * All models, most popular first.
     *
     * @return a copy of the models
     */
    public List<Model> models() {
        return List.copyOf(byId.values());
    }

    /**
     * The models whose id or title (in any language) holds {@code words}, case aside, most popular first: how an admin
     * names a model in a command ({@code /link}, {@code /pause}). Blank words match nothing.
     *
     * @param words what the admin typed
     * @return the matching models
     */
    public List<Model> search(String words) {
        String q = words.strip().toLowerCase(java.util.Locale.ROOT);
        if (q.isEmpty()) {
            return List.of();
        }
        return byId.values().stream().filter(m -> m.id().toLowerCase(java.util.Locale.ROOT).contains(q)
                || m.title("ru").toLowerCase(java.util.Locale.ROOT).contains(q)
                || m.title("en").toLowerCase(java.util.Locale.ROOT).contains(q)).toList();
    }

    /**
     * Models of one category, most popular first.
     *
     * @param category the category
     * @return its models; empty for a category the catalog has none of
     */
    public List<Model> models(Category category) {
        return byId.values().stream().filter(m -> m.category() == category).toList();
    }

    /**
     * Categories that have at least one model, in enum order.
     *
     * @return the categories the menu shows
     */
    public List<Category> categories() {
        return categories;
    }

    /**
     * How many models the catalog holds.
     *
     * @return the count
     */
    public int size() {
        return byId.size();
    }
}
