package dev.kiebot.core.conversation;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The start parameter of a user's invitation link ({@code https://t.me/<bot>?start=r_…}): a friend who opens the bot by
 * it for the first time is recorded as invited by that user ({@code Users.setReferrer}). The parameter is the inviter's
 * Telegram id in base 36, so the link says whose it is to whoever holds it (as any {@code ref_<id>} link does); it gives
 * nothing else: the bonus goes to the inviter only when the friend pays, and nobody can be invited twice.
 */
public final class ReferralLink {
    static final String PREFIX = "r_";
    /** Base 36 of a positive long: at most 13 characters; anything else is not one of these links. */
    private static final Pattern ID = Pattern.compile("[0-9a-z]{1,13}");

    private ReferralLink() {
    }

    /** The start parameter of {@code userId}'s invitation link. */
    public static String parameter(long userId) {
        if (userId <= 0) {
            throw new IllegalArgumentException("an invitation link is a user's, whose Telegram id is positive; got "
                    + userId);
        }
        return PREFIX + Long.toString(userId, 36);
    }

    /** The inviter {@code parameter} names; empty for any other start parameter. */
    public static Optional<Long> inviter(String parameter) {
        if (!parameter.startsWith(PREFIX) || !ID.matcher(parameter.substring(PREFIX.length())).matches()) {
            return Optional.empty();
        }
        try {
            long id = Long.parseLong(parameter.substring(PREFIX.length()), 36);
            return id > 0 ? Optional.of(id) : Optional.empty();
        } catch (NumberFormatException tooLong) {
            return Optional.empty();
        }
    }
}
