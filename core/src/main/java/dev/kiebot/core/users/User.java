package dev.kiebot.core.users;

import java.time.Instant;
import java.util.Optional;

/**
 * A Telegram user known to the bot.
 *
 * @param id               the user's id on the platform: his wallet is {@code wallet:<id>}
 * @param firstName        as the platform gave it at the last update, on one line ({@code Actor.shownName})
 * @param username         his {@code @username} without the {@code @}, if he has one
 * @param languageCode     Telegram's language code at the last update
 * @param languageOverride set by /language; wins over {@code languageCode}
 * @param termsAccepted    /terms accepted (required before the first purchase)
 * @param blocked          the user blocked the bot; nothing is sent until they come back
 * @param ban              an admin closed the bot to the user ({@code /ban}); empty when it is open to him
 * @param createdAt        when the bot first saw him
 */
public record User(long id, String firstName, Optional<String> username, Optional<String> languageCode,
                   Optional<String> languageOverride, boolean termsAccepted, boolean blocked, Optional<Ban> ban,
                   Instant createdAt) {

    /**
     * ru unless the user's client or choice says English-or-other; only ru and en exist.
     *
     * @return {@code ru} or {@code en}
     */
    public String language() {
        return languageOf(languageOverride.or(() -> languageCode));
    }

    /**
     * The language for a Telegram {@code language_code} alone: for someone the shop does not record (a group).
     *
     * @param languageCode the client's code, if it sent one
     * @return {@code ru} for Russian, Ukrainian, Belarusian, Kazakh or none; {@code en} for any other
     */
    public static String languageOf(Optional<String> languageCode) {
        String code = languageCode.orElse("ru");
        return code.startsWith("ru") || code.startsWith("uk") || code.startsWith("be") || code.startsWith("kk")
                ? "ru" : "en";
    }
}
