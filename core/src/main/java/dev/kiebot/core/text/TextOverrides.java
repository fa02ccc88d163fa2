package dev.kiebot.core.text;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The shop's own texts in place of the bundles' ({@code messages_<lang>.properties}), per language: its terms
 * ({@link Msg#TERMS}) and privacy policy ({@link Msg#PRIVACY}), which name the seller, a welcome or help of its own, or
 * any other of the bundles' texts (the reason a job failed: {@code error.provider_failed}). Given to {@code Shop.builder().texts(...)}, which refuses a wrong one when the shop is built
 * ({@link Texts#with} says what is wrong with each text); any text not given stays the bundle's.
 *
 * <p>An override is written like the bundle's text it replaces: the same placeholders ({@code {0}}, {@code {1}}, …,
 * each the value the shop fills in there: a price, a balance, a name), none left out and none added; a counted
 * placeholder ({@code {1|генерация|генерации|генераций}}) counts as its number and may list other words. The AI
 * service's name is replaced in it as in the bundles ({@code Shop.builder().providerName}).
 *
 * <!-- snippet: statements (compiled by the architecture module's PartnerSnippetsTest) -->
 * <pre>{@code
 * TextOverrides.builder()
 *         .text("ru", Msg.TERMS, "📄 Условия использования\nПродавец: ИП Иванов И. И., ИНН 123456789012 ...")
 *         .text("en", Msg.TERMS, "📄 Terms of service\nSeller: Ivan Ivanov, sole trader ...")
 *         .build();
 * }</pre>
 *
 * <p>Immutable and safe across threads.
 */
public final class TextOverrides {
    private static final TextOverrides NONE = new TextOverrides(Map.of());

    /** Language → key as the bundles write it ({@code terms}, {@code error.provider_failed}) → the text. */
    private final Map<String, Map<String, String>> byLanguage;

    private TextOverrides(Map<String, Map<String, String>> byLanguage) {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        byLanguage.forEach((language, texts) -> copy.put(language,
                Collections.unmodifiableMap(new LinkedHashMap<>(texts))));
        this.byLanguage = Collections.unmodifiableMap(copy);
    }

    /**
     * No text replaced: every text is the bundles'.
     *
     * @return the overrides that replace nothing (the shop's default)
     */
    public static TextOverrides none() {
        return NONE;
    }

    /**
     * Collects the texts to replace.
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The text given for {@code key} in {@code language}, as given (unchecked until {@link Texts#with} takes it).
     *
     * @param language the language it was given for ({@code ru}, {@code en})
     * @param key      the key as the bundles write it ({@code terms})
     * @return the text, or empty when the bundle's stays
     */
    public Optional<String> text(String language, String key) {
        return Optional.ofNullable(byLanguage.getOrDefault(language, Map.of()).get(key));
    }

    /**
     * Every text given, by language and then by key, in the order given.
     *
     * @return language → key as the bundles write it → text; unmodifiable
     */
    public Map<String, Map<String, String>> byLanguage() {
        return byLanguage;
    }

    /**
     * Whether no text is replaced.
     *
     * @return true for {@link #none()} and an empty builder's
     */
    public boolean isEmpty() {
        return byLanguage.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TextOverrides other && byLanguage.equals(other.byLanguage);
    }

    @Override
    public int hashCode() {
        return byLanguage.hashCode();
    }

    /** The keys alone: a text may run to pages. */
    @Override
    public String toString() {
        java.util.StringJoiner keys = new java.util.StringJoiner(", ", "TextOverrides[", "]");
        byLanguage.forEach((language, texts) -> texts.keySet().forEach(key -> keys.add(language + "." + key)));
        return keys.toString();
    }

    /** Collects texts, the later one for the same language and key in place of the earlier. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Map<String, String>> byLanguage = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Replaces {@code msg}'s text in {@code language}.
         *
         * @param language {@code ru} or {@code en} ({@link Texts#LANGUAGES})
         * @param msg      the text to replace, e.g. {@link Msg#TERMS}
         * @param text     the shop's own text, with the bundle's placeholders
         * @return this builder
         */
        public Builder text(String language, Msg msg, String text) {
            return text(language, Objects.requireNonNull(msg, "msg: e.g. Msg.TERMS").key(), text);
        }

        /**
         * Replaces the text of {@code key} in {@code language}, for keys read from a file ({@code terms},
         * {@code welcome.no_free}, {@code error.provider_failed}: any key of the bundles, as they write it; a
         * {@link Msg}'s is its {@link Msg#key()}).
         *
         * @param language {@code ru} or {@code en} ({@link Texts#LANGUAGES})
         * @param key      the key as the bundles write it
         * @param text     the shop's own text, with the bundle's placeholders
         * @return this builder
         */
        public Builder text(String language, String key, String text) {
            Objects.requireNonNull(language, "language: \"ru\" or \"en\"");
            Objects.requireNonNull(key, "key: e.g. \"terms\" (Msg.TERMS.key())");
            Objects.requireNonNull(text, "text: the shop's own text for " + language + "." + key);
            byLanguage.computeIfAbsent(language, l -> new LinkedHashMap<>()).put(key, text);
            return this;
        }

        /**
         * The texts given so far; checked by {@link Texts#with} ({@code Shop.builder().build()}).
         *
         * @return the overrides
         */
        public TextOverrides build() {
            return byLanguage.isEmpty() ? NONE : new TextOverrides(byLanguage);
        }
    }
}
