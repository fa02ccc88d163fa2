package dev.kiebot.postgres;

import java.time.Clock;

/** Every PostgreSQL store over one {@link Database}: what a shop's builder takes ({@code Shop.builder().stores(…)}). */
public record PgStores(PgLedger ledger, PgJobs jobs, PgUsers users, PgChatStates chatStates, PgFreeUsage freeUsage,
                       PgPayments payments, PgProcessedUpdates processedUpdates, PgAudit audit, PgAdmissions admissions,
                       PgBroadcasts broadcasts, PgManualTopUps manualTopUps, PgSupportTickets supportTickets,
                       PgShopFigures figures, PgPendingReplies pendingReplies, PgTransactions transactions,
                       PgPausedModels pausedModels, PgExternalRefundDues externalRefundDues,
                       PgPersonalData personalData) {

    public static PgStores create(Database db, Clock clock) {
        var jdbi = db.jdbi();
        Wakeups wakeups = db.wakeups();
        // a handling's chat state write and outbox append go with its done mark, in one statement (HeldWrites)
        HeldWrites held = new HeldWrites();
        return new PgStores(new PgLedger(db, clock), new PgJobs(jdbi, wakeups), new PgUsers(jdbi),
                new PgChatStates(jdbi, held), new PgFreeUsage(jdbi), new PgPayments(jdbi),
                new PgProcessedUpdates(jdbi, wakeups, held), new PgAudit(jdbi), new PgAdmissions(jdbi),
                new PgBroadcasts(jdbi, wakeups), new PgManualTopUps(jdbi), new PgSupportTickets(jdbi),
                new PgShopFigures(jdbi), new PgPendingReplies(jdbi, wakeups, held), new PgTransactions(jdbi, held),
                new PgPausedModels(jdbi), new PgExternalRefundDues(jdbi), new PgPersonalData(jdbi, held));
    }

    /** The stores as core's {@code Stores}. */
    public dev.kiebot.core.shop.Stores asCoreStores() {
        return new dev.kiebot.core.shop.Stores(users, chatStates, ledger, jobs, payments, freeUsage, processedUpdates,
                audit, admissions, broadcasts, manualTopUps, supportTickets, figures, pendingReplies, transactions,
                pausedModels, externalRefundDues, personalData);
    }
}
