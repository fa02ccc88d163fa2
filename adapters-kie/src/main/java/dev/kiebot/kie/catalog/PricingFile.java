package dev.kiebot.kie.catalog;

import dev.kiebot.core.catalog.CatalogProblem;
import dev.kiebot.core.catalog.Sku;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@value KieCatalog#PRICING_FILE}: one line per price, {@code model_id | variant | kie_usd | source}, read into
 * {@link Sku}s per model. Every problem is added to the caller's list, naming {@code pricing_source_truth.txt:LINE}.
 */
final class PricingFile {
    private static final Pattern PRICE = Pattern.compile("\\d+(\\.\\d+)?");
    private static final String CATALOG_FILE = KieCatalog.CATALOG_FILE;
    private static final String PRICING_FILE = KieCatalog.PRICING_FILE;

    private PricingFile() {
    }

    /**
     * The prices by model id, in the file's order.
     *
     * @param declaredIds the catalog's ids, to report a price for a model it does not have; empty when the catalog
     *                    could not be read, as every line would then be reported
     */
    static Map<String, List<Sku>> parse(String text, Optional<Set<String>> declaredIds, List<CatalogProblem> problems) {
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
}
