package dev.kiebot.core.payments;

/** The message an admin got about a request: edited on every admin's side when one of them decides. */
public record AdminNotice(long chatId, int messageId) {
}
