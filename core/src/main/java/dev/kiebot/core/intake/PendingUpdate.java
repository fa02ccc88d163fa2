package dev.kiebot.core.intake;

import java.time.Instant;

/**
 * An update recorded durably before it is handled.
 *
 * @param updateId   the platform's id of the update
 * @param chatId     its chat, which is handled one update at a time
 * @param payload    the raw update JSON as Telegram sent it
 * @param recordedAt when it came in: a button press older than Telegram's answer window is not answered
 */
public record PendingUpdate(long updateId, long chatId, String payload, Instant recordedAt) {
}
