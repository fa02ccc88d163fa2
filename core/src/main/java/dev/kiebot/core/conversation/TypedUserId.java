package dev.kiebot.core.conversation;

import java.util.Optional;

/**
 * A user's id as an admin types it after a command ({@code /ban 1150000000000000042}) or as core wrote it into a
 * button: up to 19 digits, as a Discord user's id has had since 2022 (Telegram's have 10 at most), the most a
 * {@code long} holds. Digits past {@link Long#MAX_VALUE} have the form and name no user: {@link #read} finds none
 * there, so the admin is told there is no such user, not the command's usage, and nothing throws.
 *
 * <p>Not partner API: it may change or go in any release without a line in the CHANGELOG, and a partner's code has no
 * use for it (your adapter gives ids as {@code long}s). It is public only because Java has no visibility between two
 * packages short of {@code public}, and two of core's read ids with it: the conversation's buttons and money
 * confirmations here, and the shop's admin desks in {@code dev.kiebot.core.shop} ({@code /ban}, {@code /topup_user},
 * {@code /find}, {@code /refund_stars}, an invitation's code). It cannot live in the shop's package (the conversation
 * never imports the shop), and a copy in each package could read the same digits as two different ids. So it stays
 * here, listed apart under "Not partner API" in the architecture module's {@code core-public-types.txt}, as this
 * package's {@code package-info} says.
 */
public final class TypedUserId {
    private static final int DIGITS_MAX = 19;

    private TypedUserId() {
    }

    /**
     * Whether {@code typed} is written as an id: 1 to 19 digits, nothing else.
     *
     * @param typed what was typed, stripped
     * @return true for digits an id could be, also one past {@link Long#MAX_VALUE}
     */
    public static boolean hasItsForm(String typed) {
        if (typed.isEmpty() || typed.length() > DIGITS_MAX) {
            return false;
        }
        for (int i = 0; i < typed.length(); i++) {
            char c = typed.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * The id {@code typed} writes.
     *
     * @param typed what was typed, stripped
     * @return the id; empty for anything not of {@link #hasItsForm the form}, and for digits past
     *         {@link Long#MAX_VALUE}
     */
    public static Optional<Long> read(String typed) {
        if (!hasItsForm(typed)) {
            return Optional.empty();
        }
        long id = 0;
        for (int i = 0; i < typed.length(); i++) {
            int digit = typed.charAt(i) - '0';
            if (id > (Long.MAX_VALUE - digit) / 10) {
                return Optional.empty();
            }
            id = id * 10 + digit;
        }
        return Optional.of(id);
    }
}
