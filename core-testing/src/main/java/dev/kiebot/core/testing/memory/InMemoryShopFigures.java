package dev.kiebot.core.testing.memory;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Phase;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.reports.DashboardFigures;
import dev.kiebot.core.reports.DayFigures;
import dev.kiebot.core.reports.ShopFigures;
import dev.kiebot.core.reports.UserActivity;
import dev.kiebot.core.shop.KeptInMemory;
import dev.kiebot.core.users.User;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** The shop's figures counted over the in-memory stores, by the definitions of {@link ShopFigures}. */
public final class InMemoryShopFigures implements ShopFigures, KeptInMemory {
    private final InMemoryUsers users;
    private final InMemoryJobs jobs;
    private final InMemoryLedger ledger;
    private final InMemoryManualTopUps manual;

    /**
     * Figures read from the stores a shop writes to: give the very objects in its {@code Stores}.
     *
     * @param users  its users
     * @param jobs   its jobs
     * @param ledger its ledger
     * @param manual its card / SBP top-up requests
     */
    public InMemoryShopFigures(InMemoryUsers users, InMemoryJobs jobs, InMemoryLedger ledger,
                               InMemoryManualTopUps manual) {
        this.users = users;
        this.jobs = jobs;
        this.ledger = ledger;
        this.manual = manual;
    }

    static boolean counted(Job j) {
        return !(j.state() == JobState.FAILED && j.failure().filter(REFUSED_AT_START::contains).isPresent());
    }

    private List<Job> generationsSince(Instant since) {
        return jobs.all().stream().filter(InMemoryShopFigures::counted)
                .filter(j -> !j.createdAt().isBefore(since)).toList();
    }

    /** Posted transfers of {@code kind} from {@code since}, optionally only those matching {@code also}. */
    private List<Transfer> posted(TransferKind kind, Instant from, Instant to, Predicate<Transfer> also) {
        return ledger.all().stream().filter(t -> t.kind() == kind)
                .filter(t -> t.phase() == Phase.POSTED || t.phase() == Phase.POST_PENDING)
                .filter(t -> !t.createdAt().isBefore(from) && t.createdAt().isBefore(to)).filter(also).toList();
    }

    private static long sum(List<Transfer> ts) {
        return ts.stream().mapToLong(Transfer::amount).sum();
    }

    private long revenue(Instant from, Instant to) {
        return sum(posted(TransferKind.GENERATION, from, to, t -> t.credit().equals(AccountId.REVENUE)))
                - sum(posted(TransferKind.REFUND, from, to, t -> t.debit().equals(AccountId.REVENUE)));
    }

    @Override
    public DashboardFigures dashboard(Instant now, Instant todayStart) {
        List<User> all = users.all();
        long newToday = all.stream().filter(u -> !u.createdAt().isBefore(todayStart)).count();
        Instant dayAgo = now.minus(Duration.ofHours(24));
        long active = all.stream().filter(u -> users.lastSeen(u.id()).filter(t -> !t.isBefore(dayAgo)).isPresent())
                .count();
        List<Job> day = generationsSince(dayAgo);
        long delivered = day.stream().filter(j -> j.state() == JobState.DELIVERED).count();
        long refunded = day.stream().filter(j -> j.state() == JobState.FAILED).count();
        Instant weekAgo = now.minus(Duration.ofDays(7));
        Instant end = Instant.MAX;
        List<Transfer> stars = posted(TransferKind.TOP_UP_STARS, weekAgo, end, t -> true);
        List<Transfer> manualTopUps = posted(TransferKind.TOP_UP_MANUAL, weekAgo, end, t -> true);
        List<Transfer> external = posted(TransferKind.TOP_UP_EXTERNAL, weekAgo, end, t -> true);
        Map<String, Long> perModel = generationsSince(weekAgo).stream()
                .collect(Collectors.groupingBy(Job::modelId, Collectors.counting()));
        List<DashboardFigures.ModelCount> top = perModel.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(DashboardFigures.TOP_MODELS)
                .map(e -> new DashboardFigures.ModelCount(e.getKey(), e.getValue())).toList();
        return new DashboardFigures(all.size(), newToday, active,
                new DashboardFigures.Outcomes(delivered, refunded, day.size() - delivered - refunded),
                revenue(todayStart, end), revenue(weekAgo, end), revenue(now.minus(Duration.ofDays(30)), end),
                new DashboardFigures.TopUpTotal(stars.size(), sum(stars)),
                new DashboardFigures.TopUpTotal(manualTopUps.size(), sum(manualTopUps)),
                new DashboardFigures.TopUpTotal(external.size(), sum(external)), top, manual.countOpen(),
                failing(day));
    }

    /** The generations of {@code day} that failed, by model, as {@code PgShopFigures.FAILING_MODELS} ranks them. */
    private static List<DashboardFigures.ModelFailures> failing(List<Job> day) {
        Map<String, List<String>> reasons = new TreeMap<>();
        for (Job j : day) {
            if (j.state() == JobState.FAILED && !ShopFigures.STOPPED.contains(j.failure().orElse(""))) {
                reasons.computeIfAbsent(j.modelId(), m -> new ArrayList<>()).add(j.failure().orElse(""));
            }
        }
        return reasons.entrySet().stream()
                .map(e -> new DashboardFigures.ModelFailures(e.getKey(), e.getValue().size(), mostOften(e.getValue())))
                .sorted(Comparator.comparingLong(DashboardFigures.ModelFailures::failed).reversed()
                        .thenComparing(DashboardFigures.ModelFailures::modelId))
                .limit(DashboardFigures.FAILING_MODELS).toList();
    }

    /** The value seen most often; of those, the first in order (PostgreSQL's {@code mode()}). */
    private static String mostOften(List<String> values) {
        Map<String, Long> counts = values.stream().collect(Collectors.groupingBy(v -> v, TreeMap::new,
                Collectors.counting()));
        long most = Collections.max(counts.values());
        return counts.entrySet().stream().filter(e -> e.getValue() == most).findFirst().orElseThrow().getKey();
    }

    @Override
    public List<DayFigures> days(LocalDate first, LocalDate last, ZoneId zone) {
        Map<LocalDate, long[]> days = new TreeMap<>();
        Instant from = first.atStartOfDay(zone).toInstant();
        Instant to = last.plusDays(1).atStartOfDay(zone).toInstant();
        for (Transfer t : posted(TransferKind.GENERATION, from, to, t -> t.credit().equals(AccountId.REVENUE))) {
            days.computeIfAbsent(t.createdAt().atZone(zone).toLocalDate(), d -> new long[2])[0] += t.amount();
        }
        for (Transfer t : posted(TransferKind.REFUND, from, to, t -> t.debit().equals(AccountId.REVENUE))) {
            days.computeIfAbsent(t.createdAt().atZone(zone).toLocalDate(), d -> new long[2])[0] -= t.amount();
        }
        for (Job j : generationsSince(from)) {
            if (j.createdAt().isBefore(to)) {
                days.computeIfAbsent(j.createdAt().atZone(zone).toLocalDate(), d -> new long[2])[1]++;
            }
        }
        List<DayFigures> out = new ArrayList<>();
        days.forEach((d, v) -> out.add(new DayFigures(d, v[0], v[1])));
        out.sort(Comparator.comparing(DayFigures::day));
        return out;
    }

    @Override
    public UserActivity activity(long userId) {
        AccountId wallet = AccountId.wallet(userId);
        long spent = sum(posted(TransferKind.GENERATION, Instant.MIN, Instant.MAX, t -> t.debit().equals(wallet)))
                - sum(posted(TransferKind.REFUND, Instant.MIN, Instant.MAX, t -> t.credit().equals(wallet)));
        return new UserActivity(spent, users.lastSeen(userId));
    }
}
