package dev.kiebot.core.broadcast;

/** DRAFT (shown to the admin for confirmation) → QUEUED (being sent) → DONE; or DRAFT → CANCELLED. */
public enum BroadcastState {
    DRAFT, QUEUED, DONE, CANCELLED
}
