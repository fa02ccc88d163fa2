package dev.kiebot.core.intake;

/**
 * An update as it arrives, before it is recorded.
 *
 * @param updateId the platform's id of the update
 * @param chatId   its chat
 * @param payload  the raw update JSON as Telegram sent it
 */
public record ArrivedUpdate(long updateId, long chatId, String payload) {
}
