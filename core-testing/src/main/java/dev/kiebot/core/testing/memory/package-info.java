/**
 * Every store port in memory ({@code InMemoryStores.create(clock)}), passing the same contract tests as the
 * PostgreSQL adapter. For tests only: nothing survives the process, and {@code InMemoryTransactions} undoes no write
 * when the work fails. A shop that takes money is given stores of its own (see {@code examples/console-shop}).
 */
package dev.kiebot.core.testing.memory;
