package dev.kiebot.core.shop;

/**
 * Marks a store that keeps what it is given in memory only: nothing of it survives a restart of the process.
 * {@code core-testing}'s in-memory stores carry it ({@code InMemoryLedger}, {@code InMemoryUsers}, …), and so should
 * any store of yours that keeps its rows in memory.
 *
 * <p>{@code Shop.Builder.build()} refuses a shop whose {@link Stores} hold one, naming each, unless told the shop is a
 * test's ({@code Shop.Builder.inMemoryForTests()}): {@link Transactions#durable()} speaks for the stores as a whole,
 * so one store in memory mixed into a database's stores ({@code pgStores.withLedger(new InMemoryLedger(clock))}) passed
 * it, and that shop's balances were gone at the first restart. The builder sees the stores {@link Stores} holds, not
 * what a decorator forwards to: a {@code ForwardingLedger} over an in-memory ledger does not carry the mark.
 */
public interface KeptInMemory {
}
