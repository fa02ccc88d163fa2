package dev.kiebot.core.ledger;

/** Where a hold stands; it leaves PENDING exactly once. */
public enum HoldState {
    /** Not resolved yet: the amount is reserved, neither spent nor available. */
    PENDING,
    /** Charged ({@link Ledger#post}): all or part of the amount moved, the rest was released. */
    POSTED,
    /** Released ({@link Ledger#voidHold}): the job failed or was cancelled. */
    VOIDED,
    /** Released at its deadline ({@link Ledger#expire}): nothing resolved it in time. */
    EXPIRED;

    /**
     * The state a resolving transfer of this phase leaves its hold in.
     *
     * @param resolution a phase that resolves a hold
     * @return POSTED, VOIDED or EXPIRED
     * @throws IllegalArgumentException for a phase that resolves no hold
     */
    public static HoldState of(Phase resolution) {
        return switch (resolution) {
            case POST_PENDING -> POSTED;
            case VOID_PENDING -> VOIDED;
            case EXPIRE_PENDING -> EXPIRED;
            case POSTED, PENDING -> throw new IllegalArgumentException(resolution + " does not resolve a hold");
        };
    }
}
