/**
 * Every store port in memory ({@code InMemoryStores.create(clock)}), passing the same contract tests as the
 * PostgreSQL adapter. For tests and examples only: nothing survives the process.
 */
package dev.kiebot.core.testing.memory;
