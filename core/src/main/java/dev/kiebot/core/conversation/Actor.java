package dev.kiebot.core.conversation;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who sent an update and where to answer.
 *
 * @param userId       the user's id ({@code from.id}): their wallet, history and limits are keyed by it
 * @param chatId       the chat the update came from ({@code chat.id}): answers go there; in a private chat, the
 *                     user's id again
 * @param firstName    the user's first name as the platform gives it, less what could fake a line of a message it
 *                     is shown in ({@link #shownName}): admins read it next to amounts
 * @param username     the user's {@code @username} without the {@code @}, if they have one
 * @param languageCode Telegram's {@code language_code}, if the client sent one
 */
public record Actor(long userId, long chatId, String firstName, Optional<String> username,
                    Optional<String> languageCode) {
    /**
     * Line and paragraph breaks, other control characters, and the marks that change the direction of the text after
     * them. A name is written by its user and shown to admins above a request's amount ("User: {name}", then
     * "Amount: …"); with these, a name could start a line of its own (a line separator, then "Amount: 10 000 ₽") or
     * turn the text after it around. Letters, emoji and their joiners stay.
     */
    private static final Pattern UNSHOWABLE =
            Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]+");

    public Actor {
        Objects.requireNonNull(firstName, "firstName: \"\" when the platform gives none");
        Objects.requireNonNull(username, "username: Optional.empty() when the user has none");
        Objects.requireNonNull(languageCode, "languageCode: Optional.empty() when the client sent none");
        firstName = shownName(firstName);
    }

    /** {@code name} as it may be shown: what {@link #UNSHOWABLE} names becomes one space. */
    public static String shownName(String name) {
        return UNSHOWABLE.matcher(name).replaceAll(" ").strip();
    }

    /** Last 4 digits only: user ids are personal data and never logged in full. */
    public static String mask(long id) {
        String s = Long.toString(Math.abs(id));
        return s.length() <= 4 ? "***" + s : "***" + s.substring(s.length() - 4);
    }
}
