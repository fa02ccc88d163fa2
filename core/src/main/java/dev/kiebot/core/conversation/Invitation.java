package dev.kiebot.core.conversation;

/**
 * What came of the invitation link ({@link ReferralLink}, {@code /start r_…}, its first word) an update came by, as the
 * shop found it while handling that update ({@link Context#invitation()}): what the welcome says above itself.
 */
public enum Invitation {
    /**
     * No invitation link, a shop that offers no invitations (it has no link to be valid or not), or a context that
     * does not tell: the plain welcome.
     */
    NONE,
    /** A new user, by a link whose code is some user's: recorded as invited. */
    TAKEN,
    /** A new user, by a link whose code is nobody's, or cut short: said above the welcome that it is not valid. */
    NOT_VALID,
    /**
     * A user the shop knew before this update, by any invitation link, valid or not: only a new user is invited, so
     * the link gives nothing whoever's it is, and the welcome says so, the same above both.
     */
    NOT_NEW
}
