package dev.kiebot.core.testing.memory;

import dev.kiebot.core.audit.Audit;
import dev.kiebot.core.broadcast.Broadcasts;
import dev.kiebot.core.catalog.PausedModels;
import dev.kiebot.core.conversation.ChatStates;
import dev.kiebot.core.intake.Admissions;
import dev.kiebot.core.payments.Payments;
import dev.kiebot.core.testing.contract.StoresContract;
import dev.kiebot.core.users.FreeUsage;
import dev.kiebot.core.users.Users;
import java.util.function.Supplier;

/**
 * The stores contract on new in-memory stores for each test. Free usage comes from {@code newFreeUsage}, so a test
 * can run the contract on a free-usage store of its own: a wrong one, to see the contract catch it.
 */
public abstract class InMemoryStoresContract extends StoresContract {
    private final Supplier<FreeUsage> newFreeUsage;
    private InMemoryUsers users;
    private ChatStates chatStates;
    private FreeUsage freeUsage;
    private Payments payments;
    private Audit audit;
    private Admissions admissions;
    private Broadcasts broadcasts;
    private PausedModels pausedModels;
    private dev.kiebot.core.ledger.Ledger ledger;

    @Override
    protected dev.kiebot.core.ledger.Ledger ledger() {
        return ledger;
    }

    /** On the in-memory free usage. */
    protected InMemoryStoresContract() {
        this(InMemoryFreeUsage::new);
    }

    protected InMemoryStoresContract(Supplier<FreeUsage> newFreeUsage) {
        this.newFreeUsage = newFreeUsage;
    }

    @Override
    protected void reset() {
        users = new InMemoryUsers();
        chatStates = new InMemoryChatStates();
        freeUsage = newFreeUsage.get();
        ledger = new InMemoryLedger(java.time.Clock.systemUTC());
        payments = new InMemoryPayments(ledger);
        audit = new InMemoryAudit();
        admissions = new InMemoryAdmissions();
        broadcasts = new InMemoryBroadcasts(users);
        pausedModels = new InMemoryPausedModels();
    }

    @Override
    protected PausedModels pausedModels() {
        return pausedModels;
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

    @Override
    protected Admissions admissions() {
        return admissions;
    }

    @Override
    protected Broadcasts broadcasts() {
        return broadcasts;
    }
}
