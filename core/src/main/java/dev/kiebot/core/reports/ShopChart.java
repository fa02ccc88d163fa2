package dev.kiebot.core.reports;

import java.util.List;
import java.util.Objects;

/**
 * What the admins' chart shows: revenue and generations per day, every day of the range present (days without
 * sales are zero), with labels in the admin's language.
 *
 * @param title            the chart's title
 * @param revenueLabel     the revenue axis, e.g. "Revenue, ₽" (revenue is drawn in whole currency units)
 * @param generationsLabel the generations axis
 * @param days             every day of the range, oldest first
 */
public record ShopChart(String title, String revenueLabel, String generationsLabel, List<DayFigures> days) {
    /** The longest range a chart covers. */
    public static final int DAYS_MAX = 366;

    /**
     * Checks the values.
     *
     * @param title            never null
     * @param revenueLabel     never null
     * @param generationsLabel never null
     * @param days             1 to {@value #DAYS_MAX} days; copied
     * @throws IllegalArgumentException for no day or too many
     */
    public ShopChart {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(revenueLabel, "revenueLabel");
        Objects.requireNonNull(generationsLabel, "generationsLabel");
        days = List.copyOf(days);
        if (days.isEmpty() || days.size() > DAYS_MAX) {
            throw new IllegalArgumentException("a chart shows 1.." + DAYS_MAX + " days");
        }
    }
}
