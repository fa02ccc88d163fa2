package dev.kiebot.core.reports;

import java.time.LocalDate;
import java.util.Objects;

/** One day of the shop: net revenue (minor units) and generations started. */
public record DayFigures(LocalDate day, long revenue, long generations) {
    public DayFigures {
        Objects.requireNonNull(day, "day");
    }
}
