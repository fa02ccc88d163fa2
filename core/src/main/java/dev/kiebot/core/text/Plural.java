package dev.kiebot.core.text;

import java.math.BigDecimal;
import java.util.List;

/**
 * Counted words as each language says them. Russian has three forms — one ({@code 1, 21, 101}), few
 * ({@code 2-4, 22-24}) and many ({@code 0, 5-20, 11-14, 25}) — English two: one and other. A text asks for
 * one with {@code {0|пользователю|пользователям|пользователям}} (see {@link Texts}); a unit that does not change
 * ({@code ⭐}, {@code %}) is one form, {@code {0|⭐}}. The number and its word are joined by a no-break space, as an
 * amount and its «₽» are, so a line never breaks between them.
 * <p>A counted word groups its number from five digits («5000 генераций», «20 000 генераций»), as Russian typography
 * writes counts of things; a one-form unit is a quantity written as an amount is, grouped from four («1 000 ⭐», like
 * «1 500 ₽» beside it).
 */
public final class Plural {
    private Plural() {
    }

    /**
     * Which of a language's forms {@code n} takes: an index into the forms the text lists.
     *
     * @param language {@code ru} (also for any other than {@code en}) or {@code en}
     * @param n        the count
     * @return 0 (one), 1 (few, Russian) or 2 (many, Russian); English 0 or 1
     */
    public static int form(String language, long n) {
        long abs = Math.abs(n);
        if ("en".equals(language)) {
            return abs == 1 ? 0 : 1;
        }
        long mod10 = abs % 10;
        long mod100 = abs % 100;
        if (mod10 == 1 && mod100 != 11) {
            return 0;
        }
        if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) {
            return 1;
        }
        return 2;
    }

    /** A count from here on has its digits grouped: "20 000 символов", "20,000 characters" (but "5000"). */
    static final long GROUPED_FROM = 10_000;

    /** An amount from here on has its digits grouped, as {@code Pricing.format} writes money: «1 000 ⭐», «1 500 ₽». */
    static final long AMOUNT_GROUPED_FROM = 1_000;

    /** Between a number and its word or unit: Telegram never breaks a line there («50 ⭐», «5 дней»). */
    public static final char NO_BREAK_SPACE = '\u00A0';

    /**
     * {@code n} and its word: {@code of("ru", 5, List.of("генерация", "генерации", "генераций"))} → "5 генераций",
     * the space a no-break space; one form is a unit that does not change, and its number is grouped as an amount's:
     * {@code of("ru", 1000, List.of("⭐"))} → "1 000 ⭐".
     *
     * @param language the reader's language
     * @param n        the count
     * @param forms    the word's forms, as the language lists them; one for a unit; none for the number alone
     * @return the number and its word
     */
    public static String of(String language, long n, List<String> forms) {
        if (forms.isEmpty()) {
            return number(language, n);
        }
        if (forms.size() == 1) {
            return withUnit(amount(language, n), forms.get(0));
        }
        int i = Math.min(form(language, n), forms.size() - 1);
        return withUnit(number(language, n), forms.get(i));
    }

    /**
     * {@code value} with {@code digits} decimals, as the language writes them: "33,3" in Russian, "33.3" in English.
     *
     * @param language the reader's language
     * @param value    the number
     * @param digits   decimals shown
     * @return the number, rounded half up
     */
    public static String decimal(String language, double value, int digits) {
        String n = String.format(java.util.Locale.ROOT, "%." + digits + "f", value);
        return "en".equals(language) ? n : n.replace('.', ',');
    }

    /**
     * A plain decimal ({@code 0.5}, {@code -1.25}: a catalog's or the user's value, kept so) as the language writes it
     * on screen: "0,5" in Russian, unchanged in English. Only for showing; the value itself keeps its point.
     *
     * @param language the reader's language
     * @param plain    the decimal with a point
     * @return it as the language writes it
     */
    public static String decimal(String language, String plain) {
        return "en".equals(language) ? plain : plain.replace('.', ',');
    }

    /**
     * A number already written ("33,3") and its unit, joined so that they stay on one line: "33,3 %".
     *
     * @param number the number, written
     * @param unit   its unit
     * @return the two, joined by a no-break space
     */
    public static String withUnit(String number, String unit) {
        return number + NO_BREAK_SPACE + unit;
    }

    /**
     * {@code n} as the language writes a count: from five digits on Russian groups thousands with a no-break space
     * (so "20 000" never breaks across lines), English with a comma. For a count shown without its word (the admins'
     * figures: «Пользователи: 12 345»).
     *
     * @param language the reader's language
     * @param n        the count
     * @return the number, grouped from five digits
     */
    public static String number(String language, long n) {
        return grouped(language, n, GROUPED_FROM);
    }

    /**
     * {@code n} as the language writes an amount: grouped from four digits on («1 234», "1,234"), as money is.
     */
    static String amount(String language, long n) {
        return grouped(language, n, AMOUNT_GROUPED_FROM);
    }

    /**
     * A decimal amount ({@code 1234.5}: the provider's credits) as the language writes it: the whole part grouped from
     * four digits as money is, the fraction as given («1 234,5», "1,234.5").
     *
     * @param language the reader's language
     * @param value    the amount
     * @return the amount as written
     */
    public static String amount(String language, BigDecimal value) {
        String plain = value.abs().toPlainString();
        int point = plain.indexOf('.');
        String whole = point < 0 ? plain : plain.substring(0, point);
        String fraction = point < 0 ? "" : decimal(language, plain.substring(point));
        // a whole part of four digits or more is at least AMOUNT_GROUPED_FROM
        return (value.signum() < 0 ? "-" : "") + (whole.length() > 3 ? groups(language, whole) : whole) + fraction;
    }

    private static String grouped(String language, long n, long from) {
        if (Math.abs(n) < from) {
            return Long.toString(n);
        }
        return (n < 0 ? "-" : "") + groups(language, Long.toString(Math.abs(n)));
    }

    /** {@code digits} in groups of three from the right, parted as the language parts them. */
    private static String groups(String language, String digits) {
        char separator = "en".equals(language) ? ',' : NO_BREAK_SPACE;
        // one pass: an insert per group moved the rest each time, minutes on a figure of a million digits
        int n = digits.length();
        StringBuilder grouped = new StringBuilder(n + n / 3);
        int head = n % 3 == 0 ? 3 : n % 3;
        grouped.append(digits, 0, head);
        for (int i = head; i < n; i += 3) {
            grouped.append(separator).append(digits, i, i + 3);
        }
        return grouped.toString();
    }
}
