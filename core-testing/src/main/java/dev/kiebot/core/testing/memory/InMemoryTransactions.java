package dev.kiebot.core.testing.memory;

import dev.kiebot.core.shop.Transactions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Transactions in memory: what a transaction holds (a chat claimed by the inbox or the outbox) is released
 * when it ends, and after-commit actions run only when it commits. Writes are not undone on a rollback:
 * the in-memory stores are for tests.
 */
public final class InMemoryTransactions implements Transactions {
    private static final System.Logger LOG = System.getLogger(InMemoryTransactions.class.getName());
    @SuppressWarnings("ThreadLocalUsage") // per instance on purpose: each stores has its own transaction
    private final ThreadLocal<Tx> current = new ThreadLocal<>();

    private static final class Tx {
        final List<Runnable> onEnd = new ArrayList<>();
        final List<Runnable> afterCommit = new ArrayList<>();
        final List<Runnable> onRollback = new ArrayList<>();
    }

    /** Transactions with none open. */
    public InMemoryTransactions() {
    }

    @Override
    public <T> T inOne(Supplier<T> work) {
        if (current.get() != null) {
            return work.get();
        }
        Tx tx = new Tx();
        current.set(tx);
        boolean committed = false;
        try {
            T result = work.get();
            committed = true;
            return result;
        } finally {
            current.remove();
            tx.onEnd.forEach(Runnable::run);
            if (committed) {
                // as a database's: each runs, whatever the one before it threw, and none fails the committed work
                tx.afterCommit.forEach(InMemoryTransactions::runAlone);
            } else {
                tx.onRollback.forEach(Runnable::run);
            }
        }
    }

    @Override
    public void afterCommit(Runnable action) {
        Tx tx = current.get();
        if (tx == null) {
            runAlone(action);
        } else {
            tx.afterCommit.add(action);
        }
    }

    @Override
    public boolean active() {
        return current.get() != null;
    }

    /**
     * Never: nothing here survives the process, so {@code Shop.builder()} builds on these only when told
     * {@code inMemoryForTests()}.
     *
     * @return false
     */
    @Override
    public boolean durable() {
        return false;
    }

    private static void runAlone(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "an action after a commit failed; the transaction stands", e);
        }
    }

    /** Runs {@code undo} when the current transaction rolls back; outside one, never (the write stands). */
    void onRollback(Runnable undo) {
        Tx tx = current.get();
        if (tx != null) {
            tx.onRollback.add(undo);
        }
    }

    /** Runs {@code release} when the current transaction ends; outside one, never (the holder releases). */
    void onEnd(Runnable release) {
        Tx tx = current.get();
        if (tx != null) {
            tx.onEnd.add(release);
        }
    }
}
