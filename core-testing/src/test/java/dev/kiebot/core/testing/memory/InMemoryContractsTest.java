package dev.kiebot.core.testing.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.testing.contract.ExternalRefundDuesContract;
import dev.kiebot.core.testing.contract.JobsContract;
import dev.kiebot.core.testing.contract.LedgerContract;
import dev.kiebot.core.testing.contract.QueuesContract;
import dev.kiebot.core.testing.contract.ManualTopUpsContract;
import dev.kiebot.core.testing.contract.ShopFiguresContract;
import dev.kiebot.core.testing.contract.SingletonLockContract;
import dev.kiebot.core.testing.contract.SupportTicketsContract;
import dev.kiebot.core.payments.ManualTopUps;
import dev.kiebot.core.support.SupportTickets;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.shop.Transactions;
import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.core.intake.SingletonLock;
import dev.kiebot.core.jobs.Jobs;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.testing.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The in-memory stores pass the same contracts as the PostgreSQL adapter. */
class InMemoryContractsTest {

    @Nested
    class LedgerTest extends LedgerContract {
        @Override
        protected Ledger create(MutableClock clock) {
            return new InMemoryLedger(clock);
        }
    }

    /**
     * The port's default methods (a partner's store that overrides none of them): every default is Ledger's own, every
     * method a store must implement the in-memory ledger's. {@code ForwardingLedger} forwards the defaults too, so a
     * subclass of it tested the in-memory ledger's overrides, never the defaults a partner's store inherits.
     */
    @Nested
    class LedgerDefaultsTest extends LedgerContract {
        @Override
        protected Ledger create(MutableClock clock) {
            Ledger real = new InMemoryLedger(clock);
            return (Ledger) java.lang.reflect.Proxy.newProxyInstance(Ledger.class.getClassLoader(),
                    new Class<?>[]{Ledger.class}, (proxy, method, args) -> {
                        if (method.isDefault()) {
                            return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    /**
     * A decorator that overrides nothing ({@code MeteredLedger} in production wraps every call of the shop's ledger in
     * one) is the ledger it wraps: what it hands back is the store's answer. {@code ForwardingStoresTest} checks that
     * every method is forwarded; this, that the answers are (a wrapper answering {@code findAwaiting} empty made
     * {@code ExternalTopUps} refuse a foreign-currency payment already credited, one answering {@code accounts} empty
     * passed {@code Reconciliation} with nothing read).
     */
    @Nested
    class ForwardingLedgerTest extends LedgerContract {
        @Override
        protected Ledger create(MutableClock clock) {
            return new dev.kiebot.core.ledger.ForwardingLedger(new InMemoryLedger(clock)) {
            };
        }
    }

    @Nested
    class JobsTest extends JobsContract {
        @Override
        protected Jobs create() {
            return new InMemoryJobs();
        }
    }

    @Nested
    class ManualTopUpsTest extends ManualTopUpsContract {
        @Override
        protected ManualTopUps create() {
            return new InMemoryManualTopUps();
        }
    }

    @Nested
    class SupportTicketsTest extends SupportTicketsContract {
        @Override
        protected SupportTickets create() {
            return new InMemorySupportTickets();
        }
    }

    @Nested
    class ShopFiguresTest extends ShopFiguresContract {
        @Override
        protected World create(MutableClock clock) {
            InMemoryUsers users = new InMemoryUsers();
            InMemoryJobs jobs = new InMemoryJobs();
            InMemoryLedger ledger = new InMemoryLedger(clock);
            InMemoryManualTopUps manual = new InMemoryManualTopUps();
            return new World(users, jobs, ledger, manual, new InMemoryShopFigures(users, jobs, ledger, manual));
        }
    }

    @Nested
    class OtherStoresTest extends InMemoryStoresContract {
    }

    /** A shop without Stars gives {@code Payments.none()}: the rest of the contract runs, its Stars tests are skipped. */
    @Nested
    class OtherStoresWithoutStarsTest extends InMemoryStoresContract {
        @Override
        protected dev.kiebot.core.payments.Payments payments() {
            return dev.kiebot.core.payments.Payments.none();
        }
    }

    /**
     * A partner's decorator of {@code Payments.none()} (metering it) keeps no Stars either: its Stars tests are skipped
     * by {@code keepsStars()}, as for {@code Payments.none()} itself, not run against a store whose writes throw.
     */
    @Nested
    class OtherStoresWithoutStarsDecoratedTest extends InMemoryStoresContract {
        @Override
        protected dev.kiebot.core.payments.Payments payments() {
            return new dev.kiebot.core.testing.MeteredPayments(dev.kiebot.core.payments.Payments.none());
        }
    }

    /**
     * {@code Payments.none()} keeps no charge to lock: the lock's contract is skipped for it (the in-memory payments,
     * which keep no transaction to hold a lock in, are not run through it at all).
     */
    @Nested
    class ChargeLockWithoutStarsTest extends dev.kiebot.core.testing.contract.ChargeLockContract {
        private final Transactions transactions = new InMemoryTransactions();

        @Override
        protected dev.kiebot.core.payments.Payments payments() {
            return dev.kiebot.core.payments.Payments.none();
        }

        @Override
        protected Transactions transactions() {
            return transactions;
        }

        @Override
        protected void reset() {
        }
    }

    @Nested
    class PersonalDataTest extends dev.kiebot.core.testing.contract.PersonalDataContract {
        private dev.kiebot.core.shop.Stores stores;

        @Override
        protected dev.kiebot.core.shop.Stores create(MutableClock clock) {
            stores = InMemoryStores.create(clock);
            return stores;
        }

        @Override
        protected StoredPayload payloadOf(long updateId) {
            return ((InMemoryProcessedUpdates) stores.processedUpdates()).payloadOf(updateId)
                    .<StoredPayload>map(StoredPayload.Kept::new).orElseGet(StoredPayload.NotStored::new);
        }
    }

    @Nested
    class ExternalRefundDuesTest extends ExternalRefundDuesContract {
        @Override
        protected dev.kiebot.core.shop.Stores create(MutableClock clock) {
            return InMemoryStores.create(clock);
        }
    }

    @Nested
    class QueuesTest extends QueuesContract {
        private InMemoryTransactions transactions;
        private InMemoryProcessedUpdates processedUpdates;
        private InMemoryPendingReplies pendingReplies;

        @Override
        protected void reset() {
            transactions = new InMemoryTransactions();
            processedUpdates = new InMemoryProcessedUpdates(transactions);
            pendingReplies = new InMemoryPendingReplies();
        }

        @Override
        protected ProcessedUpdates processedUpdates() {
            return processedUpdates;
        }

        @Override
        protected PendingReplies pendingReplies() {
            return pendingReplies;
        }

        @Override
        protected Transactions transactions() {
            return transactions;
        }

        /** Outside a transaction nothing would end the claim here: the chat would stay held for ever, so it throws. */
        @Test
        void aClaimOutsideATransactionThrows() {
            processedUpdates.record(1, 10, "a", Instant.parse("2026-11-21T10:00:00Z"));
            assertThatThrownBy(() -> processedUpdates.claimNext()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("inside a transaction");
            assertThatThrownBy(() -> processedUpdates.reclaim(1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("inside a transaction");
            assertThat(transactions.inOne(() -> processedUpdates.claimNext()).map(u -> u.updateId()))
                    .as("the chat was not left held").contains(1L);
        }
    }

    @Nested
    class SingletonLockTest extends SingletonLockContract {
        private InMemorySingletonLock lock;

        @Override
        protected void reset() {
            lock = new InMemorySingletonLock();
        }

        @Override
        protected SingletonLock contender() {
            return lock.holder();
        }
    }
}
