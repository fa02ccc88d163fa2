package dev.kiebot.core.shop;

import java.math.BigInteger;

/**
 * The part of an invitation bonus that goes back with the payment that earned it: as much of the bonus as the
 * payment's refunds gave back of the payment, in all, rounded up (the shop's favour), never more than the bonus. A
 * partner refunding $1 of a $50 first top-up (a fee adjustment) takes back 2 % of the bonus, not all of it; the rest
 * goes back with the refunds that follow, each the increase it makes.
 *
 * @param paid     the payment, in minor units, above 0
 * @param refunded what its refunds gave back in all so far, this one included, in minor units (what each was due,
 *                 as {@code ExternalRefundDues} keeps it, whether or not the wallet had it)
 */
record BonusShare(long paid, long refunded) {
    BonusShare {
        if (paid <= 0 || refunded < 0) {
            throw new IllegalArgumentException("paid " + paid + " must be above 0, refunded " + refunded
                    + " not below 0");
        }
    }

    /** Whether the payment's refunds gave all of it back. */
    boolean whole() {
        return refunded >= paid;
    }

    /**
     * What of {@code bonus} goes back in all: {@code bonus × refunded ÷ paid}, rounded up, at most the bonus.
     * Computed without overflow: both factors may be large sums of minor units.
     */
    long of(long bonus) {
        if (whole()) {
            return bonus;
        }
        BigInteger[] qr = BigInteger.valueOf(bonus).multiply(BigInteger.valueOf(refunded))
                .divideAndRemainder(BigInteger.valueOf(paid));
        long share = qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
        return Math.min(bonus, share);
    }
}
