package dev.kiebot.core.intake;

/**
 * An update as it arrives, before it is recorded.
 *
 * @param payload the raw update JSON as Telegram sent it
 */
public record ArrivedUpdate(long updateId, long chatId, String payload) {
}
