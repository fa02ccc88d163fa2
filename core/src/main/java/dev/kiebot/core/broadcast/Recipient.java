package dev.kiebot.core.broadcast;

/** One user a queued broadcast goes to. */
public record Recipient(long broadcastId, long userId) {
}
