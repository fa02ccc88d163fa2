/**
 * Abstract JUnit 5 contract tests every store implementation must pass, to prove it keeps core's rules
 * (idempotency, no overdraft, one claim per chat, one payment per invoice, ...): extend each of
 * {@code LedgerContract}, {@code JobsContract}, {@code StoresContract}, {@code QueuesContract},
 * {@code ManualTopUpsContract}, {@code SupportTicketsContract} and {@code ShopFiguresContract} with your stores,
 * as {@code PgContractsTest} does; and {@code ChargeLockContract} with your payments and transactions, for
 * {@code Payments.lockCharge}, a lock only two transactions can show (the in-memory stores hold none).
 */
package dev.kiebot.core.testing.contract;
