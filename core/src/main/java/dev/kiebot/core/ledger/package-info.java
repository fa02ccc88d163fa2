/**
 * Money: a double-entry, two-phase ledger in {@code long} minor units. Port: {@code Ledger} (transfer, hold,
 * post, void, expire; every request idempotent by a caller-chosen id; a wallet's available balance never
 * negative; {@code ForwardingLedger} a base for one that watches another). {@code Reconciliation.check} states the invariants every implementation must keep; the
 * contract tests of {@code core-testing} check them.
 */
package dev.kiebot.core.ledger;
