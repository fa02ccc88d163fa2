package dev.kiebot.core.conversation;

import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * The start parameter of a user's invitation link ({@code https://t.me/<bot>?start=r_…}): a friend who opens the bot by
 * it for the first time is recorded as invited by that user ({@code Users.setReferrer}). The parameter holds the
 * user's invitation code ({@code Users.inviteCode}), random and kept, not his Telegram id: a link posted in public
 * tells nobody who he is. The code gives nothing else: the bonus goes to the inviter only when the friend pays, and
 * nobody can be invited twice.
 */
public final class ReferralLink {
    static final String PREFIX = "r_";
    /** Characters of a code: 36^8, about 2.8 trillion codes, none guessed by trying. */
    public static final int CODE_CHARS = 8;
    private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static final Pattern CODE = Pattern.compile("[0-9a-z]{" + CODE_CHARS + "}");

    private ReferralLink() {
    }

    /**
     * A new random code (the store keeps it only if no other user has it).
     *
     * @param random where the characters come from: a secure generator, so that codes cannot be foreseen
     * @return {@value #CODE_CHARS} characters of {@code 0-9 a-z}
     */
    public static String newCode(RandomGenerator random) {
        StringBuilder code = new StringBuilder(CODE_CHARS);
        for (int i = 0; i < CODE_CHARS; i++) {
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    /**
     * The start parameter of the link with this code.
     *
     * @param code an invitation code as {@link #newCode} makes them
     * @return {@code r_} and the code
     * @throws IllegalArgumentException for anything else
     */
    public static String parameter(String code) {
        if (!CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("an invitation code is " + CODE_CHARS + " characters of 0-9 a-z, got '"
                    + code + "'");
        }
        return PREFIX + code;
    }

    /**
     * Whether {@code parameter} is meant as an invitation link's: {@code r_} and anything, a code of its form or not
     * (one cut short when copied is still a link the user took for an invitation).
     *
     * @param parameter what {@code /start} came with, stripped
     * @return true when it begins with {@code r_}
     */
    public static boolean meant(String parameter) {
        return parameter.startsWith(PREFIX);
    }

    /**
     * The invitation code {@code parameter} holds; empty for any other start parameter.
     *
     * @param parameter what {@code /start} came with
     * @return the code, not yet known to belong to anybody
     */
    public static Optional<String> code(String parameter) {
        if (!parameter.startsWith(PREFIX) || !CODE.matcher(parameter.substring(PREFIX.length())).matches()) {
            return Optional.empty();
        }
        return Optional.of(parameter.substring(PREFIX.length()));
    }
}
