package dev.kiebot.core.ledger;

/** Where a hold stands; it leaves PENDING exactly once. */
public enum HoldState {
    PENDING, POSTED, VOIDED, EXPIRED;

    /** The state a resolving transfer of this phase leaves its hold in. */
    public static HoldState of(Phase resolution) {
        return switch (resolution) {
            case POST_PENDING -> POSTED;
            case VOID_PENDING -> VOIDED;
            case EXPIRE_PENDING -> EXPIRED;
            case POSTED, PENDING -> throw new IllegalArgumentException(resolution + " does not resolve a hold");
        };
    }
}
