package dev.kiebot.core.text;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * An instant as the shop's screens write it, in the shop's zone: «21.11.26 13:00», as a Russian reads a date. Users'
 * statements and admins' screens share it, so an admin who reads a user's statement beside {@code /find} sees one
 * date as the user does («2026-11-21 13:00» was a machine's date on a Russian screen). Where a machine reads a date
 * (the CSV export's cells, the month an admin types back in {@code /export 2026-11}) it keeps the machine's format.
 */
public final class ShownTime {
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("dd.MM.yy HH:mm");
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("dd.MM.yy HH:mm:ss");

    private ShownTime() {
    }

    /**
     * To the minute: «21.11.26 13:00».
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
