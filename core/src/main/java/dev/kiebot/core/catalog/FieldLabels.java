package dev.kiebot.core.catalog;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The words a person reads for one input field instead of its Kie name: a label ("Формат кадра" for
 * {@code aspect_ratio}) and a one-line hint ("the shape of the picture") in every language, and labels of the
 * values that do not explain themselves ({@code 9:16} stays, {@code std} becomes «Стандарт»). Every field of
 * every model must have both labels and both hints in every language ({@link Catalog#validate}).
 *
 * @param label  language code → label
 * @param hint   language code → one-line hint
 * @param values raw value → its label, for values that need one
 */
public record FieldLabels(Map<String, String> label, Map<String, String> hint, Map<String, OptionLabel> values) {
    /** No words at all: a catalog with such a field refuses to load. */
    public static final FieldLabels NONE = new FieldLabels(Map.of(), Map.of(), Map.of());

    /**
     * Copies the maps.
     *
     * @param label  copied
     * @param hint   copied
     * @param values copied
     */
    public FieldLabels {
        label = Map.copyOf(label);
        hint = Map.copyOf(hint);
        values = Map.copyOf(values);
    }

    /**
     * A label and a hint in the shop's two languages, no value labels.
     *
     * @param labelRu the label in Russian
     * @param labelEn the label in English
     * @param hintRu  the hint in Russian
     * @param hintEn  the hint in English
     * @return the words
     */
    public static FieldLabels of(String labelRu, String labelEn, String hintRu, String hintEn) {
        return new FieldLabels(Map.of("ru", labelRu, "en", labelEn), Map.of("ru", hintRu, "en", hintEn), Map.of());
    }

    /**
     * The same words with one more value labelled.
     *
     * @param value  the raw value
     * @param option its words
     * @return new words; these are unchanged
     */
    public FieldLabels withValue(String value, OptionLabel option) {
        Map<String, OptionLabel> more = new HashMap<>(values);
        more.put(value, option);
        return new FieldLabels(label, hint, more);
    }

    /**
     * The label in a language.
     *
     * @param language {@code ru} or {@code en}
     * @return the label, else the English one, else {@code ""}
     */
    public String label(String language) {
        return label.getOrDefault(language, label.getOrDefault("en", ""));
    }

    /**
     * The hint in a language.
     *
     * @param language {@code ru} or {@code en}
     * @return the hint, else the English one, else {@code ""}
     */
    public String hint(String language) {
        return hint.getOrDefault(language, hint.getOrDefault("en", ""));
    }

    /**
     * The words of a value.
     *
     * @param value the raw value
     * @return its words; empty for a value that explains itself
     */
    public Optional<OptionLabel> value(String value) {
        return Optional.ofNullable(values.get(value));
    }
}
