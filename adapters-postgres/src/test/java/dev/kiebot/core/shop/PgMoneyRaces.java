package dev.kiebot.core.shop;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.postgres.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * What the PostgreSQL money races share ({@link PgMoneyRacesTest}, {@link PgStarsRefundPressRacesTest}): the shop on
 * the test database, a round's setting up by a seeded walk of {@link MoneyFuzzTest}'s, the race's steps each on a bot
 * instance of its own started together behind a latch, and the check that no job's charge is refunded more than once.
 * The draws from a round's {@link Random} are made in the order {@link PgMoneyRacesTest} made them, so its seeds
 * give the rounds they gave.
 */
final class PgMoneyRaces {
    static final long[] USERS = {42, 77};
    static final AtomicLong UPDATES = new AtomicLong(5_000_000);
    /**
     * The admins who press the race's confirmations, one each: an admin's next money command leaves his earlier
     * confirmation behind, as a person's would.
     */
    static final long[] ADMINS = {ShopHarness.ADMIN, 2, 3, 4, 5};

    private PgMoneyRaces() {
    }

    /** A step laid out: its name with what it acts on, and the call, which returns how it ended. */
    record Laid(String name, Callable<String> call) {
    }

    /** A round's setting up: the walk, and which of {@link #USERS} races (its index). */
    record SetUp(List<MoneyFuzzTest.Step> walk, int user) {
    }

    /**
     * The first 6-17 steps of the seed's walk, then a Stars payment and two jobs of the racing user (drawn from
     * {@code r}), so that there are holds to post, void and refund.
     */
    static SetUp setUp(long seed, Random r) {
        List<MoneyFuzzTest.Step> walk = new ArrayList<>(MoneyFuzzTest.walk(seed));
        walk = new ArrayList<>(walk.subList(0, 6 + r.nextInt(12)));
        int user = r.nextInt(2);
        walk.add(new MoneyFuzzTest.Step(MoneyFuzzTest.Op.STARS, user, 0));
        walk.add(new MoneyFuzzTest.Step(MoneyFuzzTest.Op.JOB, user, 0));
        walk.add(new MoneyFuzzTest.Step(MoneyFuzzTest.Op.JOB, user, 0));
        return new SetUp(walk, user);
    }

    /** The fuzzer's run on a fresh shop, walked through {@code walk}, every admin started; or what the walk broke. */
    static MoneyFuzzTest.Run walked(List<MoneyFuzzTest.Step> walk, List<String> broke) {
        MoneyFuzzTest.Run run = new MoneyFuzzTest.Run(shop());
        for (int k = 0; k < walk.size(); k++) {
            Optional<MoneyFuzzTest.Violation> v = run.step(walk.get(k), k);
            if (v.isPresent()) {
                broke.add("the setup broke " + v.get());
                return run;
            }
        }
        for (long admin : ADMINS) {
            run.h.command(admin, "start");
        }
        return run;
    }

    private static ShopHarness shop() {
        return new ShopHarness(TestCatalog.catalog(), MoneyFuzzTest.SETTINGS.withAdmins(java.util.Arrays.stream(ADMINS)
                .boxed().collect(java.util.stream.Collectors.toSet())), ShopHarness.MANUAL,
                UnaryOperator.identity(), TestDatabase::emptyStores);
    }

    /**
     * Each job's refunds out of the revenue ({@code refund:<hold>} and its parts against losses) come to no more than
     * its post; to all of it for the jobs in {@code whole} (an admin refunded them).
     */
    static Optional<MoneyFuzzTest.Violation> chargesRefundedAtMostOnce(ShopHarness h, List<Job> jobs,
                                                                       List<Job> whole, int i) {
        List<Transfer> revenue = h.stores.ledger().transfers(AccountId.REVENUE);
        for (Job job : jobs) {
            String hold = job.holdId();
            long posted = revenue.stream().filter(t -> t.id().equals("post:" + hold)).mapToLong(Transfer::amount)
                    .sum();
            long back = revenue.stream().filter(t -> AccountId.REVENUE.equals(t.debit())
                    && (t.id().equals("refund:" + hold) || t.id().startsWith("refund:" + hold + ":")))
                    .mapToLong(Transfer::amount).sum();
            boolean refunded = whole.stream().anyMatch(j -> j.id().equals(job.id()));
            if (back > posted || (refunded && back != posted)) {
                return Optional.of(new MoneyFuzzTest.Violation("a job's refund moved other than its charge",
                        job.id().display() + " (" + h.stored(job).state() + "): posted " + posted + ", refunded "
                                + back + (refunded ? ", refunded by an admin" : ""), i));
            }
        }
        return Optional.empty();
    }

    static Laid pressing(String name, ShopHarness h, long admin, String data) {
        return serving(name, h, admin, new Event.Callback("q" + UPDATES.incrementAndGet(), data,
                Optional.of(1L)));
    }

    /**
     * An update handled by a bot instance of its own in a transaction as a runner's: what it throws is not hidden
     * behind the apology {@code serve} would queue.
     */
    static Laid serving(String name, ShopHarness h, long userId, Event event) {
        Shop own = h.anotherInstance(s -> s);
        return new Laid(name, () -> {
            Incoming in = new Incoming(UPDATES.incrementAndGet(), ShopHarness.actor(userId, "en"), event);
            h.stores.transactions().inOne(() -> {
                own.storefront().handle(in);
                return null;
            });
            return "handled";
        });
    }

    /**
     * Starts every step together behind a latch on {@code threads} (or, {@code inOrder}, one after another); each
     * one's outcome, or {@code THREW} and what.
     */
    static List<String> race(ExecutorService threads, List<Laid> laid, boolean inOrder) throws Exception {
        List<String> outcomes = new ArrayList<>();
        if (inOrder) {
            for (Laid l : laid) {
                outcomes.add(outcome(l));
            }
            return outcomes;
        }
        CountDownLatch ready = new CountDownLatch(laid.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> ends = new ArrayList<>();
        for (Laid l : laid) {
            ends.add(threads.submit(() -> {
                ready.countDown();
                go.await();
                return outcome(l);
            }));
        }
        ready.await();
        go.countDown();
        for (Future<String> f : ends) {
            outcomes.add(f.get(60, TimeUnit.SECONDS));
        }
        return outcomes;
    }

    private static String outcome(Laid l) {
        try {
            return l.call().call();
        } catch (Exception | AssertionError e) {
            return "THREW " + e;
        }
    }

    static <T> Optional<T> pick(List<T> from, int pick) {
        return from.isEmpty() ? Optional.empty() : Optional.of(from.get(pick % from.size()));
    }
}
