package dev.kiebot.core.shop;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.Phase;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.HeldStarsRefund;
import dev.kiebot.core.payments.StarsCharge;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The part of a Stars refund Telegram reported that a hold kept when the report came (a running generation's, an
 * admin's refund of another charge). Booked as the shop's loss at the report, as before, it was lost twice when the
 * job then failed: the void gave the money back to the wallet, and the user kept money already returned to him in
 * Stars. Now the report books as loss only what was spent, and keeps what each pending hold owes
 * ({@link #owe}, {@code Payments.recordHeldRefund}); each resolution of the hold then settles it ({@link #settle}, in
 * the transaction of the void, the post or the expiry's follow-up): what the hold gives back to the wallet, up to what
 * it owes, goes to the Stars clearing account ({@code stars-held:<charge>:<hold>}, kind {@code STARS_REFUND}); what it
 * keeps (posted: the job delivered) is the shop's loss then ({@code stars-loss:<charge>:<hold>}). Either id is
 * booked once, so a settling run twice (the upkeep's sweep after the hook) moves nothing more.
 */
final class HeldStarsRefunds {
    private final Stores stores;
    private final Clock clock;

    HeldStarsRefunds(Stores stores, Clock clock) {
        this.stores = stores;
        this.clock = clock;
    }

    /** Taking back what a hold returned of a charge's refund: {@code stars-held:<charge>:<hold>} and its tries. */
    static TakeBack back(String chargeId, String holdId) {
        return new TakeBack("stars-held:" + chargeId + ":" + holdId);
    }

    /** The loss of what the hold kept (posted) of a charge's refund: {@code stars-loss:<charge>:<hold>}. */
    static String lossId(String chargeId, String holdId) {
        return StarsRefundAttempts.lossId(chargeId) + ":" + holdId;
    }

    /**
     * Keeps what the wallet's pending holds owe of a charge's refund, up to {@code remainder}: oldest hold first, each
     * up to its amount less what other charges' refunds are owed from it already.
     *
     * @return what the holds owe now; the rest of {@code remainder} was spent
     */
    long owe(StarsCharge charge, long remainder) {
        AccountId wallet = AccountId.wallet(charge.userId());
        Ledger ledger = stores.ledger();
        long left = remainder;
        for (Transfer t : ledger.transfers(wallet)) {
            if (left <= 0) {
                break;
            }
            if (t.phase() != Phase.PENDING || !wallet.equals(t.debit())
                    || ledger.holdState(t.id()).filter(s -> s == HoldState.PENDING).isEmpty()) {
                continue;
            }
            long owedAlready = stores.payments().heldRefundsOnHold(t.id()).stream()
                    .mapToLong(HeldStarsRefund::amount).sum();
            long owed = Math.min(left, t.amount() - owedAlready);
            if (owed > 0 && stores.payments().recordHeldRefund(new HeldStarsRefund(charge.chargeId(), t.id(),
                    charge.userId(), owed, clock.instant()))) {
                left -= owed;
            }
        }
        return remainder - left;
    }

    /**
     * The hold was resolved (or may have been): what it owes of refunds is settled. Nothing when nothing is owed or the
     * hold is still pending. Call it in the resolution's transaction where there is one.
     */
    void settle(String holdId) {
        List<HeldStarsRefund> owed = stores.payments().heldRefundsOnHold(holdId);
        if (owed.isEmpty()) {
            return;
        }
        Ledger ledger = stores.ledger();
        Optional<HoldState> state = ledger.holdState(holdId);
        if (state.isEmpty() || state.get() == HoldState.PENDING) {
            return;
        }
        long held = ledger.find(holdId).map(Transfer::amount).orElse(0L);
        long posted = state.get() == HoldState.POSTED
                ? ledger.find(Ledger.postId(holdId)).map(Transfer::amount).orElse(held) : 0;
        long returned = Math.max(0, held - posted);
        for (HeldStarsRefund o : owed) {
            long back = Math.min(o.amount(), returned);
            returned -= back;
            settle(o, back);
        }
    }

    private void settle(HeldStarsRefund o, long back) {
        Ledger ledger = stores.ledger();
        TakeBack take = back(o.chargeId(), o.holdId());
        String loss = lossId(o.chargeId(), o.holdId());
        if (take.done(ledger).isEmpty() && ledger.find(loss).isEmpty()) {
            // the hold gave the wallet at least back in this transaction; a debit racing it leaves less, lost too
            long taken = back <= 0 ? 0 : take.take(ledger, AccountId.wallet(o.userId()), AccountId.STARS_CLEARING,
                    back, TransferKind.STARS_REFUND).filter(t -> t.result().succeeded()).map(TakeBack.Try::amount)
                    .orElse(0L);
            long lost = o.amount() - taken;
            if (lost > 0) {
                LedgerResult r = ledger.transfer(loss, AccountId.STARS_REFUND_LOSS, AccountId.STARS_CLEARING, lost,
                        TransferKind.STARS_REFUND_LOSS);
                if (!r.succeeded()) {
                    throw new IllegalStateException("the ledger refused the loss of Stars refund " + o.chargeId()
                            + " held by " + o.holdId() + ": " + r);
                }
            }
        }
        stores.payments().heldRefundSettled(o.chargeId(), o.holdId());
    }

    /**
     * Settles up to {@code limit} records whose hold was resolved without settling them (by a build before this one,
     * or a process stopped between a hold's expiry and its settling), each hold in a transaction of its own.
     *
     * @return how many holds were settled
     */
    int sweep(int limit) {
        int settled = 0;
        for (String hold : stores.payments().openHeldRefunds(limit).stream().map(HeldStarsRefund::holdId)
                .distinct().toList()) {
            if (stores.ledger().holdState(hold).filter(s -> s != HoldState.PENDING).isPresent()) {
                stores.transactions().inOne(() -> {
                    settle(hold);
                    return null;
                });
                settled++;
            }
        }
        return settled;
    }
}
