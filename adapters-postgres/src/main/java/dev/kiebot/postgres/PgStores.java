package dev.kiebot.postgres;

import java.time.Clock;

/**
 * Every PostgreSQL store over one {@link Database}: what a shop's builder takes ({@code Shop.builder().stores(…)}).
 *
 * <p>Its chat states and its outbox hold a handling's last writes for the update's done mark, which carries them in
 * its statement: two round trips less per handled update ({@link HeldWrites}). The same stores made by their public
 * constructors never hold (their writes go at once); mixed with these in one transaction, every store still sees
 * what these hold.
 *
 * <p>Its paused models are kept in memory, read again when a pause or resume is heard of on
 * {@link PgPausedModels#CHANNEL} (which the instance's listener must listen on) and every minute at the longest: not a
 * statement per menu screen ({@link PgPausedModels}).
 */
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
        return new PgStores(new PgLedger(db, clock), new PgJobs(jdbi, wakeups), new PgUsers(jdbi),
                new PgChatStates(jdbi, HeldWrites.HOLDING), new PgFreeUsage(jdbi), new PgPayments(jdbi),
                new PgProcessedUpdates(jdbi, wakeups), new PgAudit(jdbi), new PgAdmissions(jdbi),
                new PgBroadcasts(jdbi, wakeups), new PgManualTopUps(jdbi), new PgSupportTickets(jdbi),
                new PgShopFigures(jdbi), new PgPendingReplies(jdbi, wakeups, HeldWrites.HOLDING),
                new PgTransactions(jdbi), new PgPausedModels(jdbi, wakeups), new PgExternalRefundDues(jdbi),
                new PgPersonalData(jdbi));
    }

    /** The stores as core's {@code Stores}. */
    public dev.kiebot.core.shop.Stores asCoreStores() {
        return new dev.kiebot.core.shop.Stores(users, chatStates, ledger, jobs, payments, freeUsage, processedUpdates,
                audit, admissions, broadcasts, manualTopUps, supportTickets, figures, pendingReplies, transactions,
                pausedModels, externalRefundDues, personalData);
    }
}
