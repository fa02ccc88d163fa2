package dev.kiebot.core.users;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Persistence of users (port). The writes are made inside the caller's transaction ({@code Transactions.inOne}) and
 * are undone with it: an update's {@link #seen} and what its effects set commit together. One user's updates are
 * handled one at a time (their chat is claimed), but a reply sender marks a user blocked ({@link #setBlocked}) from
 * its own thread meanwhile: each write changes only its own fields, never a whole user read before.
 */
public interface Users {
    /**
     * Creates the user on first sight, otherwise refreshes name/username/language code (a language code not given
     * keeps the stored one), atomically per id (PostgreSQL: {@code INSERT … ON CONFLICT DO UPDATE … RETURNING}):
     * of racing first sights, one creates and the others refresh.
     *
     * @param id           the user's id on the platform
     * @param firstName    as the update gave it
     * @param username     as the update gave it; empty clears a username the user removed
     * @param languageCode as the update gave it; empty keeps the stored one
     * @param now          the shop's clock's instant: the new user's {@code createdAt}
     * @return the stored user and whether it was created by this call (the shop then credits the welcome bonus, which
     *         the ledger also keys by user, so it is paid once whatever this says)
     */
    Seen seen(long id, String firstName, Optional<String> username, Optional<String> languageCode, Instant now);

    /**
     * What {@link #seen} answers: the user as stored now, and whether this call created him.
     *
     * @param user    the user as stored after the call
     * @param created true only for the call that created him
     */
    record Seen(User user, boolean created) {
    }

    /**
     * The stored user, or empty for one the bot has never seen.
     *
     * @param id the user's id
     * @return the user as stored
     */
    Optional<User> find(long id);

    /**
     * The language to write to a user in: his own, or Russian for one the bot has not met (an admin named in the
     * settings who never wrote to it). A default because it is sound: it reads {@link #find}, as a store would.
     *
     * @param id the user's id
     * @return {@code ru} or {@code en}
     */
    default String languageOf(long id) {
        return find(id).map(User::language).orElse("ru");
    }

    /**
     * Stores the language the user chose ({@code ru} or {@code en}) as his override, which wins over the language code
     * Telegram reports; a user not stored is left so (no error).
     *
     * @param id       the user's id
     * @param language {@code ru} or {@code en}
     */
    void setLanguage(long id, String language);

    /**
     * Records that the user accepted the terms ({@code User.termsAccepted}); a user not stored is left so.
     *
     * @param id the user's id
     */
    void acceptTerms(long id);

    /**
     * Marks the user as having blocked the bot (a send was refused as blocked), or not (he wrote again); a user not
     * stored is left so. Called from a reply sender's thread too: change this field only.
     *
     * @param id      the user's id
     * @param blocked true when a send was refused as blocked, false when he wrote again
     */
    void setBlocked(long id, boolean blocked);

    /**
     * Closes the bot to the user ({@code /ban}), or opens it again with an empty ban; a user not stored is left so.
     *
     * @param id  the user's id
     * @param ban the ban, or empty to lift it
     */
    void setBan(long id, Optional<Ban> ban);

    /**
     * Records that {@code referrerId}'s invitation link brought this user, unless he has a referrer already: the first
     * link a user followed is the one that counts. Left so: a user not stored, a referrer not stored, a user as his
     * own referrer. The shop calls it in the transaction that created the user, and only then.
     *
     * @param id         the new user
     * @param referrerId the user whose link he followed
     * @return whether this call recorded it
     */
    boolean setReferrer(long id, long referrerId);

    /**
     * The user whose invitation link brought this one, if any ({@link #setReferrer}).
     *
     * @param id the user's id
     * @return the referrer's id
     */
    Optional<Long> referrerOf(long id);

    /**
     * How many users this one's invitation link brought.
     *
     * @param referrerId the inviting user
     * @return how many users have him as referrer
     */
    long countInvited(long referrerId);

    /**
     * The user's invitation code ({@code ReferralLink}), once one was kept for him.
     *
     * @param id the user's id
     * @return the code
     */
    Optional<String> inviteCode(long id);

    /**
     * Keeps {@code code} as the user's invitation code, unless he has one or another user has this one; a user not
     * stored is left so.
     *
     * @param id   the user's id
     * @param code a new code ({@code ReferralLink.newCode})
     * @return whether this call kept it
     */
    boolean setInviteCode(long id, String code);

    /**
     * The user whose invitation code this is.
     *
     * @param code a code from a link's start parameter
     * @return the user's id; empty for a code nobody has
     */
    Optional<Long> byInviteCode(String code);

    /**
     * Every stored user, blocked and banned ones included (the admins' figures).
     *
     * @return how many
     */
    long count();

    /**
     * Users who have not blocked the bot and whom no admin banned: a broadcast's audience.
     *
     * @return how many
     */
    long countActive();

    /**
     * Users whose id, username or first name contains {@code query}, newest first.
     *
     * @param query what an admin typed ({@code /find})
     * @param limit the most to return
     * @return the users, newest first
     */
    List<User> search(String query, int limit);

    /**
     * Active (neither blocked nor banned) user ids after {@code afterId}, ascending, for broadcasts in pages.
     *
     * @param afterId the last id of the previous page; 0 for the first
     * @param limit   the most to return
     * @return ids, ascending
     */
    List<Long> activeIds(long afterId, int limit);
}
