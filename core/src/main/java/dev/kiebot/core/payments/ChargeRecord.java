package dev.kiebot.core.payments;

/** What recording a Stars charge found; the store decides it atomically. */
public enum ChargeRecord {
    /** First sight: the charge is recorded, and its invoice is paid by it unless another charge paid it first. */
    NEW,
    /** The same charge again (a re-delivered update): nothing changed. */
    REPLAYED,
    /** This charge id was seen with other details. */
    CONFLICT
}
