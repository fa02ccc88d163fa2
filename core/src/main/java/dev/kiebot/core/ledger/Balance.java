package dev.kiebot.core.ledger;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * An account's four balances (TigerBeetle's model). Available for a credit-normal wallet is
 * {@code creditsPosted − debitsPosted − debitsPending}: money on hold is not spendable.
 */
public record Balance(AccountId account, long debitsPending, long debitsPosted, long creditsPending,
                      long creditsPosted) {

    /** The balance of an account nothing has moved yet. */
    public static Balance zero(AccountId account) {
        return new Balance(account, 0, 0, 0, 0);
    }

    /** What a wallet may spend now: posted credits less posted debits and money on hold. */
    public long available() {
        return creditsPosted - debitsPosted - debitsPending;
    }

    /** Posted balance of a credit-normal account, ignoring holds. */
    public long posted() {
        return creditsPosted - debitsPosted;
    }

    /**
     * This balance after one transfer (unchanged if the account is not involved).
     *
     * @param holdAmount the resolved hold's amount when {@code t} resolves a hold, else ignored
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
