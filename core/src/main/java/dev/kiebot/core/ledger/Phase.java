package dev.kiebot.core.ledger;

/** What a transfer does to balances (TigerBeetle's transfer flags). */
public enum Phase {
    /** Single-phase: moves posted balances at once. */
    POSTED,
    /** Reserves the amount in pending balances until resolved. */
    PENDING,
    /** Resolves a pending transfer by posting (all or part of) its amount. */
    POST_PENDING,
    /** Resolves a pending transfer by releasing it. */
    VOID_PENDING,
    /** Resolves a pending transfer whose deadline passed by releasing it. */
    EXPIRE_PENDING;

    /**
     * True for the three phases that end a hold: such a transfer names it in {@code Transfer.pendingId}.
     *
     * @return true for {@link #POST_PENDING}, {@link #VOID_PENDING} and {@link #EXPIRE_PENDING}
     */
    public boolean resolvesHold() {
        return this == POST_PENDING || this == VOID_PENDING || this == EXPIRE_PENDING;
    }
}
