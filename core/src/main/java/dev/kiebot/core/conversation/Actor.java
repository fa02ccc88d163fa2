package dev.kiebot.core.conversation;

import java.util.Optional;

/**
 * Who sent an update and where to answer.
 *
 * @param userId       the user's id ({@code from.id}): their wallet, history and limits are keyed by it
 * @param chatId       the chat the update came from ({@code chat.id}): answers go there; in a private chat, the
 *                     user's id again
 * @param firstName    the user's first name, as the platform gives it (shown to admins)
 * @param username     the user's {@code @username} without the {@code @}, if they have one
 * @param languageCode Telegram's {@code language_code}, if the client sent one
 */
public record Actor(long userId, long chatId, String firstName, Optional<String> username,
                    Optional<String> languageCode) {

    /** Last 4 digits only: user ids are personal data and never logged in full. */
    public static String mask(long id) {
        String s = Long.toString(Math.abs(id));
        return s.length() <= 4 ? "***" + s : "***" + s.substring(s.length() - 4);
    }
}
