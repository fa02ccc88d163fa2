package dev.kiebot.core.broadcast;

/** DRAFT (shown to the admin for confirmation) → QUEUED (being sent) → DONE; or DRAFT → CANCELLED (dropped), or QUEUED → CANCELLED (stopped). */
public enum BroadcastState {
    /** Shown to the admin, waiting for his confirmation. */
    DRAFT,
    /** Confirmed: its recipients are being messaged. */
    QUEUED,
    /** Every recipient has an outcome. */
    DONE,
    /** Dropped while a draft, or stopped by an admin while being sent (then it has recipients). */
    CANCELLED
}
