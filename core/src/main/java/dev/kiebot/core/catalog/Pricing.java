package dev.kiebot.core.catalog;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the provider's USD price ({@code Sku.kieUsd}: Kie's, or your AI service's) into the user's price in minor units (kopecks):
 * {@code ceil_minor(kieUsd × fxRate × markup)}. Money is computed in {@link BigDecimal} and
 * charged as {@code long}; rounding is always up, so a price is never below {@code kieUsd × fxRate × markup}. A
 * markup below 1 sells below cost ({@link #sellsBelowCost()}): allowed (a promotion may mean it), and said as a warning
 * by {@code Shop.Builder.build()} and kiebot's runner at its start, as the uncapped gifts are.
 *
 * @param fxRate   display-currency units per USD (kiebot's runner: FX_RATE, default 78.0)
 * @param markup   multiplier over Kie's price (kiebot's runner: PRICING_MARKUP, default 2.0)
 * @param currency ISO 4217 code of the display currency, in capitals, of one with two minor digits (RUB, USD, EUR:
 *                 not JPY or KWD; kiebot's runner: CURRENCY, default RUB)
 */
public record Pricing(BigDecimal fxRate, BigDecimal markup, String currency) {
    /** The shop's currency has two minor digits (RUB, USD, EUR); the ledger stores minor units. */
    public static final int MINOR_DIGITS = 2;

    /** Joins an amount's digit groups (in Russian) and the amount to its sign, so a line never breaks inside. */
    private static final char NO_BREAK_SPACE = '\u00A0';

    /** The minus sign (U+2212) a negative amount starts with, as a statement's debits do; not a hyphen. */
    private static final char MINUS = '\u2212';

    /**
     * An amount as people type it: whole units of up to twelve digits, written at once ({@code 1234}) or in groups of
     * three parted by a space, a no-break space (as {@link #format} writes them) or a narrow no-break space
     * ({@code 1 234}); then a comma or a point and one or two minor digits.
     */
    private static final Pattern TYPED = Pattern.compile(
            "(\\d{1,12}|\\d{1,3}(?:[ \\u00A0\\u202F]\\d{3}){1,3})(?:[.,](\\d{1,2}))?");

    /** An amount followed by a word or a sign naming its currency ({@link #parseInCurrency}). */
    private static final Pattern CURRENCY_NAMED = Pattern.compile("(.*?\\d)\\s*(\\p{Sc}|\\p{L}{1,7}\\.?)");

    /** How Russians write «rubles» after an amount: р, р., руб, руб., рубль, рубля, рублей. */
    private static final Pattern RUBLE_WORDS = Pattern.compile("р\\.?|руб\\.?|рубл(ь|я|ей)");

    /**
     * kiebot's runner's pricing: 78 rubles per US dollar, twice the provider's price, in ₽. Not a default of
     * {@code Shop.builder()}: a shop in another currency passes its own {@code new Pricing(fxRate, markup, currency)}.
     *
     * @return 78.0 RUB per USD, markup 2.0
     */
    public static Pricing defaults() {
        return new Pricing(new BigDecimal("78.0"), new BigDecimal("2.0"), "RUB");
    }

    /**
     * Checks the values.
     *
     * @param fxRate   more than 0
     * @param markup   more than 0
     * @param currency three capital letters, of a currency counted in hundredths
     * @throws NullPointerException     for a null part, naming it
     * @throws IllegalArgumentException for a value out of range, naming it
     */
    public Pricing {
        Objects.requireNonNull(fxRate, "Pricing: fxRate, your currency's units per US dollar (BigDecimal.ONE for USD)");
        Objects.requireNonNull(markup, "Pricing: markup, your multiplier over the provider's price (e.g. 2)");
        Objects.requireNonNull(currency, "Pricing: currency, the ISO code prices are shown in (e.g. \"USD\")");
        if (fxRate.signum() <= 0) {
            throw new IllegalArgumentException("Pricing: fxRate (kiebot's runner: FX_RATE) must be > 0, your "
                    + "currency's units per US dollar (1 for USD), got " + fxRate.toPlainString());
        }
        if (markup.signum() <= 0) {
            throw new IllegalArgumentException("Pricing: markup (kiebot's runner: PRICING_MARKUP) must be > 0, your "
                    + "multiplier over the provider's price (2 doubles it), got " + markup.toPlainString());
        }
        if (!currency.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("Pricing: currency must be an ISO 4217 code in capitals (\"RUB\", "
                    + "\"USD\"), got \"" + currency + "\"");
        }
        if (!countsInHundredths(currency)) {
            throw new IllegalArgumentException("Pricing: " + currency + " has " + minorDigits(currency)
                    + " minor digits; the shop counts money in hundredths (RUB, USD, EUR...), so its amounts would be "
                    + "wrong by a factor of ten or more");
        }
    }

    /**
     * Whether every paid generation is sold under the provider's price: a markup below 1. Allowed, as a promotion may
     * mean it, but a typo (0.2 for 20 %) would lose money on every sale unnoticed; {@code Shop.Builder.build()} warns.
     *
     * @return true when {@link #markup()} is below 1
     */
    public boolean sellsBelowCost() {
        return markup.compareTo(BigDecimal.ONE) < 0;
    }

    /**
     * Whether money of {@code code} counts in hundredths, as the shop keeps it (a code the JDK does not know: yes).
     *
     * @param code an ISO 4217 code
     * @return false for JPY, KWD and the like
     */
    public static boolean countsInHundredths(String code) {
        return minorDigits(code) == MINOR_DIGITS;
    }

    /** A known ISO currency's minor digits; {@link #MINOR_DIGITS} for a code the JDK does not know. */
    private static int minorDigits(String code) {
        try {
            int digits = java.util.Currency.getInstance(code).getDefaultFractionDigits();
            return digits < 0 ? MINOR_DIGITS : digits; // -1: a pseudo-currency (gold, say), taken as it comes
        } catch (IllegalArgumentException e) {
            return MINOR_DIGITS;
        }
    }

    /**
     * Minor units of this currency in US dollars at {@link #fxRate()}, to a hundredth of a cent: what a Star credits,
     * say, set beside what it earns ({@code Shop.STAR_CREDIT_MAX_USD}, {@code Shop.STAR_CREDIT_MIN_USD}).
     *
     * @param minor an amount in this currency's minor units
     * @return the amount in US dollars, rounded half up to 4 places
     */
    public BigDecimal inUsd(long minor) {
        return BigDecimal.valueOf(minor, MINOR_DIGITS).divide(fxRate, 4, RoundingMode.HALF_UP);
    }

    /**
     * The user's price in minor units, rounded up to the next minor unit.
     *
     * @param kieUsd the provider's price in US dollars
     * @return {@code ceil_minor(kieUsd × fxRate × markup)}
     */
    public long userPrice(BigDecimal kieUsd) {
        BigDecimal major = kieUsd.multiply(fxRate).multiply(markup);
        return major.setScale(MINOR_DIGITS, RoundingMode.CEILING).unscaledValue().longValueExact();
    }

    /**
     * The user's price of one SKU in minor units: {@link #userPrice(BigDecimal)} of its provider price.
     *
     * @param sku the priced variant
     * @return minor units
     */
    public long userPrice(Sku sku) {
        return userPrice(sku.kieUsd());
    }

    /**
     * Converts whole display-currency units (e.g. WELCOME_BALANCE_RUB) to minor units.
     *
     * @param major an amount in whole units, fractions allowed
     * @return minor units, rounded up
     */
    public static long minor(BigDecimal major) {
        return major.setScale(MINOR_DIGITS, RoundingMode.CEILING).unscaledValue().longValueExact();
    }

    /**
     * The one parser of a typed amount, in whole display-currency units, to minor units: {@code 500}, {@code 750,50},
     * {@code 1234.5}, {@code 1 234,50} (its spaces plain or no-break, so an amount copied from the bot's own text reads).
     * Anything else is no amount, never a guess: a sign, letters, a third minor digit (which would be rounded), digits
     * grouped otherwise than by three ({@code 10 50} may be 1050 or 10.50). Whether it is positive and within a limit is
     * the caller's to say.
     *
     * @param typed what the user or admin typed
     * @return minor units; empty for anything that is not such an amount
     */
    public static OptionalLong parse(String typed) {
        Matcher m = TYPED.matcher(typed.strip());
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        String whole = m.group(1).replaceAll("\\D", "");
        String fraction = m.group(2) == null ? "" : m.group(2);
        return OptionalLong.of(minor(new BigDecimal(fraction.isEmpty() ? whole : whole + "." + fraction)));
    }

    /**
     * An amount a user typed for this shop's currency: as {@link #parse}, and it may name the currency after it, as
     * people write a sum to pay ({@code 500 ₽}, {@code 500р}, {@code 500 руб.}, {@code 500 рублей}, {@code 500 RUB}
     * for rubles; the sign or the code for any currency): «500 ₽» was refused as no number. Another currency's sign is
     * still no amount (a ruble shop never reads «500 $» as 500 rubles).
     *
     * @param typed what the user typed
     * @return minor units; empty for anything that is not such an amount
     */
    public OptionalLong parseInCurrency(String typed) {
        Matcher named = CURRENCY_NAMED.matcher(typed.strip());
        if (named.matches()) {
            String unit = named.group(2).toLowerCase(java.util.Locale.ROOT);
            boolean ours = unit.equals(symbolOf(currency)) || unit.equalsIgnoreCase(currency)
                    || ("RUB".equals(currency) && RUBLE_WORDS.matcher(unit).matches());
            return ours ? parse(named.group(1)) : OptionalLong.empty();
        }
        return parse(typed);
    }

    /**
     * The one money formatter: {@code ru} writes {@code 1 234,50 ₽}, {@code en} {@code 1,234.50 ₽} (any other
     * language is written as Russian, like the texts). A whole amount has no fraction ({@code 150 ₽}, not
     * {@code 150,00 ₽}), as Russian shops write prices and balances; kopecks are shown whenever there are any.
     * Its spaces are no-break spaces (U+00A0), as in grouped counts: Telegram would otherwise break a line between
     * the digits or leave «₽» alone at a line's start.
     * A negative amount starts with the minus sign «−», as a statement's debits do. Minor units are shown exactly,
     * never through a double. In English a dollar or a euro comes first, as English writes them ({@code $1,234.50},
     * {@code −$5}; a shop in USD wrote «0 $»); Russian writes every sign after the number ({@code 0 $}), and the ruble
     * comes after it in English too.
     *
     * @param minor    the amount in minor units, possibly negative
     * @param language the reader's language
     * @return the amount with the currency's sign
     */
    public String format(long minor, String language) {
        return formatIn(minor, currency, language);
    }

    /**
     * An amount of any currency in its own minor units, written as {@link #format} writes the shop's: a payment
     * reported in another currency than the shop's, so that the admins read what the buyer paid ({@code €5.40},
     * {@code 1 500 JPY}: yen count in units, dinars in thousandths).
     *
     * <p>Partner API, for your own messages about such a payment: {@code ExternalTopUps} refuses a payment in another
     * currency than the shop's, and you convert it and report it again; a message of yours that names what the buyer
     * paid (to him beside the credit, to your admins, through {@code shop.outbox().send}) writes it with this, as the
     * shop's own alerts of such payments do, and the shop's amounts with {@link #format}. Static, as no shop's
     * settings go into it: only the code's minor digits, the language and the sign.
     *
     * @param minor    the amount in {@code code}'s minor units, possibly negative
     * @param code     an ISO 4217 code in capitals (one the JDK does not know counts in hundredths)
     * @param language the reader's language
     * @return the amount with the currency's sign, or its code
     */
    public static String formatIn(long minor, String code, String language) {
        String symbol = symbolOf(code);
        return written(minor, minorDigits(code), symbol, language, false,
                "en".equals(language) && SIGN_FIRST_IN_ENGLISH.contains(symbol));
    }

    /**
     * An amount as the audit trail records it: English, always with its fraction ({@code 1,499.00 ₽}). Audit notes
     * are read back by their digits ({@code AuditNote}), where a whole {@code 500 ₽} would read as 5.00.
     *
     * @param minor the amount in minor units
     * @return the amount with its fraction and the currency's sign
     */
    public String inRecords(long minor) {
        return written(minor, MINOR_DIGITS, symbolOf(currency), "en", true, false);
    }

    /** The currency signs English writes before the number. */
    private static final Set<String> SIGN_FIRST_IN_ENGLISH = Set.of("$", "€");

    private static String written(long minor, int minorDigits, String symbol, String language, boolean alwaysFraction,
                                  boolean symbolFirst) {
        boolean english = "en".equals(language);
        String digits = BigDecimal.valueOf(minor, minorDigits).abs().toPlainString();
        int point = digits.indexOf('.') < 0 ? digits.length() : digits.indexOf('.');
        StringBuilder whole = new StringBuilder(digits.substring(0, point));
        for (int i = whole.length() - 3; i > 0; i -= 3) {
            whole.insert(i, english ? ',' : NO_BREAK_SPACE);
        }
        String sign = minor < 0 ? String.valueOf(MINUS) : "";
        String fraction = point < digits.length() ? digits.substring(point + 1) : "";
        boolean noKopecks = !alwaysFraction && fraction.chars().allMatch(c -> c == '0');
        String cents = noKopecks ? "" : (english ? "." : ",") + fraction;
        return symbolFirst ? sign + symbol + whole + cents : sign + whole + cents + NO_BREAK_SPACE + symbol;
    }

    private static String symbolOf(String code) {
        return switch (code) {
            case "RUB" -> "₽";
            case "USD" -> "$";
            case "EUR" -> "€";
            default -> code;
        };
    }
}
