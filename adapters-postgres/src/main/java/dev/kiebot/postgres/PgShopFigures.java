package dev.kiebot.postgres;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.reports.DashboardFigures;
import dev.kiebot.core.reports.DayFigures;
import dev.kiebot.core.reports.ShopFigures;
import dev.kiebot.core.reports.UserActivity;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * The dashboard's aggregates in SQL (definitions: {@link ShopFigures}). Every windowed query reads its window
 * through an index ({@code V9__shop_figures.sql}), so it touches the rows of the window and no others, except the
 * active users' count ({@link #USERS_ACTIVE}); {@code PgShopFiguresQueryPlanTest} checks the plans of exactly these
 * statements against a million jobs. The statements are package-visible for that test.
 */
public final class PgShopFigures implements ShopFigures {
    private static final String REVENUE = "'" + AccountId.REVENUE.value() + "'";
    /** Jobs that count as generations: not refused at start. */
    static final String COUNTED = "NOT (state = 'FAILED' AND coalesce(failure, '') IN ('insufficient.funds', "
            + "'free.limit_reached'))";
    /** Posted generation charges to revenue and admin refunds out of it. */
    static final String REVENUE_ROWS = "phase IN ('POSTED', 'POST_PENDING') AND kind IN ('GENERATION', 'REFUND') "
            + "AND (credit_account = " + REVENUE + " OR debit_account = " + REVENUE + ")";
    static final String REVENUE_AMOUNT = "CASE WHEN credit_account = " + REVENUE + " THEN amount ELSE -amount END";

    static final String USERS_TOTAL = "SELECT count(*) FROM users";
    static final String USERS_NEW = "SELECT count(*) FROM users WHERE created_at >= :today";
    /**
     * One pass over users (about 0.1 s at 200,000): {@code last_seen_at} has no index (V39), so that the write every
     * update makes to its user's row stays HOT; an admin's dashboard is read far less often than users write.
     */
    static final String USERS_ACTIVE = "SELECT count(*) FROM users WHERE last_seen_at >= :dayAgo";
    static final String GENERATIONS = "SELECT count(*) FILTER (WHERE state = 'DELIVERED') AS delivered, "
            + "count(*) FILTER (WHERE state = 'FAILED') AS refunded, "
            + "count(*) FILTER (WHERE state NOT IN ('DELIVERED', 'FAILED')) AS running "
            + "FROM jobs WHERE created_at >= :dayAgo AND " + COUNTED;
    static final String REVENUE_WINDOWS = "SELECT "
            + "coalesce(sum(" + REVENUE_AMOUNT + ") FILTER (WHERE created_at >= :today), 0) AS today, "
            + "coalesce(sum(" + REVENUE_AMOUNT + ") FILTER (WHERE created_at >= :weekAgo), 0) AS week, "
            + "coalesce(sum(" + REVENUE_AMOUNT + "), 0) AS month "
            + "FROM ledger_transfers WHERE " + REVENUE_ROWS + " AND created_at >= :monthAgo";
    static final String TOP_UPS = "SELECT count(*) FILTER (WHERE kind = 'TOP_UP_STARS') AS stars, "
            + "coalesce(sum(amount) FILTER (WHERE kind = 'TOP_UP_STARS'), 0) AS stars_amount, "
            + "count(*) FILTER (WHERE kind = 'TOP_UP_MANUAL') AS manual, "
            + "coalesce(sum(amount) FILTER (WHERE kind = 'TOP_UP_MANUAL'), 0) AS manual_amount, "
            + "count(*) FILTER (WHERE kind = 'TOP_UP_EXTERNAL') AS external, "
            + "coalesce(sum(amount) FILTER (WHERE kind = 'TOP_UP_EXTERNAL'), 0) AS external_amount "
            + "FROM ledger_transfers WHERE phase IN ('POSTED', 'POST_PENDING') "
            + "AND kind IN ('TOP_UP_STARS', 'TOP_UP_MANUAL', 'TOP_UP_EXTERNAL') AND created_at >= :weekAgo";
    static final String TOP_MODELS = "SELECT model_id, count(*) AS n FROM jobs WHERE created_at >= :weekAgo AND "
            + COUNTED + " GROUP BY model_id ORDER BY n DESC, model_id LIMIT " + DashboardFigures.TOP_MODELS;
    /** The reason seen most often, ties to the first in code-point order (as InMemoryShopFigures ranks them). */
    static final String FAILING_MODELS = "SELECT model_id, count(*) AS n, "
            + "mode() WITHIN GROUP (ORDER BY coalesce(failure, '') COLLATE \"C\") AS reason FROM jobs "
            + "WHERE created_at >= :dayAgo AND state = 'FAILED' AND " + COUNTED + " AND coalesce(failure, '') NOT IN ("
            + String.join(", ", ShopFigures.STOPPED.stream().sorted().map(k -> "'" + k + "'").toList()) + ") "
            + "GROUP BY model_id ORDER BY n DESC, model_id LIMIT " + DashboardFigures.FAILING_MODELS;
    static final String PENDING_MANUAL = "SELECT count(*) FROM manual_topups "
            + "WHERE state IN ('REQUESTED', 'CLAIMED_PAID')";
    static final String REVENUE_PER_DAY = "SELECT (created_at AT TIME ZONE :zone)::date AS day, "
            + "sum(" + REVENUE_AMOUNT + ") AS revenue FROM ledger_transfers WHERE " + REVENUE_ROWS
            + " AND created_at >= :from AND created_at < :to GROUP BY 1";
    static final String GENERATIONS_PER_DAY = "SELECT (created_at AT TIME ZONE :zone)::date AS day, count(*) AS n "
            + "FROM jobs WHERE created_at >= :from AND created_at < :to AND " + COUNTED + " GROUP BY 1";
    /**
     * His generations' posts less the refunds to his wallet, each read from its own covering partial index (V46) and
     * never the table: one pass over every transfer of his wallet, holds and top-ups too, took 0.3-0.6 s for
     * {@code /find} of a heavy user at a year's data (review RY).
     */
    static final String SPENT = "SELECT (SELECT coalesce(sum(amount), 0) FROM ledger_transfers WHERE debit_account = :w "
            + "AND kind = 'GENERATION' AND phase = 'POST_PENDING') - (SELECT coalesce(sum(amount), 0) "
            + "FROM ledger_transfers WHERE credit_account = :w AND kind = 'REFUND')";
    static final String LAST_SEEN = "SELECT last_seen_at FROM users WHERE id = :id";

    private final Jdbi jdbi;

    public PgShopFigures(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    private static long count(Handle h, String sql, Map<String, Instant> times) {
        var q = h.createQuery(sql);
        times.forEach((name, t) -> q.bind(name, Sql.ts(t)));
        return q.mapTo(Long.class).one();
    }

    @Override
    public DashboardFigures dashboard(Instant now, Instant todayStart) {
        // one snapshot for every figure; inside a caller's transaction (an admin's update being handled) its
        // isolation cannot change, and the figures are read in it as they are
        return jdbi.withHandle(h -> h.isInTransaction() ? figures(h, now, todayStart)
                : h.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, t -> figures(t, now, todayStart)));
    }

    private DashboardFigures figures(Handle h, Instant now, Instant todayStart) {
        Instant dayAgo = now.minus(Duration.ofHours(24));
        Instant weekAgo = now.minus(Duration.ofDays(7));
        Instant monthAgo = now.minus(Duration.ofDays(30));
        long total = count(h, USERS_TOTAL, Map.of());
        long newToday = count(h, USERS_NEW, Map.of("today", todayStart));
        long active = count(h, USERS_ACTIVE, Map.of("dayAgo", dayAgo));
        DashboardFigures.Outcomes outcomes = h.createQuery(GENERATIONS).bind("dayAgo", Sql.ts(dayAgo))
                .map((rs, ctx) -> new DashboardFigures.Outcomes(rs.getLong("delivered"), rs.getLong("refunded"),
                        rs.getLong("running"))).one();
        long[] revenue = h.createQuery(REVENUE_WINDOWS).bind("today", Sql.ts(todayStart))
                .bind("weekAgo", Sql.ts(weekAgo)).bind("monthAgo", Sql.ts(monthAgo))
                .map((rs, ctx) -> new long[]{rs.getLong("today"), rs.getLong("week"), rs.getLong("month")}).one();
        DashboardFigures.TopUpTotal[] topUps = h.createQuery(TOP_UPS).bind("weekAgo", Sql.ts(weekAgo))
                .map((rs, ctx) -> new DashboardFigures.TopUpTotal[]{
                    new DashboardFigures.TopUpTotal(rs.getLong("stars"), rs.getLong("stars_amount")),
                    new DashboardFigures.TopUpTotal(rs.getLong("manual"), rs.getLong("manual_amount")),
                    new DashboardFigures.TopUpTotal(rs.getLong("external"), rs.getLong("external_amount"))}).one();
        List<DashboardFigures.ModelCount> top = h.createQuery(TOP_MODELS).bind("weekAgo", Sql.ts(weekAgo))
                .map((rs, ctx) -> new DashboardFigures.ModelCount(rs.getString("model_id"), rs.getLong("n")))
                .list();
        long pending = count(h, PENDING_MANUAL, Map.of());
        List<DashboardFigures.ModelFailures> failing = h.createQuery(FAILING_MODELS).bind("dayAgo", Sql.ts(dayAgo))
                .map((rs, ctx) -> new DashboardFigures.ModelFailures(rs.getString("model_id"), rs.getLong("n"),
                        rs.getString("reason"))).list();
        return new DashboardFigures(total, newToday, active, outcomes, revenue[0], revenue[1], revenue[2],
                topUps[0], topUps[1], topUps[2], top, pending, failing);
    }

    @Override
    public List<DayFigures> days(LocalDate first, LocalDate last, ZoneId zone) {
        Instant from = first.atStartOfDay(zone).toInstant();
        Instant to = last.plusDays(1).atStartOfDay(zone).toInstant();
        Map<LocalDate, long[]> days = new TreeMap<>();
        jdbi.useHandle(h -> {
            h.createQuery(REVENUE_PER_DAY).bind("zone", postgresZone(zone)).bind("from", Sql.ts(from)).bind("to", Sql.ts(to))
                    .map((rs, ctx) -> Map.entry(rs.getObject("day", LocalDate.class), rs.getLong("revenue")))
                    .forEach(e -> days.computeIfAbsent(e.getKey(), d -> new long[2])[0] = e.getValue());
            h.createQuery(GENERATIONS_PER_DAY).bind("zone", postgresZone(zone)).bind("from", Sql.ts(from))
                    .bind("to", Sql.ts(to))
                    .map((rs, ctx) -> Map.entry(rs.getObject("day", LocalDate.class), rs.getLong("n")))
                    .forEach(e -> days.computeIfAbsent(e.getKey(), d -> new long[2])[1] = e.getValue());
        });
        List<DayFigures> out = new ArrayList<>();
        days.forEach((d, v) -> out.add(new DayFigures(d, v[0], v[1])));
        return out;
    }

    /**
     * {@code zone} as PostgreSQL reads it in {@code AT TIME ZONE}: a region's id as it is; a bare offset the POSIX way,
     * where a positive offset is west of Greenwich ({@code "-06:00"} was read as six hours east), so its sign is
     * turned and a name put before it ({@code "UTC+06:00"} for Java's {@code -06:00}).
     */
    static String postgresZone(ZoneId zone) {
        if (zone.normalized() instanceof java.time.ZoneOffset offset) {
            int west = -offset.getTotalSeconds();
            int abs = Math.abs(west);
            return String.format(java.util.Locale.ROOT, "UTC%s%02d:%02d:%02d", west < 0 ? "-" : "+", abs / 3600,
                    abs / 60 % 60, abs % 60);
        }
        return zone.getId();
    }

    @Override
    public UserActivity activity(long userId) {
        return jdbi.withHandle(h -> {
            long spent = h.createQuery(SPENT).bind("w", AccountId.wallet(userId).value()).mapTo(Long.class).one();
            Optional<Instant> seen = h.createQuery(LAST_SEEN).bind("id", userId)
                    .map((rs, ctx) -> Sql.optionalInstant(rs, "last_seen_at")).findOne().flatMap(o -> o);
            return new UserActivity(spent, seen);
        });
    }
}
