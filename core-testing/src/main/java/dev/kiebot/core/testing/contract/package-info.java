/**
 * Abstract JUnit 5 contract tests every store implementation must pass, to prove it keeps core's rules
 * (idempotency, no overdraft, one claim per chat, one payment per invoice, ...): extend each of
 * {@code LedgerContract}, {@code JobsContract}, {@code StoresContract}, {@code QueuesContract},
 * {@code ManualTopUpsContract}, {@code SupportTicketsContract} and {@code ShopFiguresContract} with your stores,
 * as {@code PgContractsTest} does.
 */
package dev.kiebot.core.testing.contract;
