package dev.kiebot.runtime.config;

import java.math.BigDecimal;
import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads environment variables and collects every problem instead of stopping at the first, so
 * an operator fixes the configuration in one go. The only reader of the environment in the whole bot.
 *
 * <p>A problem is printed as the start's last log line (Render keeps it), so it never quotes the value of a variable
 * that holds or may hold a secret: the {@link #SECRET_VARIABLES} and every URL (whose path, query or user info can
 * carry a token or a password); it says what is wrong with the value's shape instead. The secret variables' values
 * (and the password in any URL's user info) are known from the moment the environment is handed over, whatever is
 * read or refused afterwards: they are kept for log masking and cut out of every problem, also of one that quotes a
 * harmless variable into which a secret was pasted.
 */
final class Env {
    /** Shorter values are not masked in logs: they would blank out ordinary words. */
    private static final int MASKED_LENGTH_MIN = 6;
    /**
     * The variables whose whole value is a secret. {@link #secret} reads only these, so a new secret variable is
     * listed here or read by no one.
     */
    static final Set<String> SECRET_VARIABLES = Set.of("TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET_TOKEN",
            "KIE_API_KEY", "KIE_WEBHOOK_HMAC_KEY", "KIE_CALLBACK_SECRET", "KIE_CALLBACK_SECRET_PREVIOUS", "METRICS_TOKEN",
            "DATABASE_URL", "DATABASE_PASSWORD");
    /** What a problem says of a secret pasted into another variable. */
    static final String CUT_SECRET = "<redacted>";

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();
    private final List<String> secrets = new ArrayList<>();
    private final Set<String> names = new TreeSet<>();
    private final List<String> notices = new ArrayList<>();
    /** Variables set but empty, read as unset (a set: several readers may ask for one variable). */
    private final Set<String> setButEmpty = new TreeSet<>();

    Env(Map<String, String> env) {
        this.env = Map.copyOf(env);
        // before any variable is read: a start that fails on the first one still knows (and masks) them all
        this.env.forEach((name, value) -> {
            if (SECRET_VARIABLES.contains(name)) {
                secretValue(value);
            }
            if (SECRET_VARIABLES.contains(name) || urlValued(name)) {
                passwordsIn(value).forEach(this::secretValue);
            }
        });
    }

    /** A URL variable's name ends in {@code _URL}: its value is never quoted in a problem. */
    static boolean urlValued(String name) {
        return name.endsWith("_URL");
    }

    /** Whether {@code name}'s value holds, or may hold, a secret: a secret variable or a URL. */
    static boolean secretBearing(String name) {
        return SECRET_VARIABLES.contains(name) || urlValued(name);
    }

    /**
     * The passwords in {@code url}'s user info ({@code scheme://user:password@host}) and in its {@code password}-like
     * parameters, as typed and percent-decoded, however malformed the rest of it: a URL the parser refuses is read
     * no further, but its password is masked all the same. Each {@code @} may end the user info (a raw {@code @} in
     * a password is common), so every candidate is taken: masking one too many costs nothing.
     */
    @SuppressWarnings("StringSplitter") // an empty parameter has no "=" and is skipped below
    static List<String> passwordsIn(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return List.of();
        }
        String rest = url.substring(scheme + 3);
        List<String> found = new ArrayList<>();
        for (int at = rest.indexOf('@'); at >= 0; at = rest.indexOf('@', at + 1)) {
            int colon = rest.indexOf(':');
            if (colon >= 0 && colon < at) {
                found.add(rest.substring(colon + 1, at));
            }
        }
        int query = rest.indexOf('?');
        if (query >= 0) {
            for (String param : rest.substring(query + 1).split("[&#]")) {
                int eq = param.indexOf('=');
                if (eq > 0 && param.substring(0, eq).toLowerCase(Locale.ROOT).contains("password")) {
                    found.add(param.substring(eq + 1));
                }
            }
        }
        List<String> withDecoded = new ArrayList<>(found);
        found.forEach(p -> withDecoded.add(percentDecoded(p)));
        return withDecoded;
    }

    /** {@code %40} → {@code @}; a {@code +} stays one; text with an invalid escape stays as typed. */
    private static String percentDecoded(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /**
     * The one place a variable's text is taken from the environment. A variable set to nothing (or to blanks) is
     * read as unset, and named in {@link #setButEmpty()}: a deployment form's empty field, or {@code FX_RATE=} left in
     * an env file, otherwise stood for "the default" or for a problem depending on the variable, and nobody could tell
     * from the log which of the two the bot chose.
     */
    private Optional<String> raw(String name) {
        names.add(name);
        String v = env.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (v.isBlank()) {
            setButEmpty.add(name);
            return Optional.empty();
        }
        return Optional.of(v);
    }

    /** The value, stripped; empty when unset or blank. */
    Optional<String> optional(String name) {
        return raw(name).map(String::strip);
    }

    /** The value exactly as given (a password may end in a space); empty when unset, empty or blank. */
    Optional<String> verbatim(String name) {
        return raw(name);
    }

    String string(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    /** A secret variable, stripped: never quoted in a problem, remembered for log masking. */
    Optional<String> secret(String name) {
        return secretVerbatim(name).map(String::strip).filter(s -> !s.isEmpty());
    }

    /** A secret variable exactly as given (a password). */
    Optional<String> secretVerbatim(String name) {
        if (!SECRET_VARIABLES.contains(name)) {
            throw new IllegalStateException(name + " is read as a secret but not listed in Env.SECRET_VARIABLES");
        }
        Optional<String> v = verbatim(name);
        v.ifPresent(this::secretValue);
        return v;
    }

    /** A secret that is not a variable (derived, or decoded from one): masked in logs as well. */
    void secretValue(String value) {
        String s = value.strip();
        if (s.length() >= MASKED_LENGTH_MIN && !secrets.contains(s)) {
            secrets.add(s);
        }
    }

    /**
     * A problem, without any known secret's value in it, in any letter case (a value may be quoted upper-cased);
     * the longest first: a URL before the password in it.
     */
    void problem(String problem) {
        String cut = problem;
        for (String secret : secrets.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            cut = Pattern.compile(Pattern.quote(secret), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE).matcher(cut)
                    .replaceAll(Matcher.quoteReplacement(CUT_SECRET));
        }
        problems.add(cut);
    }

    /**
     * How a problem shows the value it refused: quoted, since the operator then sees the typo, unless the variable
     * holds or may hold a secret ({@link #secretBearing}).
     */
    String got(String name, String value) {
        return secretBearing(name) ? " (its value is not shown: it may hold a secret)" : ", got '" + value + "'";
    }

    /**
     * Whether {@code name} is set, without reading it: for the earlier bots' variables, which have no effect here
     * and are therefore not part of the configuration (nor of README's configuration table).
     */
    boolean isSet(String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }

    /** The names set in the environment (blank or not), for {@code UnreadVariables}; never their values. */
    Set<String> setNames() {
        return env.keySet();
    }

    /** A line for the start-up log (an alias in use, a variable without effect); never a value. */
    void notice(String notice) {
        notices.add(notice);
    }

    /** A variable's value and the name it was read under. */
    record Named(String name, String value) {
    }

    /**
     * The first of {@code names} that is set (the current name first, then the earlier bots' aliases); a notice
     * says which alias is read, and that the others are ignored when several are set. Never a value.
     */
    Optional<Named> firstOf(String... names) {
        Optional<Named> found = Optional.empty();
        for (String name : names) {
            Optional<String> v = optional(name);
            if (v.isPresent() && found.isEmpty()) {
                found = Optional.of(new Named(name, v.get()));
            } else if (v.isPresent()) {
                notices.add(name + " is ignored: " + found.get().name() + " is set as well and wins");
            }
        }
        found.filter(f -> !f.name().equals(names[0]))
                .ifPresent(f -> notices.add(f.name() + " (an earlier bot's name) is read as " + names[0]));
        return found;
    }

    /**
     * An adapter's own validation: its {@link IllegalArgumentException} (which names the variable and
     * never a secret) joins the problems, and {@code fallback} stands in.
     */
    <T> T checked(Supplier<T> build, T fallback) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            problem(String.valueOf(e.getMessage()));
            return fallback;
        }
    }

    boolean flag(String name) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return false;
        }
        switch (v.get().toLowerCase(java.util.Locale.ROOT)) {
            case "1", "true", "yes", "on" -> {
                return true;
            }
            case "0", "false", "no", "off" -> {
                return false;
            }
            default -> {
                problem(name + " must be 1/0 or true/false" + got(name, v.get()));
                return false;
            }
        }
    }

    <T> T parsed(String name, T fallback, Function<String, T> parse, String expected) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return parse.apply(v.get());
        } catch (RuntimeException e) {
            problem(name + " must be " + expected + got(name, v.get()));
            return fallback;
        }
    }

    int integer(String name, int fallback, int min, int max) {
        int v = parsed(name, fallback, Integer::parseInt, "an integer");
        if (v < min || v > max) {
            problem(name + " must be between " + min + " and " + max + ", got " + v);
            return fallback;
        }
        return v;
    }

    BigDecimal positiveDecimal(String name, BigDecimal fallback) {
        BigDecimal v = parsed(name, fallback, BigDecimal::new, "a decimal number like " + fallback.toPlainString());
        if (v.signum() <= 0) {
            problem(name + " must be greater than 0, got " + v.toPlainString());
            return fallback;
        }
        return v;
    }

    /** {@link #positiveDecimal(String, BigDecimal)} and at most {@code max}, which the problem names. */
    BigDecimal positiveDecimal(String name, BigDecimal fallback, BigDecimal max) {
        BigDecimal v = positiveDecimal(name, fallback);
        if (v.compareTo(max) > 0) {
            problem(name + " must be at most " + max.toPlainString() + ", got " + v.toPlainString());
            return fallback;
        }
        return v;
    }

    /** A decimal of 0 or more. */
    BigDecimal nonNegativeDecimal(String name, BigDecimal fallback) {
        BigDecimal v = parsed(name, fallback, BigDecimal::new, "a number like " + fallback.toPlainString());
        if (v.signum() < 0) {
            problem(name + " must be 0 or more, got " + v.toPlainString());
            return fallback;
        }
        return v;
    }

    /**
     * An http(s) URL with a host. A refused one is never quoted (its path or query may carry a token, its user info a
     * password): the problem names what is wrong with its shape.
     */
    Optional<URI> url(String name) {
        if (!urlValued(name)) {
            throw new IllegalStateException(name + " is read as a URL but its name does not end in _URL");
        }
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        String like = ": write it like https://example.com";
        URI u;
        try {
            u = new URI(v.get());
        } catch (URISyntaxException e) {
            // the reason, without the text it quotes; its position is left out too, since for a wrong host it is
            // where the host starts, which misleads more than it helps
            problem(name + " is not a URL (" + e.getReason() + ")" + like);
            return Optional.empty();
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals(u.getScheme()) && !scheme.isEmpty()) {
            // a scheme's case means nothing (RFC 3986 3.1: HTTPS://… is https://…), but the bot, Telegram's
            // setWebhook and the HTTP clients compare it as written
            u = URI.create(scheme + v.get().substring(scheme.length()));
        }
        if (!(scheme.equals("http") || scheme.equals("https"))) {
            problem(name + " must start with https:// (or http://)" + like);
            return Optional.empty();
        }
        if (u.getHost() == null) {
            problem(name + noHost(u.getRawAuthority()) + like);
            return Optional.empty();
        }
        return Optional.of(u);
    }

    /**
     * Why a URL that parsed has no host, as {@link URI} reads it: a host of non-Latin letters (an IDN, {@code бот.рф})
     * is written in its punycode form, given here (a host name is no secret, unlike the URL's path or user info); a
     * «_» is in no host name. Both were «has no host», which the operator could not square with the host he wrote.
     */
    static String noHost(String authority) {
        String generic = " has no host (a host name is letters, digits, - and .)";
        if (authority == null) {
            return generic;
        }
        String host = authority.substring(authority.lastIndexOf('@') + 1).replaceFirst(":\\d*$", "");
        if (host.contains("_")) {
            return " has a «_» in its host, which no host name may have (Java reads no host there): use a name of "
                    + "letters, digits, - and .";
        }
        if (host.chars().anyMatch(c -> c > 0x7f)) {
            try {
                return " has a host of non-Latin letters: write it in its punycode form, " + IDN.toASCII(host)
                        + " (as a browser shows it)";
            } catch (IllegalArgumentException e) {
                return " has a host of non-Latin letters: write it in its punycode form (xn--…)";
            }
        }
        return generic;
    }

    List<String> csv(String name) {
        return optional(name).map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .toList()).orElse(List.of());
    }

    /** Throws {@link ConfigException} listing every problem, if there is any. */
    void requireNoProblems() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    List<String> secrets() {
        return List.copyOf(secrets);
    }

    List<String> notices() {
        return List.copyOf(notices);
    }

    /** The variables set but empty (or blank) that were asked for, read as unset; by name. */
    List<String> setButEmpty() {
        return List.copyOf(setButEmpty);
    }

    /** Every variable asked for so far (README's configuration table must document each). */
    Set<String> names() {
        return Set.copyOf(names);
    }
}
