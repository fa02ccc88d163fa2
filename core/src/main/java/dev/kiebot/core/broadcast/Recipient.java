package dev.kiebot.core.broadcast;

/**
 * One user a queued broadcast goes to.
 *
 * @param broadcastId the broadcast's number
 * @param userId      the user (his private chat has his id)
 */
public record Recipient(long broadcastId, long userId) {
}
