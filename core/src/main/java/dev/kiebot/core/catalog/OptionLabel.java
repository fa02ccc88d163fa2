package dev.kiebot.core.catalog;

import java.util.Map;
import java.util.Optional;

/**
 * What a person reads for one value of a choice field whose raw value does not explain itself ({@code std} →
 * «Стандарт»; a voice id → «Джеймс» with "male, husky and bold" as its hint).
 *
 * @param label language code → label
 * @param hint  language code → one line about the value; may be empty
 */
public record OptionLabel(Map<String, String> label, Map<String, String> hint) {
    public OptionLabel {
        label = Map.copyOf(label);
        hint = Map.copyOf(hint);
    }

    public static OptionLabel of(String ru, String en) {
        return new OptionLabel(Map.of("ru", ru, "en", en), Map.of());
    }

    public String label(String language) {
        return label.getOrDefault(language, label.getOrDefault("en", ""));
    }

    public Optional<String> hint(String language) {
        return Optional.ofNullable(hint.getOrDefault(language, hint.get("en"))).filter(h -> !h.isBlank());
    }
}
