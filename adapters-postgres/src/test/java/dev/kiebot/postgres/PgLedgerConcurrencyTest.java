package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.postgres.testing.LedgerInvariants;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Beyond the contract: 32 threads race random top-ups, holds, posts, voids, expiries, refunds in both directions
 * and replays on a handful of shared wallets, all resolving the same shared holds; afterwards every invariant
 * of ledger.md that applies holds, checked in SQL and by {@link Reconciliation}.
 */
class PgLedgerConcurrencyTest {
    private static final int THREADS = 32;
    private static final int OPERATIONS = 12_000;
    private static final AccountId[] WALLETS = {AccountId.wallet(1), AccountId.wallet(2), AccountId.wallet(3),
            AccountId.wallet(4), AccountId.wallet(5)};

    private MutableClock clock;
    private PgLedger ledger;

    @BeforeEach
    void setUp() {
        TestDatabase.truncateAll();
        clock = MutableClock.at("2026-11-21T10:00:00Z");
        ledger = new PgLedger(TestDatabase.get(), clock);
    }

    @Test
    void thirtyTwoThreadsKeepEveryInvariant() throws Exception {
        List<String> holds = new CopyOnWriteArrayList<>();
        Map<String, Long> holdAmounts = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                Random rnd = new Random(thread * 7919L);
                for (int i = 0; i < OPERATIONS / THREADS; i++) {
                    String id = "t" + thread + "-" + i;
                    LedgerResult r = step(rnd, id, holds, holdAmounts);
                    if (r != null) {
                        String key = r instanceof LedgerResult.Rejected rej ? rej.reason().name()
                                : r.getClass().getSimpleName();
                        outcomes.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                    }
                }
                return null;
            }));
        }
        long t0 = System.nanoTime();
        start.countDown();
        for (Future<?> f : futures) {
            f.get(3, TimeUnit.MINUTES);
        }
        pool.shutdown();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("%d ledger operations by %d threads in %d ms: %s%n", OPERATIONS, THREADS, ms, outcomes);

        assertThat(LedgerInvariants.violations(TestDatabase.jdbi())).isEmpty();
        assertThat(Reconciliation.check(ledger)).isEmpty();
        // the run did exercise the interesting paths
        assertThat(outcomes).containsKeys("Created", "Exists", "INSUFFICIENT_FUNDS");
        assertThat(outcomes.keySet()).containsAnyOf("ALREADY_POSTED", "ALREADY_VOIDED", "ALREADY_EXPIRED");
        // every hold is in exactly one state, and the sweeper leaves none past its deadline
        ledger.expire(clock.instant().plus(Duration.ofDays(1)), Integer.MAX_VALUE);
        for (String hold : holds) {
            assertThat(ledger.holdState(hold)).isPresent().get().isNotEqualTo(HoldState.PENDING);
        }
        assertThat(LedgerInvariants.violations(TestDatabase.jdbi())).isEmpty();
        assertThat(Reconciliation.check(ledger)).isEmpty();
        for (AccountId w : WALLETS) {
            assertThat(ledger.balance(w).debitsPending()).isZero();
            assertThat(ledger.balance(w).available()).isGreaterThanOrEqualTo(0);
        }
    }

    private LedgerResult step(Random rnd, String id, List<String> holds, Map<String, Long> amounts) {
        AccountId w = WALLETS[rnd.nextInt(WALLETS.length)];
        Instant now = clock.instant();
        int op = rnd.nextInt(100);
        if (op < 15) {
            return ledger.transfer(id, AccountId.STARS_CLEARING, w, 1 + rnd.nextInt(400), TransferKind.TOP_UP_STARS);
        } else if (op < 45) {
            long amount = 1 + rnd.nextInt(150);
            LedgerResult r = ledger.hold(id, w, AccountId.REVENUE, amount, TransferKind.GENERATION,
                    now.plusSeconds(1 + rnd.nextInt(600)));
            if (r.succeeded()) {
                amounts.put(id, amount);
                holds.add(id);
            }
            return r;
        } else if (op < 65 && !holds.isEmpty()) {
            String hold = holds.get(rnd.nextInt(holds.size()));
            long amount = amounts.get(hold);
            return ledger.post(Ledger.postId(hold), hold, rnd.nextBoolean() ? amount : rnd.nextInt((int) amount + 1));
        } else if (op < 78 && !holds.isEmpty()) {
            String hold = holds.get(rnd.nextInt(holds.size()));
            return ledger.voidHold(Ledger.voidId(hold), hold);
        } else if (op < 84 && !holds.isEmpty()) {
            // a duplicate request: the same hold again (EXISTS) or the same id with other fields
            String hold = holds.get(rnd.nextInt(holds.size()));
            return ledger.post("dup-" + hold, hold, amounts.get(hold));
        } else if (op < 89) {
            // money back to a wallet from revenue, and Stars refunds out of a wallet: both lock directions
            return ledger.transfer(id, AccountId.REVENUE, w, 1 + rnd.nextInt(50), TransferKind.REFUND);
        } else if (op < 94) {
            return ledger.transfer(id, w, AccountId.STARS_CLEARING, 1 + rnd.nextInt(100), TransferKind.STARS_REFUND);
        } else if (op < 97) {
            return ledger.transfer(id, w, WALLETS[rnd.nextInt(WALLETS.length)], 1 + rnd.nextInt(30),
                    TransferKind.GRANT);
        } else {
            ledger.expire(now.plusSeconds(rnd.nextInt(600)), 5);
            return null;
        }
    }

    @Test
    void racingRequestsWithOneIdAreRecordedOnce() throws Exception {
        ledger.transfer("top", AccountId.STARS_CLEARING, WALLETS[0], 1_000, TransferKind.TOP_UP_STARS);
        Instant deadline = clock.instant().plusSeconds(60);
        int n = 24;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<LedgerResult>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long amount = i % 3 == 0 ? 101 : 100;
            fs.add(pool.submit(() -> {
                start.await();
                return ledger.hold("gen_race", WALLETS[0], AccountId.REVENUE, amount, TransferKind.GENERATION,
                        deadline);
            }));
        }
        start.countDown();
        List<LedgerResult> results = new ArrayList<>();
        for (Future<LedgerResult> f : fs) {
            results.add(f.get(1, TimeUnit.MINUTES));
        }
        pool.shutdown();
        long created = results.stream().filter(r -> r instanceof LedgerResult.Created).count();
        assertThat(created).isEqualTo(1);
        long winnerAmount = ledger.find("gen_race").orElseThrow().amount();
        for (LedgerResult r : results) {
            if (r instanceof LedgerResult.Rejected rej) {
                assertThat(rej.reason()).isEqualTo(LedgerResult.Reason.EXISTS_WITH_DIFFERENT_FIELDS);
            } else {
                assertThat(((r instanceof LedgerResult.Created c) ? c.transfer() : ((LedgerResult.Exists) r)
                        .transfer()).amount()).isEqualTo(winnerAmount);
            }
        }
        assertThat(ledger.balance(WALLETS[0]).available()).isEqualTo(1_000 - winnerAmount);
        assertThat(LedgerInvariants.violations(TestDatabase.jdbi())).isEmpty();
    }

    @Test
    void aCallbackRacingTheSweeperResolvesTheHoldOnce() throws Exception {
        ledger.transfer("top", AccountId.STARS_CLEARING, WALLETS[0], 100_000, TransferKind.TOP_UP_STARS);
        int holdsCount = 200;
        for (int i = 0; i < holdsCount; i++) {
            ledger.hold("gen_" + i, WALLETS[0], AccountId.REVENUE, 100, TransferKind.GENERATION,
                    clock.instant().plusSeconds(10));
        }
        Instant later = clock.instant().plusSeconds(20);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger posted = new AtomicInteger();
        AtomicInteger expired = new AtomicInteger();
        List<Future<?>> fs = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            fs.add(pool.submit(() -> {
                start.await();
                List<String> got;
                while (!(got = ledger.expire(later, 7)).isEmpty()) {
                    expired.addAndGet(got.size());
                }
                return null;
            }));
        }
        for (int p = 0; p < 4; p++) {
            int from = p;
            fs.add(pool.submit(() -> {
                start.await();
                for (int i = from; i < holdsCount; i += 2) {
                    if (ledger.post(Ledger.postId("gen_" + i), "gen_" + i, 100) instanceof LedgerResult.Created) {
                        posted.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : fs) {
            f.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();
        assertThat(posted.get() + expired.get()).isEqualTo(holdsCount);
        assertThat(ledger.balance(AccountId.REVENUE).creditsPosted()).isEqualTo(100L * posted.get());
        assertThat(ledger.balance(WALLETS[0]).available()).isEqualTo(100_000 - 100L * posted.get());
        assertThat(LedgerInvariants.violations(TestDatabase.jdbi())).isEmpty();
        assertThat(Reconciliation.check(ledger)).isEmpty();
    }
}
