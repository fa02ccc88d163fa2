package dev.kiebot.core.users;

import java.time.Instant;
import java.util.Optional;

/**
 * A Telegram user known to the bot.
 *
 * @param languageCode     Telegram's language code at the last update
 * @param languageOverride set by /language; wins over {@code languageCode}
 * @param termsAccepted    /terms accepted (required before the first purchase)
 * @param blocked          the user blocked the bot; nothing is sent until they come back
 * @param ban              an admin closed the bot to the user ({@code /ban}); empty when it is open to him
 */
public record User(long id, String firstName, Optional<String> username, Optional<String> languageCode,
                   Optional<String> languageOverride, boolean termsAccepted, boolean blocked, Optional<Ban> ban,
                   Instant createdAt) {

    /** ru unless the user's client or choice says English-or-other; only ru and en exist. */
    public String language() {
        return languageOf(languageOverride.or(() -> languageCode));
    }

    /** The language for a Telegram {@code language_code} alone: for someone the shop does not record (a group). */
    public static String languageOf(Optional<String> languageCode) {
        String code = languageCode.orElse("ru");
        return code.startsWith("ru") || code.startsWith("uk") || code.startsWith("be") || code.startsWith("kk")
                ? "ru" : "en";
    }
}
