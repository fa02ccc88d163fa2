package dev.kiebot.core.ledger;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * An account's four balances (TigerBeetle's model). Available for a credit-normal wallet is
 * {@code creditsPosted − debitsPosted − debitsPending}: money on hold is not spendable. Every sum is in minor units.
 *
 * @param account        the account
 * @param debitsPending  held from the account, not yet resolved
 * @param debitsPosted   moved out of it for good
 * @param creditsPending held for it, not yet resolved
 * @param creditsPosted  moved into it for good
 */
public record Balance(AccountId account, long debitsPending, long debitsPosted, long creditsPending,
                      long creditsPosted) {

    /**
     * The balance of an account nothing has moved yet.
     *
     * @param account the account
     * @return every sum 0
     */
    public static Balance zero(AccountId account) {
        return new Balance(account, 0, 0, 0, 0);
    }

    /**
     * What a wallet may spend now: posted credits less posted debits and money on hold.
     *
     * @return minor units; never below 0 for a wallet
     */
    public long available() {
        return creditsPosted - debitsPosted - debitsPending;
    }

    /**
     * Posted balance of a credit-normal account, ignoring holds.
     *
     * @return minor units
     */
    public long posted() {
        return creditsPosted - debitsPosted;
    }

    /**
     * This balance after one transfer (unchanged if the account is not involved).
     *
     * @param t          the transfer
     * @param holdAmount the resolved hold's amount when {@code t} resolves a hold, else ignored
     * @return the balance after it
     */
    public Balance after(Transfer t, long holdAmount) {
        long dPend = 0;
        long dPost = 0;
        switch (t.phase()) {
            case POSTED -> dPost = t.amount();
            case PENDING -> dPend = t.amount();
            case POST_PENDING -> {
                dPend = -holdAmount;
                dPost = t.amount();
            }
            case VOID_PENDING, EXPIRE_PENDING -> dPend = -holdAmount;
        }
        Balance b = this;
        if (t.debit().equals(account)) {
            b = new Balance(account, b.debitsPending + dPend, b.debitsPosted + dPost, b.creditsPending,
                    b.creditsPosted);
        }
        if (t.credit().equals(account)) {
            b = new Balance(account, b.debitsPending, b.debitsPosted, b.creditsPending + dPend,
                    b.creditsPosted + dPost);
        }
        return b;
    }

    /**
     * Recomputes an account's balance from its transfers alone (invariant 10: balance =
     * fold(entries)). {@code transfers} must contain every transfer touching the account.
     *
     * @param account   the account
     * @param transfers every transfer touching it, in the order recorded
     * @return its balance
     */
    public static Balance fold(AccountId account, Collection<Transfer> transfers) {
        Map<String, Long> holdAmounts = new HashMap<>();
        for (Transfer t : transfers) {
            if (t.phase() == Phase.PENDING) {
                holdAmounts.put(t.id(), t.amount());
            }
        }
        Balance b = zero(account);
        for (Transfer t : transfers) {
            long hold = t.pendingId().map(id -> holdAmounts.getOrDefault(id, 0L)).orElse(0L);
            b = b.after(t, hold);
        }
        return b;
    }
}
