/**
 * Abstract JUnit 5 contract tests every store implementation must pass: extend {@code LedgerContract},
 * {@code JobsContract} and {@code StoresContract} with your stores (as {@code PgContractsTest} does) to prove
 * they keep core's rules (idempotency, no overdraft, one claim per chat, one payment per invoice, ...).
 */
package dev.kiebot.core.testing.contract;
