package dev.kiebot.core.shop;

import java.util.function.Supplier;

/**
 * The tests' stand-in for a database's transactions: another's run them, said durable or not, and each one opened is
 * told to {@code opened} (a test counting them).
 */
final class TransactionsOver implements Transactions {
    private final Transactions real;
    private final boolean durable;
    private final Runnable opened;

    private TransactionsOver(Transactions real, boolean durable, Runnable opened) {
        this.real = real;
        this.durable = durable;
        this.opened = opened;
    }

    /** {@code real}'s transactions, said durable: a shop built on them takes its stores for a database's. */
    static Transactions durable(Transactions real) {
        return new TransactionsOver(real, true, () -> { });
    }

    /** {@code real}'s transactions as they are, {@code opened} run as each one opens. */
    static Transactions counted(Transactions real, Runnable opened) {
        return new TransactionsOver(real, real.durable(), opened);
    }

    @Override
    public <T> T inOne(Supplier<T> work) {
        opened.run();
        return real.inOne(work);
    }

    @Override
    public void afterCommit(Runnable action) {
        real.afterCommit(action);
    }

    @Override
    public boolean active() {
        return real.active();
    }

    @Override
    public boolean durable() {
        return durable;
    }
}
