package dev.kiebot.core.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.payments.Invoice;
import dev.kiebot.core.payments.Payments;
import dev.kiebot.core.payments.StarsCharge;
import dev.kiebot.core.shop.Transactions;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Payments#lockCharge} holds the charge until the caller's transaction ends. Telegram's report of a refund
 * (the user's chat) and an admin's refund of the same charge (the admin's chat) each read the charge's refund state
 * under this lock and act on it; a store that only reads lets both take the amount from the wallet. No other
 * contract can see it: a lock shows only between two transactions. Extend it with a fresh, empty {@link Payments}
 * and the {@link Transactions} its calls join, as {@code PgContractsTest} does. core-testing's in-memory stores keep
 * no transactions to hold a lock in, which is why they are for tests that handle one update at a time.
 */
public abstract class ChargeLockContract {
    /** Each task on a thread of its own: the common pool has one worker on two cores, and these tasks block. */
    private static final Executor ELSEWHERE = task -> new Thread(task, "contract-elsewhere").start();

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    /** How long the first transaction keeps the lock: a second one that did not wait for it returns well before. */
    private static final long HELD_MILLIS = 500;

    /**
     * The payments store whose {@code lockCharge} is checked. Called from two threads at once, each inside a
     * transaction of {@link #transactions()}: every call must reach the same data, kept since the last
     * {@link #reset()} (one object made there, or a new one over the same database each time).
     *
     * @return the payments store under test
     */
    protected abstract Payments payments();

    /**
     * The transactions {@link #payments()} joins: a charge locked inside {@code inOne} stays locked to every other
     * thread until that call returns.
     *
     * @return the transactions of the store under test
     */
    protected abstract Transactions transactions();

    /** Called before each test: empty the store. */
    protected abstract void reset();

    /** For your test class that extends it. */
    protected ChargeLockContract() {
    }

    @BeforeEach
    void resetStore() {
        reset();
        // Payments.none() (a shop without Stars) keeps no charge: there is nothing to lock, and no race to keep apart
        Assumptions.assumeTrue(payments().keepsStars(), "payments() keeps no Stars (Payments.none(), or a store "
                + "forwarding to it), a shop's that sells no Stars: it keeps no charge to lock");
    }

    @Test
    void aLockedChargeWaitsForTheTransactionThatLockedItToEnd() throws Exception {
        payments().saveInvoice(new Invoice("inv-lock", 42, 50, 7_500, T0));
        payments().recordCharge(new StarsCharge("ch-lock", 42, "inv-lock", 50, 7_500, T0));
        CountDownLatch locked = new CountDownLatch(1);
        AtomicBoolean firstEnding = new AtomicBoolean();
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> transactions().inOne(() -> {
            assertThat(payments().lockCharge("ch-lock")).isPresent();
            locked.countDown();
            sleep(HELD_MILLIS);
            firstEnding.set(true); // the last thing before the commit: a second lock that waited sees it
            return null;
        }), ELSEWHERE);
        assertThat(locked.await(30, TimeUnit.SECONDS)).as("the first transaction locked the charge").isTrue();

        Optional<StarsCharge> second = transactions().inOne(() -> {
            Optional<StarsCharge> c = payments().lockCharge("ch-lock");
            assertThat(firstEnding.get()).as("the second lock was given only once the first transaction ended")
                    .isTrue();
            return c;
        });

        first.get(30, TimeUnit.SECONDS);
        assertThat(second).map(StarsCharge::chargeId).contains("ch-lock");
    }

    @Test
    void anUnknownChargeIsEmpty() {
        assertThat(transactions().inOne(() -> payments().lockCharge("ch-none"))).isEmpty();
    }

    /**
     * A charge not recorded yet is locked by its id all the same: {@code /reconcile_stars} records one while Telegram's
     * report of its refund finds none, each under this lock, and one must read what the other committed.
     */
    @Test
    void anIdWithNoChargeYetIsLockedTooUntilTheTransactionThatLockedItEnds() throws Exception {
        CountDownLatch locked = new CountDownLatch(1);
        AtomicBoolean firstEnding = new AtomicBoolean();
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> transactions().inOne(() -> {
            assertThat(payments().lockCharge("ch-new")).isEmpty();
            locked.countDown();
            sleep(HELD_MILLIS);
            payments().saveInvoice(new Invoice("inv-new", 42, 50, 7_500, T0));
            payments().recordCharge(new StarsCharge("ch-new", 42, "inv-new", 50, 7_500, T0));
            firstEnding.set(true); // the last thing before the commit: a second lock that waited sees it
            return null;
        }), ELSEWHERE);
        assertThat(locked.await(30, TimeUnit.SECONDS)).as("the first transaction locked the id").isTrue();

        AtomicBoolean waited = new AtomicBoolean();
        Optional<StarsCharge> second = transactions().inOne(() -> {
            Optional<StarsCharge> c = payments().lockCharge("ch-new");
            waited.set(firstEnding.get());
            return c;
        });

        first.get(30, TimeUnit.SECONDS); // ended before asserting: a store that failed leaves no transaction running
        assertThat(waited).as("the second lock was given only once the first transaction ended").isTrue();
        assertThat(second).as("and it reads the charge the first one recorded").map(StarsCharge::chargeId)
                .contains("ch-new");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
