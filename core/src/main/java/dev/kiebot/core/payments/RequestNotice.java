package dev.kiebot.core.payments;

/**
 * An admin's notice of a card / SBP request, as {@link ManualTopUps#forgetNotices} hands back the ones it forgot: the
 * shop then forgets that admin's message about the request too (the outbox's tagged message).
 *
 * @param requestId the request's number
 * @param chatId    the admin's chat, where the request's message was sent
 */
public record RequestNotice(long requestId, long chatId) {
}
