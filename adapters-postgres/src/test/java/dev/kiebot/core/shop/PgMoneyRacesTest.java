package dev.kiebot.core.shop;

import static dev.kiebot.core.shop.PgMoneyRaces.pick;
import static dev.kiebot.core.shop.PgMoneyRaces.pressing;
import static dev.kiebot.core.shop.PgMoneyRaces.serving;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.payments.ExternalRefund;
import dev.kiebot.core.payments.ExternalReversal;
import dev.kiebot.core.shop.PgMoneyRaces.Laid;
import dev.kiebot.core.testing.ShopHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MoneyFuzzTest}'s money at the same moment, on PostgreSQL: per seeded round, a short walk of the fuzzer sets
 * the inviter and his friend up (Stars and card payments, the friend's bonus, jobs finished and spent), one of them
 * starts two more jobs, and then 2-4 money steps of his run at once, each on a thread and a bot instance of its own
 * started together behind a latch: the worker's post or void of a running job, an admin's confirmed {@code /refund}, Telegram's
 * report of a Stars refund, an admin's confirmed {@code /debit_user} of all or part, a provider's refund, or a report
 * replayed (the same Stars refund, the same button pressed twice, a Stars payment's report again). Then the fuzzer's
 * oracle: the ledger balances, no wallet below zero, each Stars loss within its charge, a job's refunds out of the
 * revenue never more than its charge (and all of it for a job an admin refunded), and, after every payment is given
 * back and every job refunded, no loss left beyond what left the wallet for good. Each step must end as it documents:
 * done, or refused; a deadlock or serialization failure is retried inside ({@code PgTransactions.inOne}), never thrown.
 * A race is not deterministic: a failure prints the seed and the steps. {@code -DmoneyRaces.rounds} and
 * {@code -DmoneyRaces.seed} run more rounds, or others.
 */
class PgMoneyRacesTest {
    private static final int ROUNDS = Integer.getInteger("moneyRaces.rounds", 8);
    private static final long SEED0 = Long.getLong("moneyRaces.seed", 68_508);
    private static final long[] USERS = PgMoneyRaces.USERS;
    private static final AtomicLong UPDATES = PgMoneyRaces.UPDATES;
    private static final long[] ADMINS = PgMoneyRaces.ADMINS;
    /** {@code -DmoneyRaces.again=true}: every round the seed's, to see how often its race goes wrong. */
    private static final boolean AGAIN = Boolean.getBoolean("moneyRaces.again");
    /** {@code -DmoneyRaces.inOrder=true}: the race's steps one after another, to tell a race from a plain fault. */
    private static final boolean IN_ORDER = Boolean.getBoolean("moneyRaces.inOrder");

    enum Race {
        POST, VOID, ADMIN_REFUND, STARS_REFUND, DEBIT_ALL, DEBIT_PART, CARD_REFUND, REPLAY
    }

    /** One step of a race: what it does, on what ({@code pick} among what there is when the race is laid out). */
    record Move(Race race, int pick) {
        @Override
        public String toString() {
            return race + "(" + pick + ")";
        }
    }

    private ExecutorService threads;

    @BeforeEach
    void threads() {
        threads = Executors.newFixedThreadPool(4);
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void moneyStepsAtTheSameMomentKeepTheAccountantsRules() throws Exception {
        List<String> failures = new ArrayList<>();
        long began = System.nanoTime();
        for (int i = 0; i < ROUNDS; i++) {
            long seed = AGAIN ? SEED0 : SEED0 + i;
            round(seed).ifPresent(failures::add);
        }
        System.out.printf("PgMoneyRacesTest: %d rounds, %d failed, %d ms%n", ROUNDS, failures.size(),
                (System.nanoTime() - began) / 1_000_000);
        assertThat(failures).isEmpty();
    }

    /** One round: the setup walk, the race, the oracle; the failure with the seed and the steps, if any. */
    private Optional<String> round(long seed) throws Exception {
        Random r = new Random(seed);
        PgMoneyRaces.SetUp setUp = PgMoneyRaces.setUp(seed, r);
        List<MoneyFuzzTest.Step> walk = setUp.walk();
        int user = setUp.user();
        List<Move> moves = new ArrayList<>();
        int n = 2 + r.nextInt(3);
        Race[] all = Race.values();
        for (int k = 0; k < n; k++) {
            moves.add(new Move(all[r.nextInt(all.length)], r.nextInt(1_000)));
        }
        String where = "seed " + seed + ": user " + USERS[user] + ", setup " + walk + ", race " + moves;
        List<String> broke = new ArrayList<>();
        MoneyFuzzTest.Run run = PgMoneyRaces.walked(walk, broke);
        if (!broke.isEmpty()) {
            return Optional.of(where + ": " + broke.get(0));
        }
        ShopHarness h = run.h;
        List<Laid> laid = new ArrayList<>();
        List<Runnable> bookkeeping = new ArrayList<>();
        List<Job> refundedInRace = new ArrayList<>();
        for (Move m : moves) {
            lay(run, USERS[user], m, laid, bookkeeping, refundedInRace);
        }
        h.clock.advance(Duration.ofSeconds(7));
        h.messenger.drain();
        List<String> outcomes = PgMoneyRaces.race(threads, laid, IN_ORDER);
        h.deliver();
        List<String> faults = outcomes.stream().filter(o -> o.startsWith("THREW")).toList();
        String told = laid.stream().map(Laid::name).toList() + " → " + outcomes;
        if (!faults.isEmpty()) {
            return Optional.of(where + ": a step failed other than as documented: " + told);
        }
        bookkeeping.forEach(Runnable::run);
        Optional<MoneyFuzzTest.Violation> v = run.invariants(walk.size());
        if (v.isEmpty()) {
            v = PgMoneyRaces.chargesRefundedAtMostOnce(h, run.jobs, List.of(), walk.size());
        }
        if (v.isEmpty()) {
            v = run.closing(walk.size() + 1);
        }
        if (v.isEmpty()) {
            v = PgMoneyRaces.chargesRefundedAtMostOnce(h, run.jobs, refundedInRace, walk.size() + 5);
        }
        return v.map(x -> where + ": " + x + "; the race: " + told);
    }

    /** Lays the move out on what the run holds now (nothing to act on: no step). */
    private static void lay(MoneyFuzzTest.Run run, long u, Move m, List<Laid> laid, List<Runnable> bookkeeping,
                            List<Job> refundedInRace) {
        ShopHarness h = run.h;
        List<Job> running = run.running().stream().filter(j -> j.userId() == u && j.taskId().isPresent()).toList();
        switch (m.race()) {
            case POST, VOID -> pick(running, m.pick()).ifPresent(job -> {
                h.provider.set(job.taskId().orElseThrow(), m.race() == Race.POST
                        ? new TaskStatus.Succeeded(new JobResult(List.of("https://files/out.png"), MediaKind.PHOTO),
                        Optional.empty())
                        : new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "boom"));
                Shop own = h.anotherInstance(s -> s);
                laid.add(new Laid(m.race() + " " + job.id().display(), () -> {
                    own.worker().runOnce(10);
                    return "worked";
                }));
                bookkeeping.add(() -> run.kept.put(job.id().display(), m.race() == Race.POST ? job.price() : 0L));
            });
            case ADMIN_REFUND -> pick(run.refundable().stream().filter(j -> j.userId() == u).toList(), m.pick())
                    .ifPresent(job -> {
                        String display = job.id().display();
                        long admin = ADMINS[laid.size()];
                        Optional<String> press = ShopHarness.moneyButton(h.send(admin, new Event.Command("refund",
                                display)));
                        if (press.isPresent()) {
                            laid.add(pressing("ADMIN_REFUND " + display, h, admin, press.get()));
                            bookkeeping.add(() -> run.refundedJobs.add(display));
                            refundedInRace.add(job);
                            if (job.state() == JobState.SUCCEEDED || job.state() == JobState.DELIVERED) {
                                run.refundedAfterCharge.add(u);
                            }
                        }
                    });
            case STARS_REFUND -> pick(run.charges.entrySet().stream().filter(e -> (Long) e.getValue()[1] == u
                    && !run.starsRefunded.contains(e.getKey())).map(Map.Entry::getKey).toList(), m.pick())
                    .ifPresent(charge -> {
                        laid.add(starsRefund(run, charge));
                        // the oracle's own: the charge taken back
                        bookkeeping.add(() -> run.starsRefundedElsewhere(charge));
                    });
            case DEBIT_ALL, DEBIT_PART -> {
                long all = h.balance(u);
                long amount = m.race() == Race.DEBIT_ALL ? all : all * (1 + m.pick() % 9) / 10;
                if (amount > 0) {
                    long admin = ADMINS[laid.size()];
                    Optional<String> press = ShopHarness.moneyButton(h.send(admin, new Event.Command("debit_user", u
                            + " " + amount / 100 + "," + String.format("%02d", amount % 100))));
                    press.ifPresent(p -> laid.add(pressing(m.race() + " " + amount, h, admin, p)));
                }
            }
            case CARD_REFUND -> pick(run.cards.entrySet().stream().filter(e -> e.getValue()[0] == u
                    && e.getValue()[2] < e.getValue()[1]).map(Map.Entry::getKey).toList(), m.pick())
                    .ifPresent(p -> {
                        long[] c = run.cards.get(p);
                        long left = c[1] - c[2];
                        long amount = m.pick() % 2 == 0 ? left : Math.max(1, left / 2);
                        ExternalRefund refund = new ExternalRefund("yk", p, "rr-" + UPDATES.incrementAndGet(), u,
                                amount);
                        Shop own = h.anotherInstance(s -> s);
                        long[] taken = {0};
                        laid.add(new Laid("CARD_REFUND " + p + " " + amount, () -> {
                            ExternalReversal done;
                            try {
                                done = own.externalTopUps().refunded(refund);
                            } catch (IllegalStateException e) {
                                if (e.getMessage().contains("meanwhile")) {
                                    // documented: the wallet changed while it was read (another refund, a debit):
                                    // nothing taken, to be reported again
                                    return "refused: the wallet changed meanwhile";
                                }
                                throw e;
                            }
                            if (done instanceof ExternalReversal.TakenBack) {
                                taken[0] = amount;
                            }
                            return done.getClass().getSimpleName();
                        }));
                        // told to the oracle as taken back, else a job the payment paid counts as paid by money
                        // never taken back and its refund against a Stars loss as money lost (seed 68515)
                        bookkeeping.add(() -> {
                            if (taken[0] > 0) {
                                run.cardRefundedElsewhere(p, taken[0]);
                            }
                        });
                    });
            case REPLAY -> {
                // the same report or press again, at the same moment as the first: the last laid step, else a
                // Stars payment's report of the user
                if (!laid.isEmpty() && !laid.get(laid.size() - 1).name().startsWith("POST")
                        && !laid.get(laid.size() - 1).name().startsWith("VOID")) {
                    Laid last = laid.get(laid.size() - 1);
                    laid.add(new Laid("REPLAY " + last.name(), last.call()));
                } else {
                    pick(run.charges.entrySet().stream().filter(e -> (Long) e.getValue()[1] == u)
                            .map(Map.Entry::getKey).toList(), m.pick()).ifPresent(charge -> laid.add(serving(
                            "REPLAY stars payment " + charge, h, u, new Event.SuccessfulPayment(charge,
                                    (String) run.charges.get(charge)[0], "XTR", 50))));
                }
            }
        }
    }

    private static Laid starsRefund(MoneyFuzzTest.Run run, String charge) {
        Object[] c = run.charges.get(charge);
        return serving("STARS_REFUND " + charge, run.h, (Long) c[1], new Event.RefundedPayment(charge, (String) c[0],
                "XTR", 50));
    }
}
