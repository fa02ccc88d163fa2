package dev.kiebot.core.text;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * An instant as the shop's screens write it, in the shop's zone. A user reads a date as a Russian product writes it,
 * the month in words and the year only when it is not this one: «21 нояб., 13:00», «21 нояб. 2025, 13:00» ("21 Nov,
 * 13:00"); «21.11.26 13:00» read as a form's. The admins' screens keep that compact form, in one column on every line
 * and to the second where the log is read beside them, with the year always there: an admin reads long lists of them
 * and goes back years («2026-11-21 13:00» was a machine's date on a Russian screen). Where a machine reads a date
 * (the CSV export's cells, the month an admin types back in {@code /export 2026-11}) it keeps the machine's format.
 */
public final class ShownTime {
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("dd.MM.yy HH:mm");
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("dd.MM.yy HH:mm:ss");

    /**
     * The months as a date in Russian names them, in the genitive («21 мая», not «21 май») and cut as Russian
     * dictionaries cut them; written out here, not taken from the JDK's locale data, which gives «ноя» or «нояб.»
     * depending on the locale provider a JVM runs with.
     */
    private static final String[] MONTHS_RU = {"янв.", "февр.", "мар.", "апр.", "мая", "июн.", "июл.", "авг.",
        "сент.", "окт.", "нояб.", "дек."};
    private static final String[] MONTHS_EN = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm");

    private ShownTime() {
    }

    /**
     * As a user reads it, to the minute: «21 нояб., 13:00» in the year of {@code now}, «21 нояб. 2025, 13:00» in
     * another; "21 Nov, 13:00", "21 Nov 2025, 13:00". The day, month and year are joined by no-break spaces, so a
     * line that wraps never parts them.
     *
     * @param lang the reader's language ({@code "en"}; any other reads as Russian)
     * @param at   the instant
     * @param zone the shop's zone
     * @param now  the shop's clock's instant: whose year goes without saying
     * @return the date and time there
     */
    public static String forUser(String lang, Instant at, ZoneId zone, Instant now) {
        ZonedDateTime local = at.atZone(zone);
        String month = ("en".equals(lang) ? MONTHS_EN : MONTHS_RU)[local.getMonthValue() - 1];
        String year = local.getYear() == now.atZone(zone).getYear() ? "" : "\u00a0" + local.getYear();
        return local.getDayOfMonth() + "\u00a0" + month + year + ", " + HOUR.format(local);
    }

    /**
     * To the minute, as admins read it: «21.11.26 13:00».
     *
     * @param at   the instant
     * @param zone the shop's zone
     * @return the date and time there
     */
    public static String minute(Instant at, ZoneId zone) {
        return MINUTE.format(at.atZone(zone));
    }

    /**
     * To the second, where an admin tells apart the events of one minute and finds them in the log (a job's ledger
     * lines and history in {@code /find}): «21.11.26 13:00:05».
     *
     * @param at   the instant
     * @param zone the shop's zone
     * @return the date and time there
     */
    public static String second(Instant at, ZoneId zone) {
        return SECOND.format(at.atZone(zone));
    }
}
