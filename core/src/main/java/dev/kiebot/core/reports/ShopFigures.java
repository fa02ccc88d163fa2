package dev.kiebot.core.reports;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/**
 * The shop's numbers for admins (port): aggregates over users, jobs, the ledger and manual requests. A store
 * answers from indexes over time windows, so the cost follows the window, not the shop's age (the PostgreSQL
 * adapter's query plans are tested with a million jobs).
 *
 * <p>Definitions every implementation keeps: a generation is a job whose payment was secured (jobs refused at
 * start for want of money or of free uses are not counted, see {@link #REFUSED_AT_START}); revenue is what
 * generations posted to {@code revenue:generation} minus admin refunds out of it; a day is a calendar day in
 * the zone given.
 */
public interface ShopFigures {
    /** Failure keys of jobs that never started: no money or free use was taken. */
    Set<String> REFUSED_AT_START = Set.of("insufficient.funds", "free.limit_reached");
    /** Failure keys of jobs a person stopped (the user, an admin): no failure of the model's, for {@code failing24h}. */
    Set<String> STOPPED = Set.of("job.cancelled", "error.stopped_by_support");

    /**
     * The dashboard's figures.
     *
     * @param now        the shop's clock's instant: the 24-hour and 7- and 30-day windows end at it
     * @param todayStart the start of today in the shop's zone
     * @return the figures
     */
    DashboardFigures dashboard(Instant now, Instant todayStart);

    /**
     * Revenue and generations per day from {@code first} to {@code last}; days without either may be left out.
     *
     * @param first the first day, included
     * @param last  the last day, included
     * @param zone  the zone the days are in
     * @return the days, oldest first
     */
    List<DayFigures> days(LocalDate first, LocalDate last, ZoneId zone);

    /**
     * What a user spent and when they were last seen.
     *
     * @param userId the user
     * @return what he spent, in minor units, and his last update
     */
    UserActivity activity(long userId);
}
