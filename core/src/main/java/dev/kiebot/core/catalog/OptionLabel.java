package dev.kiebot.core.catalog;

import java.util.Map;
import java.util.Optional;

/**
 * What a person reads for one value of a choice field whose raw value does not explain itself ({@code std} →
 * «Стандарт»; a voice id → «Джеймс» with "husky, bold" as its hint (its ♂ says the rest)).
 *
 * @param label language code → label
 * @param hint  language code → one line about the value; may be empty
 */
public record OptionLabel(Map<String, String> label, Map<String, String> hint) {
    /**
     * Copies the maps.
     *
     * @param label copied
     * @param hint  copied
     */
    public OptionLabel {
        label = Map.copyOf(label);
        hint = Map.copyOf(hint);
    }

    /**
     * A label in the shop's two languages, without a hint.
     *
     * @param ru the label in Russian
     * @param en the label in English
     * @return the words
     */
    public static OptionLabel of(String ru, String en) {
        return new OptionLabel(Map.of("ru", ru, "en", en), Map.of());
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
     * @return the hint, else the English one; empty when there is none or it is blank
     */
    public Optional<String> hint(String language) {
        return Optional.ofNullable(hint.getOrDefault(language, hint.get("en"))).filter(h -> !h.isBlank());
    }
}
