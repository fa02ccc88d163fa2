/**
 * Every store port in memory ({@code InMemoryStores.create(clock)}), passing the same contract tests as the
 * PostgreSQL adapter but {@code ChargeLockContract} ({@code lockCharge} locks nothing: a lock shows only between two
 * transactions). For tests only: nothing survives the process, and {@code InMemoryTransactions} undoes no write
 * when the work fails. A shop that takes money is given stores of its own (see {@code examples/console-shop}). Each
 * store here is a {@code KeptInMemory}: {@code Shop.builder()} refuses one mixed into a database's stores, as it
 * refuses them all, unless told {@code .inMemoryForTests()}.
 */
package dev.kiebot.core.testing.memory;
