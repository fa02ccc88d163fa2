package dev.kiebot.core.testing.memory;

import dev.kiebot.core.shop.Stores;
import java.time.Clock;

/**
 * Every store in memory, for tests and examples. Nothing survives the process: never use it for a shop
 * that takes real money.
 */
public final class InMemoryStores {
    private InMemoryStores() {
    }

    public static Stores create(Clock clock) {
        InMemoryUsers users = new InMemoryUsers();
        InMemoryTransactions transactions = new InMemoryTransactions();
        return new Stores(users, new InMemoryChatStates(), new InMemoryLedger(clock), new InMemoryJobs(),
                new InMemoryPayments(), new InMemoryFreeUsage(), new InMemoryProcessedUpdates(transactions),
                new InMemoryAudit(), new InMemoryAdmissions(), new InMemoryBroadcasts(users),
                new InMemoryPendingReplies(transactions), transactions);
    }
}
