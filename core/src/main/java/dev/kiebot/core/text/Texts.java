package dev.kiebot.core.text;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.Objects;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * User-facing texts from {@code dev/kiebot/core/text/messages_<lang>.properties} (UTF-8).
 * Placeholders are {@code {0}}, {@code {1}}, ... replaced literally (no MessageFormat quoting
 * rules, so apostrophes in texts are safe); a whole number given as one ({@code int}, {@code long}) is written as a
 * count is, grouped from five digits («20 000»), and an id the reader types back is given as text ({@link #id}). A counted placeholder {@code {1|form|form|form}} becomes the
 * number and its word in the language's plural form ({@link Plural}): Russian lists three forms, English two; a unit
 * that does not change lists one ({@code {0|⭐}}, {@code {3|%}}). Either way the number and its word are joined by a
 * no-break space: a number in a text is written with its unit through a counted placeholder, never with a plain space.
 */
public final class Texts {
    /** The languages the shop speaks, each with its bundle: Russian (also for an unknown language) and English. */
    public static final List<String> LANGUAGES = List.of("ru", "en");
    /** A number before which Russian writes «№»: a request's, a ticket's, a broadcast's. */
    private static final String RU_NUMBER_SIGN = "№\u00A0";
    private static final String BASE = "dev.kiebot.core.text.messages";
    /** {@code {0}}, or a counted {@code {0|form|form|form}}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d{1,2})(?:\\|([^{}]*))?}");
    /** What is left of a placeholder written wrong ({@code {100}}, {@code {1|a{b}}): shown as it is, braces and all. */
    @SuppressWarnings("UnrecognisedJavadocTag") // the doc quotes a wrong placeholder's unmatched brace on purpose
    private static final Pattern STRAY_PLACEHOLDER = Pattern.compile("\\{\\s*\\d");

    /** The AI service the texts name (the admins' texts: «кредиты Kie», «задача Kie»). */
    public static final String PROVIDER_DEFAULT = "Kie";
    private static final Pattern PROVIDER_WORD = Pattern.compile("\\b" + PROVIDER_DEFAULT + "\\b");
    private static final int PROVIDER_NAME_CHARS_MAX = 40;

    private final ResourceBundle ru;
    private final ResourceBundle en;
    private final String providerName;
    /** The shop's own texts, each checked against its bundle's ({@link #with}). */
    private final TextOverrides overrides;

    /** Loads both bundles once; share one instance (the shop does), it is immutable and safe across threads. */
    public Texts() {
        this(PROVIDER_DEFAULT);
    }

    /**
     * Texts that name {@code providerName} wherever they name the AI service ({@value #PROVIDER_DEFAULT} in the
     * bundles: the admins' alerts, {@code /find}, the dashboard), for a shop on another provider. The name is put into
     * the text, not into its values: a task id that reads "Kie" stays as it is. Russian does not decline a foreign
     * brand, so every sentence stays grammatical.
     *
     * @param providerName the AI service's brand name, as admins read it
     * @throws IllegalArgumentException when the name is blank, longer than 40 characters, or holds a line break or a
     *                                  brace (a placeholder's)
     */
    public Texts(String providerName) {
        Objects.requireNonNull(providerName, "providerName: e.g. \"Replicate\"");
        if (providerName.isBlank() || providerName.length() > PROVIDER_NAME_CHARS_MAX
                || providerName.chars().anyMatch(ch -> Character.isISOControl(ch) || ch == '{' || ch == '}')) {
            throw new IllegalArgumentException("the provider's name must be 1 to " + PROVIDER_NAME_CHARS_MAX
                    + " characters on one line, e.g. \"Replicate\"; was \"" + providerName + "\"");
        }
        this.ru = ResourceBundle.getBundle(BASE, Locale.forLanguageTag("ru"), NoFallback.INSTANCE);
        this.en = ResourceBundle.getBundle(BASE, Locale.ENGLISH, NoFallback.INSTANCE);
        this.providerName = providerName.strip();
        this.overrides = TextOverrides.none();
    }

    private Texts(Texts base, TextOverrides overrides) {
        this.ru = base.ru;
        this.en = base.en;
        this.providerName = base.providerName;
        this.overrides = overrides;
    }

    /**
     * These texts with the shop's own in place of the bundles' ({@code Shop.builder().texts}), the AI service's name
     * replaced in them as in the bundles. Each is checked against the bundle's text it replaces: the language is one
     * of {@link #LANGUAGES}; the key is one of its bundle's, each a text a user or an admin reads (every
     * {@link Msg}'s, the reasons a job failed for among them: {@code ErrorKind.messageKey()}); the text is not blank;
     * it has exactly the bundle's placeholder numbers (a text without the price or the balance would mislead a paying
     * user, and one with a number the shop never fills in shows its braces), a counted one counting as its number,
     * with one word or the language's forms (Russian three, English two). The export's column names
     * ({@code export.header}) are as many as the bundle's, separated by commas.
     *
     * @param overrides the shop's own texts; {@link TextOverrides#none()} for these texts as they are
     * @return a copy of these texts with the overrides (in place of any these texts had)
     * @throws IllegalArgumentException naming every wrong text ({@code ru.terms: …}) and what to change
     */
    public Texts with(TextOverrides overrides) {
        Objects.requireNonNull(overrides, "overrides: TextOverrides.none() for none");
        List<String> problems = new ArrayList<>();
        overrides.byLanguage().forEach((language, texts) -> texts.forEach((key, text) -> problem(language, key, text)
                .ifPresent(p -> problems.add(language + "." + key + ": " + p))));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the texts to replace are wrong: " + String.join("; ", problems));
        }
        return new Texts(this, overrides);
    }

    /** What is wrong with {@code text} in place of the bundle's {@code key} in {@code language}, if anything. */
    private Optional<String> problem(String language, String key, String text) {
        if (!LANGUAGES.contains(language)) {
            return Optional.of("no such language; the shop speaks " + String.join(", ", LANGUAGES)
                    + " (e.g. ru." + key + ")");
        }
        if (!bundle(language).containsKey(key)) {
            return Optional.of("no such text; a key is one of messages_" + language + ".properties, as it writes "
                    + "it (terms, privacy, welcome, help, welcome.no_free, error.provider_failed)");
        }
        if (text.isBlank()) {
            return Optional.of("the text is blank; give the shop's own text, or leave the key out for kiebot's");
        }
        String bundled = bundle(language).getString(key);
        // the one text the shop cuts at its commas (the export's column names): as many names, or they stand above
        // the wrong columns of every row
        if (key.equals(Msg.EXPORT_HEADER.key())) {
            int columns = bundled.split(",", -1).length;
            int named = text.split(",", -1).length;
            if (named != columns) {
                return Optional.of("names " + named + " column" + (named == 1 ? "" : "s") + "; the export's file has "
                        + columns + ", a name for each, separated by commas as kiebot's are: " + bundled);
            }
        }
        SortedSet<Integer> expected = placeholders(bundled);
        SortedSet<Integer> given = placeholders(text);
        List<String> wrong = new ArrayList<>();
        SortedSet<Integer> missing = new TreeSet<>(expected);
        missing.removeAll(given);
        if (!missing.isEmpty()) {
            wrong.add("leaves out " + braced(missing) + ", the value" + (missing.size() == 1 ? "" : "s")
                    + " the shop fills in there");
        }
        SortedSet<Integer> extra = new TreeSet<>(given);
        extra.removeAll(expected);
        if (!extra.isEmpty()) {
            wrong.add("has " + braced(extra) + ", which this text is never given (users would read the braces)");
        }
        int forms = "en".equals(language) ? 2 : 3;
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            int words = m.group(2) == null ? 1 : m.group(2).split("\\|", -1).length;
            if (words != 1 && words != forms) {
                wrong.add(m.group() + " lists " + words + " words; a counted "
                        + "placeholder lists one unit ({0|⭐}) or the language's " + forms + " forms ("
                        + ("en".equals(language) ? "{0|generation|generations}" : "{0|генерация|генерации|генераций}")
                        + ")");
            }
        }
        if (STRAY_PLACEHOLDER.matcher(PLACEHOLDER.matcher(text).replaceAll("")).find()) {
            wrong.add("has a brace and a number that is no placeholder the shop fills in ({0}, {1|форма|формы|форм})");
        }
        if (wrong.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.join(", ", wrong) + "; write the placeholders of kiebot's text: "
                + (expected.isEmpty() ? "none" : braced(expected)) + " (messages_" + language + ".properties)");
    }

    /** The placeholder numbers of {@code text}: {@code {1}} and {@code {1|форма|формы|форм}} are both 1. */
    private static SortedSet<Integer> placeholders(String text) {
        SortedSet<Integer> numbers = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            numbers.add(Integer.parseInt(m.group(1)));
        }
        return numbers;
    }

    private static String braced(Collection<Integer> numbers) {
        return numbers.stream().map(n -> "{" + n + "}").collect(Collectors.joining(", "));
    }

    /**
     * A request's, a ticket's or a broadcast's number as the language writes it: «№ 12» in Russian, "#12" in English
     * (the admins' commands take either).
     *
     * @param language the reader's language
     * @param number   the number
     * @return it with the language's number sign
     */
    public static String numbered(String language, long number) {
        return "ru".equals(language) ? RU_NUMBER_SIGN + number : "#" + number;
    }

    /** The zone whose clock every Russian reader knows: a Russian text names the new day's hour by it. */
    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

    /**
     * When a new day of the free allowance starts, as the end of a sentence: «в полночь по московскому времени», "at
     * midnight Moscow time". Russian says a shop in another zone by the hour its midnight (the next one after
     * {@code now}) strikes in Moscow («в 22:00 по московскому времени» for a shop at UTC+5, «в 21:30 …» at UTC+5:30):
     * every Russian reader knows Moscow's clock, where «по UTC+5» was a foreign word to turn into his own. English
     * says the shop's offset from UTC at {@code now} ("at midnight UTC+5"), which any reader turns into his own clock
     * where a zone's name would not.
     *
     * @param language the reader's language
     * @param zone     the shop's zone ({@code ShopSettings.zone()})
     * @param now      the shop's clock's instant
     * @return the end of a sentence naming the hour
     */
    public String newDay(String language, ZoneId zone, Instant now) {
        if (zone.normalized().getId().equals(MOSCOW.getId())) {
            return get(language, Msg.NEW_DAY_MOSCOW);
        }
        if (!"en".equals(language)) {
            LocalTime inMoscow = LocalDate.ofInstant(now, zone).plusDays(1).atStartOfDay(zone)
                    .withZoneSameInstant(MOSCOW).toLocalTime();
            if (inMoscow.equals(LocalTime.MIDNIGHT)) {
                // a zone of Moscow's clock (Minsk, Simferopol) says it as Moscow does: «в полночь», not «в 00:00»
                return get(language, Msg.NEW_DAY_MOSCOW);
            }
            return get(language, Msg.NEW_DAY_OFFSET, String.format("%02d:%02d", inMoscow.getHour(),
                    inMoscow.getMinute()));
        }
        ZoneOffset offset = zone.getRules().getOffset(now);
        int seconds = offset.getTotalSeconds();
        String hours = (seconds < 0 ? "\u2212" : "+") + Math.abs(seconds / 3600);
        int minutes = Math.abs(seconds / 60 % 60);
        String utc = seconds == 0 ? "UTC" : "UTC" + hours + (minutes == 0 ? "" : ":" + String.format("%02d", minutes));
        return get(language, Msg.NEW_DAY_OFFSET, utc);
    }

    /**
     * In which zone a list's times are written, for its title: «время московское», "Moscow time" for a shop in Moscow
     * (or on Moscow's clock at {@code now}). Russian names another zone as Russia names its own, by its hours from
     * Moscow («время МСК+2» for a shop at UTC+5); English by its offset from UTC ("UTC+5 time").
     *
     * @param language the reader's language
     * @param zone     the shop's zone ({@code ShopSettings.zone()}), the one {@link ShownTime#forUser} writes in
     * @param now      the shop's clock's instant
     * @return the zone's words
     */
    public String shownZone(String language, ZoneId zone, Instant now) {
        int seconds = zone.getRules().getOffset(now).getTotalSeconds();
        int fromMoscow = seconds - MOSCOW.getRules().getOffset(now).getTotalSeconds();
        if (fromMoscow == 0) {
            return get(language, Msg.STATEMENT_ZONE_MOSCOW);
        }
        return get(language, Msg.STATEMENT_ZONE_OFFSET, signedHours("en".equals(language) ? seconds : fromMoscow));
    }

    /** «+5», «−2», «+5:30», and nothing for none (UTC's own offset). */
    private static String signedHours(int seconds) {
        if (seconds == 0) {
            return "";
        }
        String hours = (seconds < 0 ? "\u2212" : "+") + Math.abs(seconds / 3600);
        int minutes = Math.abs(seconds / 60 % 60);
        return hours + (minutes == 0 ? "" : ":" + String.format("%02d", minutes));
    }

    /**
     * The text of {@code msg} in {@code language} ({@code "ru"} or {@code "en"}; any other reads as Russian) with its
     * placeholders replaced by {@code args}, in order.
     *
     * @param language the reader's language
     * @param msg      the text
     * @param args     the values of {@code {0}}, {@code {1}}, ..., each written as {@code String.valueOf} writes it,
     *                 but for a whole number, grouped as a count is (an id the reader types back: {@link #id}); a
     *                 counted placeholder takes a number
     * @return the text, filled in
     */
    public String get(String language, Msg msg, Object... args) {
        return get(language, msg.key(), args);
    }

    /**
     * For keys that travel as data (provider error keys, input problem keys).
     *
     * @param language the reader's language
     * @param key      a key of the bundles ({@code error.provider_failed})
     * @param args     the values of its placeholders
     * @return the text, filled in; the key itself when the bundles lack it
     */
    public String get(String language, String key, Object... args) {
        ResourceBundle b = "en".equals(language) ? en : ru;
        String text;
        try {
            text = overrides.text("en".equals(language) ? "en" : "ru", key).orElseGet(() -> b.getString(key));
        } catch (MissingResourceException e) {
            text = key;
        }
        if (!providerName.equals(PROVIDER_DEFAULT)) {
            text = PROVIDER_WORD.matcher(text).replaceAll(Matcher.quoteReplacement(providerName));
        }
        return fill(language, text, args);
    }

    /**
     * Every placeholder, plain or counted, replaced in one pass over the text: a value is never searched for
     * placeholders itself, so a name or a typed text that reads "{1}" is shown as it is.
     */
    private static String fill(String language, String text, Object[] args) {
        if (args.length == 0 || text.indexOf('{') < 0) {
            return text;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int i = Integer.parseInt(m.group(1));
            String replacement;
            if (i >= args.length) {
                replacement = m.group();
            } else if (m.group(2) == null) {
                replacement = whole(args[i]).map(n -> Plural.number(language, n)).orElseGet(() -> String.valueOf(args[i]));
            } else {
                List<String> forms = List.of(m.group(2).split("\\|", -1));
                replacement = count(args[i]).map(n -> Plural.of(language, n, forms))
                        .orElse(Plural.withUnit(String.valueOf(args[i]), forms.get(forms.size() - 1)));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * A whole number given as one ({@code int}, {@code long}): a plain placeholder writes it grouped as a count is
     * («20 000», beside «20 001 символ»). Text, a number already written or an id ({@link #id}), is put in as it is.
     */
    private static Optional<Long> whole(Object arg) {
        return arg instanceof Long || arg instanceof Integer || arg instanceof Short || arg instanceof Byte
                ? Optional.of(((Number) arg).longValue()) : Optional.empty();
    }

    /**
     * A number the reader types back as he reads it (a user's ID in {@code /unban 1234567}, a Telegram update's
     * number he searches the log for), for a placeholder: a number given as {@code long} is grouped there
     * («1 234 567»), which a command would not take.
     *
     * @param id the number
     * @return its digits, never grouped
     */
    public static String id(long id) {
        return Long.toString(id);
    }

    private static Optional<Long> count(Object arg) {
        if (arg instanceof Number n) {
            return Optional.of(n.longValue());
        }
        String s = String.valueOf(arg);
        return s.matches("-?\\d{1,18}") ? Optional.of(Long.parseLong(s)) : Optional.empty();
    }

    /**
     * The bundle behind {@link #get} for {@code language} (any other than {@code "en"} is Russian), to list its keys.
     *
     * @param language {@code ru} or {@code en}
     * @return the bundle, unfilled, with the default provider's name and without the shop's own texts
     */
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
