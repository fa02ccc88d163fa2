package dev.kiebot.core.conversation;

/**
 * What an inviter gets when a friend who came by his invitation link ({@link ReferralLink}) tops up with money for
 * the first time: {@code percent} of that top-up, at most {@code maxMinorUnits}, once per friend. Only money paid
 * counts (Stars, a card / SBP transfer an admin confirmed or recorded, a partner's provider), never a bonus, and the
 * bonus is taken back when that money goes back to the friend: inviting oneself from another account earns nothing
 * that was not paid for and kept.
 *
 * @param percent       share of the friend's first paid top-up, 0-100 (0: no invitations are offered)
 * @param maxMinorUnits the most one friend's top-up earns the inviter
 */
public record ReferralBonus(int percent, long maxMinorUnits) {
    /**
     * Checks the values.
     *
     * @param percent       0-100
     * @param maxMinorUnits above 0 when {@code percent} is
     * @throws IllegalArgumentException for a value out of range
     */
    public ReferralBonus {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("ReferralBonus: the inviter's share must be 0-100 %, was " + percent);
        }
        if (percent > 0 && maxMinorUnits <= 0) {
            throw new IllegalArgumentException("ReferralBonus: a share of " + percent + " % needs a cap above 0 "
                    + "minor units, was " + maxMinorUnits);
        }
    }

    /**
     * No invitations: no link is offered and nobody earns anything.
     *
     * @return 0 %, no cap
     */
    public static ReferralBonus none() {
        return new ReferralBonus(0, 0);
    }

    /**
     * Whether users are offered an invitation link.
     *
     * @return true for a share above 0
     */
    public boolean offered() {
        return percent > 0;
    }

    /**
     * The inviter's bonus for a friend's first paid top-up of {@code paidMinorUnits}: rounded down to a whole minor
     * unit, at most the cap; 0 when nothing is offered.
     *
     * @param paidMinorUnits what the friend paid, in minor units
     * @return the inviter's bonus, in minor units
     */
    public long of(long paidMinorUnits) {
        if (!offered() || paidMinorUnits <= 0) {
            return 0;
        }
        // multiplying first keeps a small top-up's kopecks; only an amount no top-up reaches would overflow
        long share = paidMinorUnits > Long.MAX_VALUE / 100 ? paidMinorUnits / 100 * percent
                : paidMinorUnits * percent / 100;
        return Math.min(share, maxMinorUnits);
    }
}
