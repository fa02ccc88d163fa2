package dev.kiebot.core.shop;

/**
 * Marks a store that keeps what it is given in memory only: nothing of it survives a restart of the process.
 * {@code core-testing}'s in-memory stores carry it ({@code InMemoryLedger}, {@code InMemoryUsers}, …), and so should
 * any store of yours that keeps its rows in memory.
 *
 * <p>{@code Shop.Builder.build()} refuses a shop whose {@link Stores} hold one, naming each, unless told the shop is a
 * test's ({@code Shop.Builder.inMemoryForTests()}): {@link Transactions#durable()} speaks for the stores as a whole,
 * so one store in memory mixed into a database's stores ({@code pgStores.withLedger(new InMemoryLedger(clock))}) passed
 * it, and that shop's balances were gone at the first restart. It sees through a decorator to the store it forwards
 * to: core's {@code ForwardingLedger} and {@code ForwardingJobs} (their {@code forwardsTo()}), and any store that
 * carries this mark and answers {@link #keptInMemory()} for the one it forwards to (core's
 * {@code ForwardingPendingReplies} and {@code core-testing}'s {@code Forwarding*} stores do). A decorator of yours that implements a port itself does the same, or hides the mark
 * of the store it wraps.
 */
public interface KeptInMemory {
    /**
     * Whether this store keeps its rows in memory now: yes for a store that keeps them itself (the default); a
     * decorator that carries the mark answers for the store it forwards to, so that one over a database's store is
     * built and one over an in-memory store is refused as that store is.
     *
     * @return true when what this store is given lives in this process's memory only
     */
    default boolean keptInMemory() {
        return true;
    }
}
