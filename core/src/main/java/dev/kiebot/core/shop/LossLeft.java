package dev.kiebot.core.shop;

import dev.kiebot.core.ledger.Transfer;
import java.util.List;
import java.util.Optional;

/**
 * What a refund of a job may send back against one Stars refund's loss ({@code stars-loss:<charge>} or
 * {@code stars-loss:<charge>:<hold>}): the loss less what refunds of other jobs sent back against it already
 * ({@link HeldStarsRefunds#lossBackId}), never below nothing, so that the reversals of one loss never come to more
 * than was lost (the loss account would then say the shop gained on a refund). A reversal this job's refund made
 * already is taken again as it was, whatever is left: the same request replayed (a refund of the same job that
 * waited for this one's turn) moves nothing more. The reversals must be read once the loss is the refund's alone
 * ({@code HeldStarsRefunds.giveBackAgainstLoss} takes its turn first): read before, a refund of another job committed
 * meanwhile is not among them.
 *
 * @param left what is left of the loss for this job, minor units
 * @param mine what this job's refund sent back against it already, when it did
 */
record LossLeft(long left, Optional<Long> mine) {
    /**
     * @param loss       the loss booked
     * @param reversals  the transfers sent back against Stars refunds' losses (any loss; the others are skipped)
     * @param reversalId this job's reversal of {@code loss} ({@link HeldStarsRefunds#lossBackId})
     */
    static LossLeft of(Transfer loss, List<Transfer> reversals, String reversalId) {
        String suffix = ":" + loss.id();
        long others = 0;
        Optional<Long> mine = Optional.empty();
        for (Transfer t : reversals) {
            if (t.id().equals(reversalId)) {
                mine = Optional.of(t.amount());
            } else if (t.id().endsWith(suffix)) {
                others += t.amount();
            }
        }
        return new LossLeft(Math.max(0, loss.amount() - others), mine);
    }

    /**
     * @param wanted what is still to give back of the job's refund
     * @return what to send back against this loss: this job's reversal when there is one, else as much of
     *         {@code wanted} as is left
     */
    long take(long wanted) {
        return mine.orElseGet(() -> Math.min(wanted, left));
    }
}
