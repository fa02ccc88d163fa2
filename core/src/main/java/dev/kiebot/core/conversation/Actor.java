package dev.kiebot.core.conversation;

import java.util.Optional;

/**
 * Who sent an update and where to answer.
 *
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
