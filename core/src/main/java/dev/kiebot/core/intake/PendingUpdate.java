package dev.kiebot.core.intake;

/**
 * An update recorded durably before it is handled.
 *
 * @param payload the raw update JSON as Telegram sent it
 */
public record PendingUpdate(long updateId, long chatId, String payload) {
}
