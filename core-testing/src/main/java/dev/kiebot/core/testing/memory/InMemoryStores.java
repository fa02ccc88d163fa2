package dev.kiebot.core.testing.memory;

import dev.kiebot.core.shop.Stores;
import java.time.Clock;

/**
 * Every store in memory, for tests only. Nothing survives the process, and a failed transaction's writes
 * are not undone ({@link InMemoryTransactions}), and {@code Payments.lockCharge} locks nothing (a test handles one
 * update at a time): never use it for a shop that takes real money. {@code Shop.builder()} refuses these stores
 * ({@link InMemoryTransactions#durable()} says no), and any one of them given among a database's (each is a
 * {@code KeptInMemory}), unless told the shop is a test's, {@code .inMemoryForTests()}.
 */
public final class InMemoryStores {
    private InMemoryStores() {
    }

    /**
     * Every store, empty, the ones that join transactions (the inbox, the audit) joining one
     * {@link InMemoryTransactions}, and the figures counted over these users, jobs, ledger and manual top-ups.
     *
     * @param clock the ledger's time for each transfer; the other stores take their instants with each call
     * @return the stores, for {@code Shop.builder().stores(...)}
     */
    public static Stores create(Clock clock) {
        InMemoryUsers users = new InMemoryUsers();
        InMemoryTransactions transactions = new InMemoryTransactions();
        InMemoryJobs jobs = new InMemoryJobs();
        InMemoryLedger ledger = new InMemoryLedger(clock);
        InMemoryManualTopUps manual = new InMemoryManualTopUps();
        InMemoryChatStates chats = new InMemoryChatStates();
        InMemoryProcessedUpdates inbox = new InMemoryProcessedUpdates(transactions);
        InMemorySupportTickets tickets = new InMemorySupportTickets();
        InMemoryAudit audit = new InMemoryAudit(transactions);
        InMemoryPendingReplies outbox = new InMemoryPendingReplies();
        return new Stores(users, chats, ledger, jobs, new InMemoryPayments(ledger),
                new InMemoryFreeUsage(), inbox, audit,
                new InMemoryAdmissions(), new InMemoryBroadcasts(users), manual, tickets,
                new InMemoryShopFigures(users, jobs, ledger, manual), outbox,
                transactions, new InMemoryPausedModels(), new InMemoryExternalRefundDues(transactions),
                new InMemoryPersonalData(users, jobs, tickets, manual, chats, inbox, audit, outbox));
    }
}
