package dev.kiebot.core.text;

import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * User-facing texts from {@code dev/kiebot/core/text/messages_<lang>.properties} (UTF-8).
 * Placeholders are {@code {0}}, {@code {1}}, ... replaced literally (no MessageFormat quoting
 * rules, so apostrophes in texts are safe).
 */
public final class Texts {
    public static final List<String> LANGUAGES = List.of("ru", "en");
    private static final String BASE = "dev.kiebot.core.text.messages";

    private final ResourceBundle ru;
    private final ResourceBundle en;

    public Texts() {
        this.ru = ResourceBundle.getBundle(BASE, Locale.forLanguageTag("ru"), NoFallback.INSTANCE);
        this.en = ResourceBundle.getBundle(BASE, Locale.ENGLISH, NoFallback.INSTANCE);
    }

    public String get(String language, Msg msg, Object... args) {
        return get(language, msg.key(), args);
    }

    /** For keys that travel as data (provider error keys, input problem keys). */
    public String get(String language, String key, Object... args) {
        ResourceBundle b = "en".equals(language) ? en : ru;
        String text;
        try {
            text = b.getString(key);
        } catch (MissingResourceException e) {
            text = key;
        }
        for (int i = 0; i < args.length; i++) {
            text = text.replace("{" + i + "}", String.valueOf(args[i]));
        }
        return text;
    }

    public ResourceBundle bundle(String language) {
        return "en".equals(language) ? en : ru;
    }

    /** Bundles are per language with no fallback to the JVM's default locale. */
    private static final class NoFallback extends ResourceBundle.Control {
        static final NoFallback INSTANCE = new NoFallback();

        @Override
        public Locale getFallbackLocale(String baseName, Locale locale) {
            return null;
        }

        @Override
        public List<Locale> getCandidateLocales(String baseName, Locale locale) {
            return List.of(locale);
        }
    }
}
