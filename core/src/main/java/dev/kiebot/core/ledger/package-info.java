/**
 * Money: a double-entry, two-phase ledger in {@code long} minor units. Port: {@code Ledger} (transfer, hold,
 * post, void, expire; every request idempotent by a caller-chosen id; a wallet's available balance never
 * negative; {@code ForwardingLedger} a base for one that watches another). {@code Reconciliation.check} states the invariants every implementation must keep; the
 * contract tests of {@code core-testing} check them.
 *
 * <p>For a partner: implement {@code Ledger} (core-testing's {@code LedgerContract} checks it, with
 * {@code Reconciliation.check} after every run) or use {@code adapters-postgres}; extend {@code ForwardingLedger} to
 * watch one; read a user's money with {@code ledger.balance(AccountId.wallet(userId))}.
 */
package dev.kiebot.core.ledger;
