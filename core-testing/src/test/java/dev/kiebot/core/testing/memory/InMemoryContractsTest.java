package dev.kiebot.core.testing.memory;

import dev.kiebot.core.audit.Audit;
import dev.kiebot.core.broadcast.Broadcasts;
import dev.kiebot.core.intake.Admissions;
import dev.kiebot.core.testing.contract.JobsContract;
import dev.kiebot.core.testing.contract.LedgerContract;
import dev.kiebot.core.testing.contract.QueuesContract;
import dev.kiebot.core.testing.contract.ManualTopUpsContract;
import dev.kiebot.core.testing.contract.ShopFiguresContract;
import dev.kiebot.core.testing.contract.SupportTicketsContract;
import dev.kiebot.core.payments.ManualTopUps;
import dev.kiebot.core.support.SupportTickets;
import dev.kiebot.core.testing.contract.StoresContract;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.shop.Transactions;
import dev.kiebot.core.conversation.ChatStates;
import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.core.jobs.Jobs;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.payments.Payments;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.users.FreeUsage;
import dev.kiebot.core.users.Users;
import org.junit.jupiter.api.Nested;

/** The in-memory stores pass the same contracts as the PostgreSQL adapter. */
class InMemoryContractsTest {

    @Nested
    class LedgerTest extends LedgerContract {
        @Override
        protected Ledger create(MutableClock clock) {
            return new InMemoryLedger(clock);
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
    class OtherStoresTest extends StoresContract {
        private Users users;
        private ChatStates chatStates;
        private FreeUsage freeUsage;
        private Payments payments;
        private Audit audit;
        private Admissions admissions;
        private Broadcasts broadcasts;

        @Override
        protected void reset() {
            users = new InMemoryUsers();
            chatStates = new InMemoryChatStates();
            freeUsage = new InMemoryFreeUsage();
            payments = new InMemoryPayments();
            audit = new InMemoryAudit();
            admissions = new InMemoryAdmissions();
            broadcasts = new InMemoryBroadcasts(users);
        }

        @Override
        protected Admissions admissions() {
            return admissions;
        }

        @Override
        protected Broadcasts broadcasts() {
            return broadcasts;
        }

        @Override
        protected Users users() {
            return users;
        }

        @Override
        protected ChatStates chatStates() {
            return chatStates;
        }

        @Override
        protected FreeUsage freeUsage() {
            return freeUsage;
        }

        @Override
        protected Payments payments() {
            return payments;
        }


        @Override
        protected Audit audit() {
            return audit;
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
    }
}
