package dev.kiebot.kie.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.CatalogProblem;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.InvalidCatalogException;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Sku;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Kie's models as core's {@link Catalog}: what kiebot sells, and what a partner who embeds core sells by
 * depending on adapters-kie and handing {@link #fromClasspath()} to {@code Shop.builder().catalog(...)}.
 *
 * <p>Reads the model catalog ({@value #CATALOG_FILE}), its prices ({@value #PRICING_FILE}) and the words
 * people read for its fields ({@value #LABELS_FILE}), each read by a class of its own ({@link CatalogFile},
 * {@link PricingFile}, {@link LabelsFile}), joins them into core
 * {@link Model}s and {@link Sku}s and validates the result with {@link Catalog#validate}.
 *
 * <p>Nothing is guessed and nothing fails fast: every problem found in either file (syntax,
 * unknown keys or types, malformed or duplicate price lines, prices for unknown models, plus
 * everything core's validation reports) is collected into one {@link InvalidCatalogException},
 * so an operator fixes {@code models/} in one go. Problems name {@code catalog.json:LINE},
 * {@code pricing_source_truth.txt:LINE} or the model id.
 *
 * <p>By default the files come from the classpath under {@value #CLASSPATH_DIR} (the build
 * packages the repository's {@code models/} directory there, in adapters-kie's jar), so a change of {@code models/} reaches a bot with its
 * next build; {@link #fromDirectory(Path)} reads the same files from a directory (the tests check the repository's
 * {@code models/} and broken copies of it that way; no setting points a running bot at one).
 */
public final class KieCatalog {
    public static final String CATALOG_FILE = "catalog.json";
    public static final String PRICING_FILE = "pricing_source_truth.txt";
    public static final String LABELS_FILE = LabelsFile.FILE;
    public static final String CLASSPATH_DIR = "models/";
    /** The only catalog format version this loader understands. */
    public static final int FORMAT_VERSION = 1;


    /** Strict: a key given twice or text after the document is a problem, not silently the last one. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private KieCatalog() {
    }

    /** Loads {@code models/catalog.json}, {@code pricing_source_truth.txt} and {@code labels.json} from the classpath. */
    public static Catalog fromClasspath() {
        return fromClasspath(KieCatalog.class.getClassLoader());
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
        CatalogFile.Parsed parsed = CatalogFile.parse(catalogJson, problems);
        LabelsFile labels = LabelsFile.parse(labelsJson, JSON, problems);
        // With an unreadable catalog every price line would be "for an unknown model": check only their form.
        Map<String, List<Sku>> skus = PricingFile.parse(pricingText,
                parsed.complete() ? Optional.of(parsed.declaredIds()) : Optional.empty(), problems);

        List<Model> models = new ArrayList<>();
        Map<String, List<InputField>> fieldsById = new LinkedHashMap<>();
        for (CatalogFile.ModelSpec spec : parsed.models()) {
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
