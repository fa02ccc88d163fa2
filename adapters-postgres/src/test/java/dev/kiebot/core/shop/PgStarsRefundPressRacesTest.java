package dev.kiebot.core.shop;

import static dev.kiebot.core.shop.PgMoneyRaces.ADMINS;
import static dev.kiebot.core.shop.PgMoneyRaces.USERS;
import static dev.kiebot.core.shop.PgMoneyRaces.pick;
import static dev.kiebot.core.shop.PgMoneyRaces.pressing;
import static dev.kiebot.core.shop.PgMoneyRaces.serving;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.Phase;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.shop.PgMoneyRaces.Laid;
import dev.kiebot.core.testing.ScriptedStarsRefunds;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.postgres.testing.LockWaits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An admin's {@code /refund_stars} press at the same moment as Telegram's reports of Stars refunds, the worker's post
 * or void of the user's running job, an admin's top-up of the user and the upkeep's sweep of holds past their
 * deadline, on PostgreSQL ({@link PgMoneyRacesTest}'s race, whose walk this leaves as it is: a new step there would
 * change what its cited seeds give). Per seeded round: {@link PgMoneyRaces#setUp}'s walk (and a card payment when the
 * wallet does not cover a charge, which a press needs), then one press of a charge of the racing user and 1-3 more
 * steps, each on a thread and a bot instance of its own, started together. The sweep runs an hour later than the
 * others (every hold due: the jobs' and a press's, when placed), as a sweep does beside a step whose hold's deadline
 * passes meanwhile. After the race Telegram reports each refund it made that was not
 * reported in the race (it always does), then the fuzzer's oracle ({@link MoneyFuzzTest}: the ledger balances, no
 * wallet below zero, each Stars loss within its charge), no job's charge refunded more than once, and each charge
 * refunded at most once: what left the wallet for it and what was booked as lost come to no more than the charge,
 * and to all of it for a charge Telegram refunded, once every job has ended. A failure prints the seed and the steps.
 * {@code -DstarsPressRaces.rounds} and {@code -DstarsPressRaces.seed} run more rounds, or others.
 */
class PgStarsRefundPressRacesTest {
    private static final int ROUNDS = Integer.getInteger("starsPressRaces.rounds", 8);
    private static final long SEED0 = Long.getLong("starsPressRaces.seed", 71_000);
    /** A Stars payment of the harness ({@link ShopHarness#paid50Stars}), in minor units. */
    private static final long CHARGE = 7_500;
    /** The sweep's lateness: past every hold's deadline, the jobs' and {@link StarsRefundDesk#HOLD_FOR}. */
    private static final Duration SWEEP_LATER = Duration.ofHours(1);
    private static final Pattern TAKEN = Pattern.compile(
            "^(?:stars-refund:(ch-\\d+)(?:~\\d+)?|post:stars-refund:(ch-\\d+)#\\d+|stars-held:(ch-\\d+):.*)$");
    private static final Pattern LOST = Pattern.compile("^stars-loss:(ch-\\d+)(?::.*)?$");

    enum Race {
        PRESS, REPORT, POST, VOID, TOP_UP, SWEEP
    }

    private ExecutorService threads;
    /** The rounds that raced a press (one whose walk gave every Stars payment back has none to press). */
    private int pressed;

    @BeforeEach
    void threads() {
        threads = Executors.newFixedThreadPool(4);
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void aPressOfStarsRefundBesideReportsJobsATopUpAndTheSweepRefundsEachChargeOnce() throws Exception {
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            round(SEED0 + i).ifPresent(failures::add);
        }
        System.out.println("PgStarsRefundPressRacesTest: a press raced in " + pressed + " of " + ROUNDS + " rounds");
        assertThat(failures).isEmpty();
    }

    private Optional<String> round(long seed) throws Exception {
        Random r = new Random(seed);
        PgMoneyRaces.SetUp setUp = PgMoneyRaces.setUp(seed, r);
        List<Race> moves = new ArrayList<>(List.of(Race.PRESS));
        int more = 1 + r.nextInt(3);
        for (int k = 0; k < more; k++) {
            moves.add(Race.values()[r.nextInt(Race.values().length)]);
        }
        List<Integer> picks = new ArrayList<>();
        moves.forEach(m -> picks.add(r.nextInt(1_000)));
        List<String> broke = new ArrayList<>();
        MoneyFuzzTest.Run run = PgMoneyRaces.walked(setUp.walk(), broke);
        // the racing user, or the other one when the walk gave the Stars of the first back (nothing to press)
        int user = unrefundedCharges(run, USERS[setUp.user()]).isEmpty() ? 1 - setUp.user() : setUp.user();
        long u = USERS[user];
        List<MoneyFuzzTest.Step> walk = new ArrayList<>(setUp.walk());
        if (broke.isEmpty()) {
            coverAPress(run, user, walk).ifPresent(broke::add);
        }
        String where = "seed " + seed + ": user " + u + ", setup " + walk + ", race " + moves + " " + picks;
        if (!broke.isEmpty()) {
            return Optional.of(where + ": " + broke.get(0));
        }
        ShopHarness h = run.h;
        List<Laid> laid = new ArrayList<>();
        Set<String> reportedInRace = new LinkedHashSet<>();
        // in half the rounds with a report, the window a real refund has: the report begins once the first press's
        // hold is placed and Telegram asked (or the press ended without), and Telegram answers the press once the
        // report has begun, so that the report meets the hold pending; in the others they race freely
        CountDownLatch pressAsked = new CountDownLatch(1);
        CountDownLatch reportBegun = new CountDownLatch(1);
        boolean window = moves.contains(Race.REPORT) && picks.get(0) % 2 == 1;
        if (window) {
            h.starsRefunds.whileAsked(() -> {
                pressAsked.countDown();
                LockWaits.awaitQuietly(reportBegun);
            });
        } else {
            pressAsked.countDown();
        }
        for (int k = 0; k < moves.size(); k++) {
            lay(run, u, moves.get(k), picks.get(k), laid, reportedInRace, pressAsked, reportBegun);
        }
        if (reportedInRace.isEmpty() || laid.stream().noneMatch(l -> l.name().startsWith("PRESS"))) {
            pressAsked.countDown();
            reportBegun.countDown();
        }
        h.clock.advance(Duration.ofSeconds(7));
        h.messenger.drain();
        int askedBefore = h.starsRefunds.calls().size();
        if (laid.stream().anyMatch(l -> l.name().startsWith("PRESS"))) {
            pressed++;
        }
        List<String> outcomes = PgMoneyRaces.race(threads, laid, false);
        String told = laid.stream().map(Laid::name).toList() + " → " + outcomes;
        System.out.println("PgStarsRefundPressRacesTest: seed " + seed + ": " + told);
        if (outcomes.stream().anyMatch(o -> o.startsWith("THREW"))) {
            return Optional.of(where + ": a step failed other than as documented: " + told);
        }
        h.deliver();
        // Telegram reports every refund it made; one the race asked for and did not report comes now
        Set<String> refunded = new LinkedHashSet<>(reportedInRace);
        List<ScriptedStarsRefunds.Call> calls = h.starsRefunds.calls();
        for (ScriptedStarsRefunds.Call call : calls.subList(askedBefore, calls.size())) {
            if (refunded.add(call.chargeId())) {
                h.send(call.userId(), report(run, call.chargeId()));
            }
        }
        h.deliver();
        refunded.forEach(run::starsRefundedElsewhere);
        // what each job of the race kept, as the ledger charged it (a post, or a charge again after its hold expired)
        for (Job job : run.jobs) {
            long charged = chargedOf(h, job.holdId()) + chargedOf(h, Ledger.tryId(job.holdId(), 2));
            if (charged > 0 || h.stored(job).state().isTerminal()) {
                run.kept.put(job.id().display(), charged);
            }
        }
        int i = walk.size();
        Optional<MoneyFuzzTest.Violation> v = run.invariants(i);
        if (v.isEmpty()) {
            v = PgMoneyRaces.chargesRefundedAtMostOnce(h, run.jobs, List.of(), i);
        }
        if (v.isEmpty()) {
            v = chargesRefundedOnce(h, u, Set.of(), i);
        }
        if (v.isEmpty()) {
            v = run.closing(i + 1);
        }
        if (v.isEmpty()) {
            v = chargesRefundedOnce(h, u, refunded, i + 5);
        }
        return v.map(x -> where + ": " + x + "; the race: " + told);
    }

    /**
     * A press is refused, with nothing to press, unless the wallet covers the charge whole ({@link StarsRefundDesk}):
     * the set-up's two running jobs hold part of the payment, and half the rounds of the first seeds raced no press at
     * all. When it does not, the user pays 7,500 by card first (the fuzzer's own step, appended to {@code walk}, so its
     * oracle counts it); a round whose walk gave every Stars payment back stays without a press.
     *
     * @return what the step broke, if it did
     */
    private static Optional<String> coverAPress(MoneyFuzzTest.Run run, int user, List<MoneyFuzzTest.Step> walk) {
        long u = USERS[user];
        if (unrefundedCharges(run, u).isEmpty()
                || run.h.stores.ledger().balance(AccountId.wallet(u)).available() >= CHARGE) {
            return Optional.empty();
        }
        MoneyFuzzTest.Step card = new MoneyFuzzTest.Step(MoneyFuzzTest.Op.CARD, user, 2); // 2,500 x (1 + 2 % 3)
        walk.add(card);
        return run.step(card, walk.size() - 1).map(v -> "the card payment covering the press broke " + v);
    }

    private static long chargedOf(ShopHarness h, String hold) {
        return h.stores.ledger().find(Ledger.postId(hold)).map(Transfer::amount).orElse(0L);
    }

    /**
     * Each of the user's charges: what left his wallet for its refund (a press's hold posted, a report's taking back,
     * what a hold gave back of it) and what was booked as the shop's loss for it come to no more than the charge; to
     * all of it for the charges in {@code whole} (refunded by Telegram, every hold ended).
     */
    private static Optional<MoneyFuzzTest.Violation> chargesRefundedOnce(ShopHarness h, long u, Set<String> whole,
                                                                         int i) {
        Map<String, long[]> byCharge = new TreeMap<>();
        AccountId wallet = AccountId.wallet(u);
        for (Transfer t : h.stores.ledger().transfers(wallet)) {
            Matcher m = TAKEN.matcher(t.id());
            if (t.kind() == TransferKind.STARS_REFUND && wallet.equals(t.debit()) && m.matches()
                    && (t.phase() == Phase.POSTED || t.phase() == Phase.POST_PENDING)) {
                String charge = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
                byCharge.computeIfAbsent(charge, c -> new long[2])[0] += t.amount();
            }
        }
        for (Transfer t : h.stores.ledger().transfers(AccountId.STARS_REFUND_LOSS)) {
            Matcher m = LOST.matcher(t.id());
            if (m.matches() && AccountId.STARS_REFUND_LOSS.equals(t.debit())
                    && h.stores.payments().charge(m.group(1)).filter(c -> c.userId() == u).isPresent()) {
                byCharge.computeIfAbsent(m.group(1), c -> new long[2])[1] += t.amount();
            }
        }
        for (String charge : whole) {
            byCharge.computeIfAbsent(charge, c -> new long[2]);
        }
        for (Map.Entry<String, long[]> e : byCharge.entrySet()) {
            long total = e.getValue()[0] + e.getValue()[1];
            if (total > CHARGE || (whole.contains(e.getKey()) && total != CHARGE)) {
                return Optional.of(new MoneyFuzzTest.Violation("a Stars charge refunded other than once",
                        e.getKey() + ": taken " + e.getValue()[0] + ", lost " + e.getValue()[1] + " of " + CHARGE
                                + (whole.contains(e.getKey()) ? ", refunded by Telegram" : ""), i));
            }
        }
        return Optional.empty();
    }

    private static Event report(MoneyFuzzTest.Run run, String charge) {
        return new Event.RefundedPayment(charge, (String) run.charges.get(charge)[0], "XTR", 50);
    }

    private static List<String> unrefundedCharges(MoneyFuzzTest.Run run, long u) {
        return run.charges.entrySet().stream().filter(e -> (Long) e.getValue()[1] == u
                && !run.starsRefunded.contains(e.getKey())).map(Map.Entry::getKey).toList();
    }

    /** Lays the step out on what the run holds now (nothing to act on: no step). */
    private static void lay(MoneyFuzzTest.Run run, long u, Race race, int pick, List<Laid> laid,
                            Set<String> reportedInRace, CountDownLatch pressAsked, CountDownLatch reportBegun) {
        ShopHarness h = run.h;
        List<String> charges = unrefundedCharges(run, u);
        switch (race) {
            case PRESS -> pick(charges, pick).ifPresent(charge -> {
                long admin = ADMINS[laid.size()];
                ShopHarness.moneyButton(h.send(admin, new Event.Command("refund_stars", charge)))
                        .map(press -> pressing("PRESS " + charge, h, admin, press))
                        .ifPresent(pressing -> laid.add(new Laid(pressing.name(), () -> {
                            try {
                                return pressing.call().call();
                            } finally {
                                pressAsked.countDown(); // refused before asking Telegram: the report waits no more
                            }
                        })));
            });
            case REPORT -> pick(charges, pick).ifPresent(charge -> {
                Laid reporting = serving("REPORT " + charge, h, u, report(run, charge));
                laid.add(new Laid(reporting.name(), () -> {
                    LockWaits.awaitQuietly(pressAsked);
                    reportBegun.countDown();
                    return reporting.call().call();
                }));
                reportedInRace.add(charge);
            });
            case POST, VOID -> pick(run.running().stream().filter(j -> j.userId() == u && j.taskId().isPresent())
                    .toList(), pick).ifPresent(job -> {
                        h.provider.set(job.taskId().orElseThrow(), race == Race.POST
                                ? new TaskStatus.Succeeded(new JobResult(List.of("https://files/out.png"),
                                MediaKind.PHOTO), Optional.empty())
                                : new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "boom"));
                        Shop own = h.anotherInstance(s -> s);
                        laid.add(new Laid(race + " " + job.id().display(), () -> {
                            own.worker().runOnce(10);
                            return "worked";
                        }));
                    });
            case TOP_UP -> {
                long admin = ADMINS[laid.size()];
                ShopHarness.moneyButton(h.send(admin, new Event.Command("topup_user", u + " " + (25 * (1 + pick % 2)))))
                        .ifPresent(press -> laid.add(pressing("TOP_UP", h, admin, press)));
            }
            case SWEEP -> {
                Instant later = h.clock.instant().plus(SWEEP_LATER);
                Shop upkeep = h.anotherInstance(s -> s, b -> b.clock(Clock.fixed(later, ZoneOffset.UTC)));
                laid.add(new Laid("SWEEP", () -> "expired " + upkeep.worker().sweepExpiredHolds(100)));
            }
        }
    }
}
