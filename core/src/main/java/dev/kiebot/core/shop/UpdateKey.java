package dev.kiebot.core.shop;

/**
 * The key under which a store makes a user's card / SBP request or support ticket once, however often the update that
 * asked for it is handled: the update and its user. The update's id alone names no user: Telegram numbers a bot's
 * updates afresh after a week without any (from a random number), and so does another bot token on the same
 * database. Keyed by the id alone, a request found under another user's update showed this user that user's amount
 * and reference to pay to, and a ticket reached the admins with that user's words under this user's name.
 */
final class UpdateKey {
    private UpdateKey() {
    }

    static String of(long updateId, long userId) {
        return "upd:" + updateId + ":" + userId;
    }
}
