package dev.kiebot.core.shop;

import dev.kiebot.core.audit.Audit;
import dev.kiebot.core.broadcast.Broadcasts;
import dev.kiebot.core.catalog.PausedModels;
import dev.kiebot.core.intake.Admissions;
import dev.kiebot.core.conversation.ChatStates;
import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.core.jobs.ForwardingJobs;
import dev.kiebot.core.jobs.Jobs;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.payments.ExternalRefundDues;
import dev.kiebot.core.payments.ManualTopUps;
import dev.kiebot.core.payments.Payments;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reports.ShopFigures;
import dev.kiebot.core.support.SupportTickets;
import dev.kiebot.core.users.FreeUsage;
import dev.kiebot.core.users.PersonalData;
import dev.kiebot.core.users.Users;

/**
 * Every persistence port the shop uses, handed around as one value. A partner supplies its own
 * implementations (each passing the contract tests of {@code core-testing}), or this project's PostgreSQL
 * adapter; {@code core-testing}'s {@code InMemoryStores} is for tests only: nothing in it survives a restart, and
 * {@code Shop.builder()} refuses it (its {@link Transactions#durable()} says no), or any one of its stores mixed into
 * yours (each is a {@link KeptInMemory}), unless told {@code inMemoryForTests()}.
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
 *       manual top-ups;</li>
 *   <li>{@code ExternalRefundDuesContract}: {@link #externalRefundDues()}, over your whole stores (it refunds payments
 *       through a shop on them, months apart).</li>
 *   <li>{@code PersonalDataContract}: {@link #personalData()}, over your users, jobs, support tickets, manual top-ups,
 *       chat states, inbox and outbox.</li>
 * </ul>
 *
 * <p>A store stands in for a feature the shop has switched off only where core gives one: {@link #payments()} may be
 * {@code Payments.none()} in a shop whose settings sell no Stars ({@code ShopSettings.withoutStars()}; the builder
 * refuses it otherwise). It keeps nothing and refuses every write: no stand-in keeps money state in memory. Run no
 * contract on it ({@code StoresContract} skips its Stars tests for it). Every other store is used whatever the
 * settings, and none has a stand-in: card / SBP top-ups switched off still show in {@code /payments} and {@code /find}
 * what was paid before, {@code /paysupport} (its tickets) and {@code /broadcast} cannot be switched off.
 *
 * @param users            who has opened the bot: language, blocked flag, ban, welcome bonus
 * @param chatStates       each chat's conversation state (the form being filled), read and written whole per update
 * @param ledger           the money: double-entry accounts in minor units, holds, idempotent transfers
 * @param jobs             the generation jobs, leased by the job worker across instances
 * @param payments         Telegram Stars charges, kept for their refunds; {@code Payments.none()} in a shop without
 *                         Stars
 * @param freeUsage        free generations and welcome bonuses counted per user and per day of the shop's zone
 * @param processedUpdates the inbox of update ids against a platform's re-delivery, which also hands out a chat's
 *                         updates one at a time
 * @param audit            the audit trail that {@code /find} reads and the cleanup purges after 30 days
 * @param admissions       the per-user inbound limit's memory, shared by every instance
 * @param broadcasts       the admins' {@code /broadcast}s and their recipients
 * @param manualTopUps     card / SBP top-up requests waiting for an admin
 * @param supportTickets   {@code /paysupport} tickets and their answers
 * @param figures          the sums behind {@code /admin}'s dashboard
 * @param pendingReplies   the outbox: replies queued in the update's transaction, sent by the reply sender
 * @param transactions     the one transaction per thread that every store above joins
 * @param pausedModels     the models an admin took off sale
 * @param externalRefundDues what each refund of a payment your own provider took was due to take back, kept for good
 *                         (the audit trail that also says it is purged)
 * @param personalData     one user's personal data forgotten on his request ({@code /forget}), the money kept
 */
public record Stores(Users users, ChatStates chatStates, Ledger ledger, Jobs jobs, Payments payments,
                     FreeUsage freeUsage, ProcessedUpdates processedUpdates, Audit audit, Admissions admissions,
                     Broadcasts broadcasts, ManualTopUps manualTopUps, SupportTickets supportTickets,
                     ShopFigures figures, PendingReplies pendingReplies, Transactions transactions,
                     PausedModels pausedModels, ExternalRefundDues externalRefundDues,
                     PersonalData personalData) {

    /**
     * Checks that every store was given (what each one is: see the record's description).
     *
     * @param users            required
     * @param chatStates       required
     * @param ledger           required
     * @param jobs             required
     * @param payments         required: {@code Payments.none()} for a shop without Stars
     * @param freeUsage        required
     * @param processedUpdates required
     * @param audit            required
     * @param admissions       required
     * @param broadcasts       required
     * @param manualTopUps     required
     * @param supportTickets   required
     * @param figures          required
     * @param pendingReplies   required
     * @param transactions     required: the transactions the stores above join
     * @param pausedModels     required
     * @param externalRefundDues required
     * @param personalData     required
     * @throws IllegalArgumentException naming every store given as null: each is required, none has a default
     */
    public Stores {
        java.util.List<String> missing = named(new Object[] {users, chatStates, ledger, jobs, payments, freeUsage,
            processedUpdates, audit, admissions, broadcasts, manualTopUps, supportTickets, figures, pendingReplies,
            transactions, pausedModels, externalRefundDues, personalData}, java.util.Objects::isNull);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("Stores is missing " + String.join(", ", missing)
                    + ": every store is required (see core-testing's contract tests for what each must do)");
        }
    }

    /** The names of the stores, {@link #transactions()} among them, in the order of the record's components. */
    private static final java.util.List<String> NAMES = java.util.Arrays.stream(Stores.class.getRecordComponents())
            .map(java.lang.reflect.RecordComponent::getName).toList();

    /**
     * The stores that say they keep everything in memory ({@link KeptInMemory}), or forward to one: {@code
     * Shop.Builder.build()} refuses them beside durable transactions, whose answer speaks for the stores as a whole.
     */
    java.util.List<String> keptInMemory() {
        return named(new Object[] {users, chatStates, ledger, jobs, payments, freeUsage, processedUpdates, audit,
            admissions, broadcasts, manualTopUps, supportTickets, figures, pendingReplies, transactions, pausedModels,
            externalRefundDues, personalData}, Stores::inMemory);
    }

    /**
     * Whether the store keeps its rows in memory: it says so ({@link KeptInMemory#keptInMemory()}, which a decorator
     * marked so answers for the store it wraps), or it is one of core's decorators over such a store. A
     * {@code ForwardingLedger} over an in-memory ledger carried no mark, and a shop on a database's stores but that
     * ledger was built.
     */
    private static boolean inMemory(Object store) {
        return (store instanceof KeptInMemory marked && marked.keptInMemory())
                || (store instanceof ForwardingLedger wrapper && inMemory(wrapper.forwardsTo()))
                || (store instanceof ForwardingJobs wrapped && inMemory(wrapped.forwardsTo()));
    }

    /** The names of the {@code ports}, given in the order of {@link #NAMES}, that {@code which} picks. */
    private static java.util.List<String> named(Object[] ports, java.util.function.Predicate<Object> which) {
        java.util.List<String> picked = new java.util.ArrayList<>();
        for (int i = 0; i < ports.length; i++) {
            if (which.test(ports[i])) {
                picked.add(NAMES.get(i));
            }
        }
        return picked;
    }

    /**
     * The same stores with this ledger in front (a decorator that watches it, say).
     *
     * @param other the ledger to use instead, usually one that forwards to {@link #ledger()}
     *              ({@code ForwardingLedger}); it must join {@link #transactions()} as the one it wraps does
     * @return a new {@code Stores}; this one is unchanged
     */
    public Stores withLedger(Ledger other) {
        return new Stores(users, chatStates, other, jobs, payments, freeUsage, processedUpdates, audit, admissions,
                broadcasts, manualTopUps, supportTickets, figures, pendingReplies, transactions, pausedModels,
                externalRefundDues, personalData);
    }

    /**
     * The same stores with these jobs in front (e.g. a {@code ForwardingJobs} that counts or logs some calls).
     *
     * @param other the jobs store to use instead, usually one that forwards to {@link #jobs()}
     * @return a new {@code Stores}; this one is unchanged
     */
    public Stores withJobs(Jobs other) {
        return new Stores(users, chatStates, ledger, other, payments, freeUsage, processedUpdates, audit, admissions,
                broadcasts, manualTopUps, supportTickets, figures, pendingReplies, transactions, pausedModels,
                externalRefundDues, personalData);
    }

    /**
     * The same stores with this Stars store: {@code Payments.none()} for a shop that sells no Stars, on stores that
     * come with one ({@code PgStores}), or a decorator that forwards to {@link #payments()}.
     *
     * <p>{@code Payments.none()} only for a shop that never sold Stars on these stores: it answers every look-up with
     * nothing, so the Stars payments the stores kept (a shop that sold Stars, then stopped) would be hidden from
     * {@code /refund_stars} and {@code /find} (no refund of them, no charge found by its id), and Telegram's refund of one
     * could not be matched (the admins are told, to take the credit back by hand). A shop that stops
     * selling Stars keeps its Stars store and turns the offer off in its settings
     * ({@code ShopSettings.withoutStars()}).
     *
     * @param other the Stars store to use instead
     * @return a new {@code Stores}; this one is unchanged
     */
    public Stores withPayments(Payments other) {
        return new Stores(users, chatStates, ledger, jobs, other, freeUsage, processedUpdates, audit, admissions,
                broadcasts, manualTopUps, supportTickets, figures, pendingReplies, transactions, pausedModels,
                externalRefundDues, personalData);
    }

    /**
     * The same stores with these admissions in front.
     *
     * @param other the inbound limit's memory to use instead
     * @return a new {@code Stores}; this one is unchanged
     */
    public Stores withAdmissions(Admissions other) {
        return new Stores(users, chatStates, ledger, jobs, payments, freeUsage, processedUpdates, audit, other,
                broadcasts, manualTopUps, supportTickets, figures, pendingReplies, transactions, pausedModels,
                externalRefundDues, personalData);
    }

    /**
     * The same stores with this outbox, and these transactions, in front.
     *
     * @param other  the outbox to use instead
     * @param within the transactions to use instead, which every other store must join as they joined
     *               {@link #transactions()}: the outbox's rows commit with the update's other writes
     * @return a new {@code Stores}; this one is unchanged
     */
    public Stores withPendingReplies(PendingReplies other, Transactions within) {
        return new Stores(users, chatStates, ledger, jobs, payments, freeUsage, processedUpdates, audit, admissions,
                broadcasts, manualTopUps, supportTickets, figures, other, within, pausedModels,
                externalRefundDues, personalData);
    }
}
