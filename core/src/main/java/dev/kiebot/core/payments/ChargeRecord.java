package dev.kiebot.core.payments;

/** What recording a Stars charge found; the store decides it atomically. */
public enum ChargeRecord {
    /** First sight: the charge is recorded and its invoice is now paid by it. */
    NEW,
    /** The same charge again (a re-delivered update): nothing changed. */
    REPLAYED,
    /** The invoice was already paid by another charge, or this charge id was seen with other details. */
    CONFLICT
}
