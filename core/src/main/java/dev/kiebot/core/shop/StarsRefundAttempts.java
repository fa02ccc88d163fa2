package dev.kiebot.core.shop;

import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.Transfer;
import java.util.Optional;

/**
 * How the ledger remembers the refund of one Stars charge, so that it is taken from the wallet at most once
 * whoever starts it. An admin's refund is a hold {@code stars-refund:<charge>#<n>} (then posted, or voided when
 * Telegram refused): a voided attempt leaves the charge refundable, and the next attempt takes the next
 * number, at most {@value #ATTEMPTS_MAX}. A refund Telegram reports by itself is the single transfer
 * {@code stars-refund:<charge>} (or {@code ~2}, {@code ~3} after it: {@link TakeBack}), and what the wallet no longer
 * held of it the transfer {@code stars-loss:<charge>} ({@link #lossId}). Any of them posted means the charge is
 * refunded: a report that found the wallet empty took nothing, and its loss transfer alone says the charge went back,
 * so that neither a second report nor an admin's refund takes the user's next top-up for it. What running holds kept
 * at the report is owed from them ({@link HeldStarsRefunds}, kept by the Stars store), and says so as well.
 */
final class StarsRefundAttempts {
    static final int ATTEMPTS_MAX = 5;

    private StarsRefundAttempts() {
    }

    static String holdId(String chargeId, int attempt) {
        return reportedId(chargeId) + "#" + attempt;
    }

    /** The charge whose admin's attempt a hold is ({@link #holdId}); empty for any other hold (a job's). */
    static Optional<String> chargeOfHold(String holdId) {
        String prefix = reportedId("");
        int attempt = holdId.lastIndexOf('#');
        return holdId.startsWith(prefix) && attempt > prefix.length()
                ? Optional.of(holdId.substring(prefix.length(), attempt)) : Optional.empty();
    }

    /** The transfer of a refund Telegram reported without an admin's attempt (its first try). */
    static String reportedId(String chargeId) {
        return "stars-refund:" + chargeId;
    }

    /**
     * Taking a reported refund's money back, under {@link #reportedId} and the tries after it ({@link TakeBack}: an
     * admin's {@code /debit_user} or another charge's refund hold between the read and the transfer).
     */
    static TakeBack reported(String chargeId) {
        return new TakeBack(reportedId(chargeId));
    }

    /**
     * The transfer booking what a reported refund could not take back ({@code TransferKind.STARS_REFUND_LOSS}): one
     * per charge, whatever the wallet held.
     */
    static String lossId(String chargeId) {
        return "stars-loss:" + chargeId;
    }

    /**
     * The charge a loss transfer's id names: {@link #lossId}, or a hold's share of it
     * ({@code HeldStarsRefunds.lossId}: {@code stars-loss:<charge>:<hold>}; a Telegram charge id has no ':').
     *
     * @return empty when {@code id} is no loss transfer's
     */
    static Optional<String> chargeOfLoss(String id) {
        String prefix = lossId("");
        if (!id.startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = id.substring(prefix.length());
        int hold = rest.indexOf(':');
        return Optional.of(hold < 0 ? rest : rest.substring(0, hold));
    }

    /**
     * Whether Telegram's report of the refund was recorded: something taken back, the loss of what was spent, or what
     * running holds owe of it ({@link HeldStarsRefunds}: a report that found all of it held moved nothing yet).
     */
    static boolean reportedBefore(Stores stores, String chargeId) {
        Ledger ledger = stores.ledger();
        return reported(ledger, chargeId).isPresent() || ledger.find(lossId(chargeId)).isPresent()
                || !stores.payments().heldRefundsOfCharge(chargeId).isEmpty();
    }

    /** The transfer that took a reported refund's money, whichever try it was; empty when none did. */
    static Optional<Transfer> reported(Ledger ledger, String chargeId) {
        return reported(chargeId).done(ledger);
    }

    /** Where the refund of a charge stands. */
    sealed interface Status {
        /** Taken from the wallet already: {@code amount} minor units. */
        record Refunded(long amount) implements Status {
        }

        /** An attempt holds the money while Telegram is asked. */
        record InProgress(String holdId) implements Status {
        }

        /**
         * Not refunded; the next attempt is number {@code attempt}, the first holding nothing (a number refused
         * before holds nothing as well: the attempt skips it), {@link #ATTEMPTS_MAX} + 1 when every one was used.
         */
        record Open(int attempt) implements Status {
        }
    }

    /**
     * Every number is looked at, not only those up to the first that holds nothing: a number whose hold the ledger
     * refused (too little money at that moment) holds nothing either, and the attempt after it took the next number.
     */
    static Status of(Stores stores, String chargeId) {
        Ledger ledger = stores.ledger();
        Optional<Transfer> reported = reported(ledger, chargeId);
        if (reported.isPresent()) {
            return new Status.Refunded(reported.get().amount());
        }
        if (ledger.find(lossId(chargeId)).isPresent() || !stores.payments().heldRefundsOfCharge(chargeId).isEmpty()) {
            // reported when the wallet held nothing of it: spent (the shop's loss) or owed by running holds
            return new Status.Refunded(0);
        }
        int open = ATTEMPTS_MAX + 1;
        for (int n = 1; n <= ATTEMPTS_MAX; n++) {
            String hold = holdId(chargeId, n);
            Optional<HoldState> state = ledger.holdState(hold);
            if (state.isEmpty()) {
                open = Math.min(open, n);
                continue;
            }
            switch (state.get()) {
                case POSTED -> {
                    return new Status.Refunded(ledger.find(Ledger.postId(hold)).map(Transfer::amount).orElse(0L));
                }
                case PENDING -> {
                    return new Status.InProgress(hold);
                }
                case VOIDED, EXPIRED -> {
                    // refused or abandoned: the next number may try again
                }
            }
        }
        return new Status.Open(open);
    }

    /** Posts an attempt's hold in full. @return whether the hold is posted now (by this call or before) */
    static boolean post(Ledger ledger, String holdId) {
        return posted(postNow(ledger, holdId));
    }

    /** Posts an attempt's hold in full. @return the ledger's answer: Created only when this call posted it */
    static LedgerResult postNow(Ledger ledger, String holdId) {
        long amount = ledger.find(holdId).map(Transfer::amount).orElse(0L);
        return ledger.post(Ledger.postId(holdId), holdId, amount);
    }

    /** Whether a post's answer says the hold is posted (by that request or before). */
    static boolean posted(LedgerResult r) {
        return r.succeeded() || (r instanceof LedgerResult.Rejected rej
                && rej.reason() == LedgerResult.Reason.ALREADY_POSTED);
    }
}
