package dev.kiebot.core.payments;

/**
 * An admin who was told about a request. Their message is the outbox's tagged message for the request, so it is
 * edited on every told admin's side when one of them decides — and nobody is told first about a closed request.
 *
 * @param chatId the admin's chat, where the request's message was sent
 */
public record AdminNotice(long chatId) {
}
