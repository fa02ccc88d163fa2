package dev.kiebot.core.shop;

import dev.kiebot.core.audit.Audit;
import dev.kiebot.core.broadcast.Broadcasts;
import dev.kiebot.core.intake.Admissions;
import dev.kiebot.core.conversation.ChatStates;
import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.core.jobs.Jobs;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.memory.InMemoryAdmissions;
import dev.kiebot.core.memory.InMemoryAudit;
import dev.kiebot.core.memory.InMemoryBroadcasts;
import dev.kiebot.core.memory.InMemoryChatStates;
import dev.kiebot.core.memory.InMemoryFreeUsage;
import dev.kiebot.core.memory.InMemoryJobs;
import dev.kiebot.core.memory.InMemoryLedger;
import dev.kiebot.core.memory.InMemoryPayments;
import dev.kiebot.core.memory.InMemoryProcessedUpdates;
import dev.kiebot.core.memory.InMemoryUsers;
import dev.kiebot.core.payments.Payments;
import dev.kiebot.core.users.FreeUsage;
import dev.kiebot.core.users.Users;
import java.time.Clock;

/** Every persistence port the storefront uses, handed around as one value. */
public record Stores(Users users, ChatStates chatStates, Ledger ledger, Jobs jobs, Payments payments,
                     FreeUsage freeUsage, ProcessedUpdates processedUpdates, Audit audit, Admissions admissions,
                     Broadcasts broadcasts) {

    /** All stores in memory: for tests and for partners trying the core without a database. */
    public static Stores inMemory(Clock clock) {
        InMemoryUsers users = new InMemoryUsers();
        return new Stores(users, new InMemoryChatStates(), new InMemoryLedger(clock), new InMemoryJobs(),
                new InMemoryPayments(), new InMemoryFreeUsage(), new InMemoryProcessedUpdates(), new InMemoryAudit(),
                new InMemoryAdmissions(), new InMemoryBroadcasts(users));
    }
}
