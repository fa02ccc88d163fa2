package dev.kiebot.core.shop;

import dev.kiebot.core.audit.Audit;
import dev.kiebot.core.broadcast.Broadcasts;
import dev.kiebot.core.catalog.PausedModels;
import dev.kiebot.core.intake.Admissions;
import dev.kiebot.core.conversation.ChatStates;
import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.core.jobs.Jobs;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.payments.ManualTopUps;
import dev.kiebot.core.payments.Payments;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reports.ShopFigures;
import dev.kiebot.core.support.SupportTickets;
import dev.kiebot.core.users.FreeUsage;
import dev.kiebot.core.users.Users;

/**
 * Every persistence port the shop uses, handed around as one value. A partner supplies its own
 * implementations (each passing the contract tests of {@code core-testing}), or this project's PostgreSQL
 * adapter; {@code core-testing}'s {@code InMemoryStores} is for tests only: nothing in it survives a restart.
 *
 * <p>The stores and {@link #transactions()} go together: every store call made inside {@link Transactions#inOne} on
 * a thread joins that thread's transaction (see {@link Transactions} for the rest of that contract). Outside one, each
 * call is atomic on its own. Each store is called from several threads at once (update handlers, reply senders, job
 * workers) and, with a shared database, from several instances: each port's javadoc says which of its calls decide a
 * race, and the contract tests race them.
 *
 * <p>Which contract test of {@code core-testing} ({@code dev.kiebot.core.testing.contract}) proves which store — extend
 * each with yours, as {@code adapters-postgres}' {@code PgContractsTest} does:
 * <ul>
 *   <li>{@code LedgerContract}: {@link #ledger()};</li>
 *   <li>{@code JobsContract}: {@link #jobs()};</li>
 *   <li>{@code StoresContract}: {@link #users()}, {@link #chatStates()}, {@link #freeUsage()}, {@link #payments()},
 *       {@link #audit()}, {@link #admissions()}, {@link #broadcasts()};</li>
 *   <li>{@code QueuesContract}: {@link #processedUpdates()} and {@link #pendingReplies()}, with the
 *       {@link #transactions()} they join;</li>
 *   <li>{@code ChargeLockContract}: {@code Payments.lockCharge}, with the {@link #transactions()};</li>
 *   <li>{@code StoresContract} also: {@link #pausedModels()};</li>
 *   <li>{@code ManualTopUpsContract}: {@link #manualTopUps()}; {@code SupportTicketsContract}:
 *       {@link #supportTickets()}; {@code ShopFiguresContract}: {@link #figures()}, over your users, jobs, ledger and
 *       manual top-ups.</li>
 * </ul>
 */
public record Stores(Users users, ChatStates chatStates, Ledger ledger, Jobs jobs, Payments payments,
                     FreeUsage freeUsage, ProcessedUpdates processedUpdates, Audit audit, Admissions admissions,
                     Broadcasts broadcasts, ManualTopUps manualTopUps, SupportTickets supportTickets,
                     ShopFigures figures, PendingReplies pendingReplies, Transactions transactions,
                     PausedModels pausedModels) {

    /** @throws IllegalArgumentException naming every store given as null: each is required, none has a default */
    public Stores {
        java.util.List<String> missing = new java.util.ArrayList<>();
        Object[] ports = {users, chatStates, ledger, jobs, payments, freeUsage, processedUpdates, audit, admissions,
            broadcasts, manualTopUps, supportTickets, figures, pendingReplies, transactions, pausedModels};
        String[] names = {"users", "chatStates", "ledger", "jobs", "payments", "freeUsage", "processedUpdates",
            "audit", "admissions", "broadcasts", "manualTopUps", "supportTickets", "figures", "pendingReplies",
            "transactions", "pausedModels"};
        for (int i = 0; i < ports.length; i++) {
            if (ports[i] == null) {
                missing.add(names[i]);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("Stores is missing " + String.join(", ", missing)
                    + ": every store is required (see core-testing's contract tests for what each must do)");
        }
    }

    /** The same stores with this ledger in front (a decorator that watches it, say). */
    public Stores withLedger(Ledger other) {
        return new Stores(users, chatStates, other, jobs, payments, freeUsage, processedUpdates, audit, admissions,
                broadcasts, manualTopUps, supportTickets, figures, pendingReplies, transactions, pausedModels);
    }

    /** The same stores with these jobs in front (e.g. a {@code ForwardingJobs} that counts or logs some calls). */
    public Stores withJobs(Jobs other) {
        return new Stores(users, chatStates, ledger, other, payments, freeUsage, processedUpdates, audit, admissions,
                broadcasts, manualTopUps, supportTickets, figures, pendingReplies, transactions, pausedModels);
    }

    /** The same stores with these admissions in front. */
    public Stores withAdmissions(Admissions other) {
        return new Stores(users, chatStates, ledger, jobs, payments, freeUsage, processedUpdates, audit, other,
                broadcasts, manualTopUps, supportTickets, figures, pendingReplies, transactions, pausedModels);
    }

    /** The same stores with this outbox, and these transactions, in front. */
    public Stores withPendingReplies(PendingReplies other, Transactions within) {
        return new Stores(users, chatStates, ledger, jobs, payments, freeUsage, processedUpdates, audit, admissions,
                broadcasts, manualTopUps, supportTickets, figures, other, within, pausedModels);
    }
}
