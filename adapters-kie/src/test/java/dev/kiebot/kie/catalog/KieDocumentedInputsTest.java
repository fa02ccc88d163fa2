package dev.kiebot.kie.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Every model of the shipped catalog asks for what Kie documents and nothing Kie refuses: a value Kie's schema does
 * not list, a text longer than Kie takes, more files than it takes, a number out of its range, a string-typed
 * duration sent as a number or a field Kie requires left out fail the paid order with 422 after the user waited.
 * Kie's documented inputs are copied in {@code kie-documented-inputs.txt} (from kie-models.md and kie-api.md).
 */
class KieDocumentedInputsTest {
    /**
     * Required fields the Kie adapter adds itself: Suno's {@code customMode} (false unless the catalog sets it), and
     * Kling 3.0's multi-shot arrays, sent empty for the single shot the catalog offers (its field types have no array
     * of objects; kie-api.md §8: their keys must be present even single-shot).
     */
    private static final Set<String> ADDED_BY_THE_ADAPTER = Set.of("suno-v5 customMode", "suno-v5.5 customMode",
            "suno-v4.5-plus customMode", "kling-3.0/video multi_prompt", "kling-3.0/video kling_elements");

    private final Catalog catalog = KieCatalog.fromClasspath();
    private final Map<String, Map<String, Documented>> documented = documented();

    @Test
    void everyModelAsksOnlyForWhatKieDocumentsWithinItsLimits() {
        SoftAssertions soft = new SoftAssertions();
        for (Model m : catalog.models()) {
            Map<String, Documented> kie = documented.get(m.id());
            soft.assertThat(kie).as(m.id() + ": add its documented inputs to kie-documented-inputs.txt").isNotNull();
            if (kie == null) {
                continue;
            }
            for (InputField f : m.fields()) {
                String at = m.id() + " " + f.name();
                Documented d = kie.get(f.name());
                soft.assertThat(d).as(at + ": a field Kie does not document for the model").isNotNull();
                if (d == null) {
                    continue;
                }
                soft.assertThat(wireTypeFits(f.type(), d.type()))
                        .as(at + ": catalog type " + f.type() + " sends what Kie's " + d.type() + " field refuses").isTrue();
                if (!d.values().isEmpty() && (f.type() == FieldType.ENUM || f.type() == FieldType.INT_ENUM)) {
                    soft.assertThat(d.values()).as(at + ": values Kie lists (" + d.source() + ")")
                            .containsAll(f.values());
                }
                if (f.type() == FieldType.TEXT && d.maxLength().isPresent()) {
                    soft.assertThat(f.maxLength()).as(at + ": a text Kie caps at " + d.maxLength().getAsInt())
                            .isPresent();
                    f.maxLength().ifPresent(max -> soft.assertThat(max).as(at + " maxLength (" + d.source() + ")")
                            .isLessThanOrEqualTo(d.maxLength().getAsInt()));
                }
                if (f.type().isArray() && d.maxItems().isPresent()) {
                    soft.assertThat(f.fileLimit()).as(at + " maxItems (" + d.source() + ")")
                            .isLessThanOrEqualTo(d.maxItems().getAsInt());
                }
                d.range().ifPresent(r -> {
                    List<BigDecimal> numbers = new ArrayList<>();
                    if (f.type() == FieldType.INT_ENUM) {
                        f.values().forEach(v -> numbers.add(new BigDecimal(v)));
                    }
                    f.min().ifPresent(numbers::add);
                    f.max().ifPresent(numbers::add);
                    f.defaultValue().filter(v -> f.type() != FieldType.BOOLEAN).map(BigDecimal::new)
                            .ifPresent(numbers::add);
                    for (BigDecimal n : numbers) {
                        soft.assertThat(n).as(at + " within " + r[0] + ".." + r[1] + " (" + d.source() + ")")
                                .isBetween(r[0], r[1]);
                    }
                });
            }
            for (Documented d : kie.values()) {
                String at = m.id() + " " + d.field();
                if (!d.required() || ADDED_BY_THE_ADAPTER.contains(at)) {
                    continue;
                }
                Optional<InputField> f = m.field(d.field());
                soft.assertThat(f).as(at + ": Kie requires it (" + d.source() + ")").isPresent();
                f.ifPresent(field -> soft.assertThat(field.required() || field.defaultValue().isPresent())
                        .as(at + ": Kie requires it, and the catalog may send the task without it").isTrue());
            }
        }
        soft.assertAll();
    }

    @Test
    void theRuleCatchesAValueKieDoesNotList() {
        // the rule above, shown on one documented field: Kling 2.6 takes "5" and "10" only, as strings
        Documented duration = documented.get("kling-2.6/text-to-video").get("duration");
        assertThat(duration.values()).containsExactly("5", "10");
        assertThat(duration.type()).isEqualTo("string");
        assertThat(wireTypeFits(FieldType.INT_ENUM, duration.type())).isFalse();
        assertThat(wireTypeFits(FieldType.ENUM, duration.type())).isTrue();
    }

    /** Whether what the catalog's type puts on the wire (InputMapper) is what Kie's schema type takes. */
    private static boolean wireTypeFits(FieldType catalog, String kie) {
        return switch (catalog) {
            case TEXT, ENUM, IMAGE, AUDIO, VIDEO -> kie.equals("string");
            case INT_ENUM, INTEGER -> kie.equals("integer") || kie.equals("number");
            case NUMBER -> kie.equals("number");
            case BOOLEAN -> kie.equals("boolean");
            case IMAGES, VIDEOS -> kie.equals("array");
        };
    }

    /** One documented field: its name, whether Kie requires it, its schema type, listed values and limits. */
    private record Documented(String field, boolean required, String type, List<String> values, OptionalInt maxLength,
                              OptionalInt maxItems, Optional<BigDecimal[]> range, String source) {
    }

    private static Map<String, Map<String, Documented>> documented() {
        String text;
        try (InputStream in = KieDocumentedInputsTest.class.getResourceAsStream("/kie-documented-inputs.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Map<String, Documented>> byModel = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] c = line.split(" \\| ", -1);
            assertThat(c).as(line).hasSize(9);
            Optional<BigDecimal[]> range = c[7].equals("-") ? Optional.empty()
                    : Optional.of(new BigDecimal[] {new BigDecimal(c[7].split("\\.\\.")[0]),
                            new BigDecimal(c[7].split("\\.\\.")[1])});
            Documented d = new Documented(c[1], c[2].equals("required"), c[3],
                    c[4].equals("-") ? List.of() : List.of(c[4].split(",")), limit(c[5]), limit(c[6]), range, c[8]);
            byModel.computeIfAbsent(c[0], k -> new LinkedHashMap<>()).put(d.field(), d);
        }
        return byModel;
    }

    private static OptionalInt limit(String cell) {
        return cell.equals("-") ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(cell));
    }
}
