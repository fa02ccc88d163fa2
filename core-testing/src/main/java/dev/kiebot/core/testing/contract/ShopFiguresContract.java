package dev.kiebot.core.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobDraft;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.Jobs;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.ManualTopUpDraft;
import dev.kiebot.core.payments.ManualTopUpState;
import dev.kiebot.core.payments.ManualTopUps;
import dev.kiebot.core.reports.DashboardFigures;
import dev.kiebot.core.reports.DayFigures;
import dev.kiebot.core.reports.ShopFigures;
import dev.kiebot.core.reports.UserActivity;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.users.Users;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's figures against a shop with known contents: every figure is checked against the data this
 * test created, including the edges of its time window. Extend it and return fresh, empty stores that share one
 * backing store (the figures must see what the other ports wrote).
 */
@SuppressWarnings("ReturnValueIgnored") // orElseThrow() here asserts that the store found it: the contract fails when not
public abstract class ShopFiguresContract {
    /** The shop's zone: "today" and the days of the figures are Moscow's. */
    protected static final ZoneId ZONE = ZoneId.of("Europe/Moscow");
    /** Now, when the figures are read: 13:00 in Moscow. The data is written over the 41 days before. */
    protected static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    /** Midnight in Moscow: the start of T0's day. */
    protected static final Instant TODAY = Instant.parse("2026-11-20T21:00:00Z");
    private static final AccountId W1 = AccountId.wallet(1);
    private static final AccountId W2 = AccountId.wallet(2);

    /** For your test class that extends it. */
    protected ShopFiguresContract() {
    }

    /**
     * The stores the figures are counted over, all over one database: {@code figures} must see what the others
     * wrote.
     *
     * @param users   where the test's users are seen
     * @param jobs    where its jobs are made and moved to their ends
     * @param ledger  where its top-ups, charges and refunds go, reading time from {@link #create}'s clock
     * @param manual  where its card / SBP top-up requests are made and decided
     * @param figures the figures under test, counted over the four above
     */
    public record World(Users users, Jobs jobs, Ledger ledger, ManualTopUps manual, ShopFigures figures) {
    }

    /**
     * Fresh, empty stores over one database, called before each test.
     *
     * @param clock the ledger's clock (each transfer's time): the test sets it to the moment of each top-up or charge
     *              it writes, from 41 days before {@link #T0} on, then leaves it at {@code T0}
     * @return the stores, empty
     */
    protected abstract World create(MutableClock clock);

    private MutableClock clock;
    private World w;

    @BeforeEach
    void shopWithKnownContents() {
        clock = new MutableClock(T0.minus(Duration.ofDays(41)));
        w = create(clock);
        users();
        money();
        jobs();
        manualRequests();
        clock.set(T0);
    }

    private static Instant ago(Duration d) {
        return T0.minus(d);
    }

    private void seen(long id, Instant at) {
        w.users().seen(id, "User" + id, Optional.empty(), Optional.empty(), at);
    }

    /** Total 4; new today: user 2; active in 24 h: users 1, 2 and 4 (4 joined a minute before midnight). */
    private void users() {
        seen(1, ago(Duration.ofDays(40)));
        seen(3, ago(Duration.ofDays(10)));
        seen(3, ago(Duration.ofHours(30)));
        seen(4, TODAY.minusSeconds(60));
        seen(1, ago(Duration.ofHours(2)));
        seen(2, ago(Duration.ofHours(1)));
    }

    private void at(Instant t) {
        clock.set(t);
    }

    private void topUp(String id, AccountId wallet, long amount, TransferKind kind, Instant t) {
        at(t);
        AccountId from = switch (kind) {
            case TOP_UP_STARS -> AccountId.STARS_CLEARING;
            case TOP_UP_EXTERNAL -> AccountId.EXTERNAL_CLEARING;
            default -> AccountId.MANUAL_CLEARING;
        };
        assertThat(w.ledger().transfer(id, from, wallet, amount, kind).succeeded()).isTrue();
    }

    private void generation(String hold, AccountId wallet, long amount, Instant t, boolean post) {
        at(t);
        assertThat(w.ledger().hold(hold, wallet, AccountId.REVENUE, amount, TransferKind.GENERATION,
                t.plus(Duration.ofHours(1))).succeeded()).isTrue();
        if (post) {
            assertThat(w.ledger().post(Ledger.postId(hold), hold, amount).succeeded()).isTrue();
        }
    }

    /**
     * Revenue: today 312 + 250 − 500 (an admin refund) = 62; 7 days 500 more = 562; 30 days 1,000 more = 1,562.
     * Stars top-ups in 7 days: 2 for 225.00; card / SBP: 1 for 500.00; the partner's own provider: 2 for 350.00 (one
     * older than 7 days left out).
     */
    private void money() {
        topUp("stars:old", W1, 5_000, TransferKind.TOP_UP_STARS, ago(Duration.ofDays(40)));
        generation("g0", W1, 300, ago(Duration.ofDays(40)).plusSeconds(60), true);
        generation("g1", W1, 1_000, ago(Duration.ofDays(20)), true);
        topUp("stars:a", W1, 10_000, TransferKind.TOP_UP_STARS, ago(Duration.ofDays(10)));
        topUp("stars:b", W1, 7_500, TransferKind.TOP_UP_STARS, ago(Duration.ofDays(3)));
        generation("g2", W1, 500, ago(Duration.ofDays(3)).plusSeconds(60), true);
        topUp("stars:c", W2, 15_000, TransferKind.TOP_UP_STARS, ago(Duration.ofHours(2)));
        topUp("manual-topup:1", W2, 50_000, TransferKind.TOP_UP_MANUAL, ago(Duration.ofHours(1)));
        topUp("external:stripe:old", W2, 99_000, TransferKind.TOP_UP_EXTERNAL, ago(Duration.ofDays(8)));
        topUp("external:stripe:a", W1, 20_000, TransferKind.TOP_UP_EXTERNAL, ago(Duration.ofDays(2)));
        topUp("external:yookassa:b", W2, 15_000, TransferKind.TOP_UP_EXTERNAL, ago(Duration.ofMinutes(50)));
        generation("g3", W1, 312, ago(Duration.ofHours(1)).plusSeconds(60), true);
        generation("g4", W2, 200, ago(Duration.ofMinutes(40)), false);
        generation("g5", W1, 150, ago(Duration.ofMinutes(35)), false);
        assertThat(w.ledger().voidHold(Ledger.voidId("g5"), "g5").succeeded()).isTrue();
        at(ago(Duration.ofMinutes(30)));
        assertThat(w.ledger().transfer("refund:g2", AccountId.REVENUE, W1, 500, TransferKind.REFUND).succeeded())
                .isTrue();
        generation("g6", W1, 250, ago(Duration.ofMinutes(20)), true);
    }

    private enum End { DELIVERED, FAILED, RUNNING, NO_MONEY, NO_FREE_USE }

    private void job(String model, Instant created, End end) {
        Jobs jobs = w.jobs();
        Job j = jobs.create(new JobDraft(1, 1, "en", model, "sku", Map.of(), Map.of(), 100, false, created,
                created.plus(Duration.ofMinutes(30))));
        switch (end) {
            case NO_MONEY -> jobs.update(j.failed("insufficient.funds")).orElseThrow();
            case NO_FREE_USE -> jobs.update(j.failed("free.limit_reached")).orElseThrow();
            default -> {
                j = jobs.update(j.held()).orElseThrow();
                if (end == End.FAILED) {
                    jobs.update(j.failed("error.provider_failed")).orElseThrow();
                } else if (end == End.DELIVERED) {
                    j = jobs.update(j.submitting()).orElseThrow();
                    j = jobs.update(j.submitted("task-" + j.id().value(), j.createdAt())).orElseThrow();
                    j = jobs.update(j.succeeded(new JobResult(List.of("https://x/y.png"), MediaKind.PHOTO), created.plusSeconds(30)))
                            .orElseThrow();
                    jobs.update(j.delivered()).orElseThrow();
                }
            }
        }
    }

    /**
     * In 24 h: 2 delivered, 1 refunded, 1 running (a job refused for want of money does not count). In 7 days:
     * m/a 3, m/b 2, then m/e, m/f, m/g, m/h with 1 each (ties by model id).
     */
    private void jobs() {
        job("m/a", ago(Duration.ofHours(2)), End.DELIVERED);
        job("m/a", ago(Duration.ofHours(1)), End.DELIVERED);
        job("m/b", ago(Duration.ofHours(3)), End.FAILED);
        job("m/a", ago(Duration.ofMinutes(30)), End.RUNNING);
        job("m/c", ago(Duration.ofMinutes(20)), End.NO_MONEY);
        job("m/b", ago(Duration.ofDays(3)), End.DELIVERED);
        job("m/c", ago(Duration.ofDays(10)), End.DELIVERED);
        job("m/d", ago(Duration.ofDays(2)), End.NO_FREE_USE);
        job("m/e", ago(Duration.ofHours(25)), End.DELIVERED);
        job("m/h", ago(Duration.ofDays(6)), End.DELIVERED);
        job("m/g", ago(Duration.ofDays(5)), End.FAILED);
        job("m/f", ago(Duration.ofDays(4)), End.DELIVERED);
    }

    /** Two open (one requested, one claimed paid), one approved, one expired. */
    private void manualRequests() {
        ManualTopUps m = w.manual();
        Instant t = ago(Duration.ofHours(5));
        long open = create(m, "upd:1", "REQ001", t);
        long claimed = create(m, "upd:2", "REQ002", t);
        long approved = create(m, "upd:3", "REQ003", t);
        create(m, "upd:4", "REQ004", ago(Duration.ofDays(3)));
        m.claimPaid(claimed);
        m.decide(approved, ManualTopUpState.APPROVED, 9, t.plusSeconds(60));
        assertThat(m.expire(T0, 10)).hasSize(1);
        assertThat(m.find(open)).isPresent();
    }

    @SuppressWarnings("CanonicalDuration") // 48 hours: the manual top-ups' default expiry, as it is said
    private static long create(ManualTopUps m, String key, String reference, Instant at) {
        return m.create(new ManualTopUpDraft(key, 2, 2, 10_000, reference, at, at.plus(Duration.ofHours(48))))
                .orElseThrow().id();
    }

    private void failed(String model, Instant created, String key) {
        Job j = w.jobs().create(new JobDraft(1, 1, "en", model, "sku", Map.of(), Map.of(), 100, false, created,
                created.plus(Duration.ofMinutes(30))));
        w.jobs().update(w.jobs().update(j.held()).orElseThrow().failed(key)).orElseThrow();
    }

    /**
     * The models that failed most in 24 h with their most frequent reason: m/y 3 (the timeout twice), m/x 2 (a tie:
     * the first key in order), m/b 1 (of {@link #jobs}); m/z failed more but 25 hours ago, m/w only for want of money,
     * m/v only stopped by its user or an admin.
     */
    @Test
    void theModelsThatFailedMostInADayWithTheirReason() {
        failed("m/y", ago(Duration.ofHours(4)), "error.provider_timeout");
        failed("m/y", ago(Duration.ofHours(3)), "error.provider_failed");
        failed("m/y", ago(Duration.ofHours(2)), "error.provider_timeout");
        failed("m/x", ago(Duration.ofHours(5)), "error.provider_timeout");
        failed("m/x", ago(Duration.ofHours(1)), "error.provider_failed");
        for (int i = 0; i < 5; i++) {
            failed("m/z", ago(Duration.ofHours(25)), "error.provider_failed");
        }
        failed("m/w", ago(Duration.ofHours(1)), "insufficient.funds");
        failed("m/w", ago(Duration.ofHours(1)), "insufficient.funds");
        for (String stopped : List.of("job.cancelled", "error.stopped_by_support", "job.cancelled")) {
            failed("m/v", ago(Duration.ofHours(1)), stopped); // stopped by a person: no failure of the model's
        }
        assertThat(w.figures().dashboard(T0, TODAY).failing24h()).containsExactly(
                new DashboardFigures.ModelFailures("m/y", 3, "error.provider_timeout"),
                new DashboardFigures.ModelFailures("m/x", 2, "error.provider_failed"),
                new DashboardFigures.ModelFailures("m/b", 1, "error.provider_failed"));
    }

    @Test
    void theDashboardCountsWhatTheShopHolds() {
        DashboardFigures f = w.figures().dashboard(T0, TODAY);
        assertThat(f.usersTotal()).isEqualTo(4);
        assertThat(f.usersNewToday()).isEqualTo(1);
        assertThat(f.usersActive24h()).isEqualTo(3);
        assertThat(f.generations24h()).isEqualTo(new DashboardFigures.Outcomes(2, 1, 1));
        assertThat(f.generations24h().failureRatePercent()).isCloseTo(100.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(f.revenueToday()).isEqualTo(62);
        assertThat(f.revenue7d()).isEqualTo(562);
        assertThat(f.revenue30d()).isEqualTo(1_562);
        assertThat(f.stars7d()).isEqualTo(new DashboardFigures.TopUpTotal(2, 22_500));
        assertThat(f.manual7d()).isEqualTo(new DashboardFigures.TopUpTotal(1, 50_000));
        assertThat(f.external7d()).as("payments the partner's own provider took")
                .isEqualTo(new DashboardFigures.TopUpTotal(2, 35_000));
        assertThat(f.topModels7d()).containsExactly(new DashboardFigures.ModelCount("m/a", 3),
                new DashboardFigures.ModelCount("m/b", 2), new DashboardFigures.ModelCount("m/e", 1),
                new DashboardFigures.ModelCount("m/f", 1), new DashboardFigures.ModelCount("m/g", 1));
        assertThat(f.pendingManual()).isEqualTo(2);
    }

    @Test
    void anEmptyShopIsAllZeros() {
        World empty = create(new MutableClock(T0));
        DashboardFigures f = empty.figures().dashboard(T0, TODAY);
        assertThat(f).isEqualTo(new DashboardFigures(0, 0, 0, new DashboardFigures.Outcomes(0, 0, 0), 0, 0, 0,
                new DashboardFigures.TopUpTotal(0, 0), new DashboardFigures.TopUpTotal(0, 0),
                new DashboardFigures.TopUpTotal(0, 0), List.of(), 0));
        assertThat(empty.figures().days(LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-21"), ZONE)
                .stream().filter(d -> d.revenue() != 0 || d.generations() != 0)).isEmpty();
    }

    @Test
    void daysAreCalendarDaysInTheZone() {
        List<DayFigures> days = w.figures().days(LocalDate.parse("2026-11-14"), LocalDate.parse("2026-11-21"), ZONE)
                .stream().filter(d -> d.revenue() != 0 || d.generations() != 0).toList();
        assertThat(days).containsExactly(
                new DayFigures(LocalDate.parse("2026-11-15"), 0, 1),
                new DayFigures(LocalDate.parse("2026-11-16"), 0, 1),
                new DayFigures(LocalDate.parse("2026-11-17"), 0, 1),
                new DayFigures(LocalDate.parse("2026-11-18"), 500, 1),
                new DayFigures(LocalDate.parse("2026-11-20"), 0, 1),
                new DayFigures(LocalDate.parse("2026-11-21"), 62, 4));
        assertThat(w.figures().days(LocalDate.parse("2026-11-21"), LocalDate.parse("2026-11-21"), ZONE)
                .stream().filter(d -> d.revenue() != 0 || d.generations() != 0).toList())
                .containsExactly(new DayFigures(LocalDate.parse("2026-11-21"), 62, 4));
    }

    /**
     * A zone given as an offset ({@code FREE_DAY_ZONE=-06:00}, or the tests' zone where it is noon now) has the same
     * days as the named zone of that offset: PostgreSQL reads a bare offset the POSIX way (east and west swapped), so
     * each day of the chart was twice the offset away, and a day moved past the last one dropped from the chart.
     */
    @Test
    void aZoneGivenAsAnOffsetHasTheDaysOfItsNamedZone() {
        LocalDate first = LocalDate.parse("2026-11-01");
        LocalDate last = LocalDate.parse("2026-11-21");
        List<DayFigures> named = w.figures().days(first, last, ZoneId.of("Etc/GMT+10"));

        assertThat(named).isNotEmpty();
        assertThat(w.figures().days(first, last, java.time.ZoneOffset.ofHours(-10))).isEqualTo(named);
        assertThat(w.figures().days(first, last, java.time.ZoneOffset.ofHoursMinutes(5, 30)))
                .isEqualTo(w.figures().days(first, last, ZoneId.of("Asia/Kolkata")));
    }

    @Test
    void aUsersSpendingIsNetOfRefundsAndTheirLastVisitIsKept() {
        assertThat(w.figures().activity(1)).isEqualTo(new UserActivity(300 + 1_000 + 500 + 312 + 250 - 500,
                Optional.of(ago(Duration.ofHours(2)))));
        assertThat(w.figures().activity(2)).isEqualTo(new UserActivity(0, Optional.of(ago(Duration.ofHours(1)))));
        assertThat(w.figures().activity(99)).isEqualTo(new UserActivity(0, Optional.empty()));
    }
}
