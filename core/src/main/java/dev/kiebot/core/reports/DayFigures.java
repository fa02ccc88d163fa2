package dev.kiebot.core.reports;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One day of the shop: net revenue (minor units) and generations started.
 *
 * @param day         the calendar day, in the zone asked for
 * @param revenue     net revenue, minor units
 * @param generations generations started
 */
public record DayFigures(LocalDate day, long revenue, long generations) {
    /**
     * Checks the day.
     *
     * @param day         never null
     * @param revenue     minor units
     * @param generations generations started
     */
    public DayFigures {
        Objects.requireNonNull(day, "day");
    }
}
