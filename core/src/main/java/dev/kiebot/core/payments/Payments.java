package dev.kiebot.core.payments;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Persistence of invoices, Stars charges and the Stars payments that credited nothing (port). The refund of an
 * uncredited payment moves by compare-and-set only, so Telegram is asked once per attempt whoever presses. Writes
 * join the caller's transaction; {@code StoresContract} and {@code ChargeLockContract} check a store of your own.
 */
public interface Payments {
    /**
     * Keeps an invoice the shop sent, by its payload, so that its payment can be checked against it. A payload kept
     * already changes nothing: the first invoice stays as it is, paid or not, whatever this one says (one that replaced
     * it would make a paid invoice payable, and credited, again). {@code StoresContract} checks it.
     *
     * @param invoice a new, unpaid invoice with a payload no other has
     */
    void saveInvoice(Invoice invoice);

    /**
     * The invoice sent with this payload; empty when the shop never sent it (such a payment credits nothing).
     *
     * @param payload the payload a pre-checkout or payment named
     * @return the invoice, with whether it is paid
     */
    Optional<Invoice> invoice(String payload);

    /**
     * Records a charge and, when its invoice ({@code charge.payload()}) is not paid yet, marks the invoice paid by it,
     * in one atomic step: a charge id is recorded once. A second charge of a paid invoice (the same invoice paid from
     * two devices: both pre-checkouts came before either payment, and Telegram took both) is recorded too, and the
     * invoice stays paid by the first: each charge credits once, and none waits for an admin's refund. The invoice
     * must exist.
     *
     * @param charge the payment as the platform reported it
     * @return {@code NEW} the first time; {@code REPLAYED} for the same charge again; {@code CONFLICT} when the id was
     *         recorded with other details
     */
    ChargeRecord recordCharge(StarsCharge charge);

    /**
     * The charge recorded under this id, with its refund state as it is now; empty when none was recorded.
     *
     * @param chargeId the platform's charge id
     * @return the charge
     */
    Optional<StarsCharge> charge(String chargeId);

    /**
     * The charge, its record locked until the caller's transaction ({@code Transactions.inOne}) ends: Telegram's
     * report of a refund and an admin's refund of the same charge each read its refund state and act on it, one at a
     * time. Apart, a report that read "nothing under way" and then waited took the amount after an admin's refund had
     * posted its own: twice from the wallet. The two arrive as updates of different chats (the user's and the
     * admin's), so they race whenever updates are handled on more than one thread, also in one process: a store
     * keeps the lock in the transaction (PostgreSQL: {@code SELECT … FOR UPDATE}); answering as {@link #charge} is
     * right only where every update is handled on one thread. No default: a store must decide. core-testing's
     * {@code ChargeLockContract} checks the lock.
     *
     * <p>The id is locked whether or not a charge is recorded under it yet (PostgreSQL: a transaction-scoped advisory
     * lock keyed by the id, then the row's {@code FOR UPDATE}): {@code /reconcile_stars} credits a charge the store
     * does not know yet (a restore lost it) while Telegram's report of its refund may be handled at the same moment,
     * finding no charge and recording it as unknown. Each takes this lock first, so one of them reads what the other
     * committed: the report finds the credit and takes it back, or the reconciliation finds the report and credits
     * nothing. Apart, both went ahead: credited, with the Stars back with the user.
     *
     * @param chargeId the platform's charge id
     * @return the charge, locked until the transaction ends; empty when none was recorded (its id locked all the same)
     */
    Optional<StarsCharge> lockCharge(String chargeId);

    /**
     * A user's charges, newest first, at most {@code limit}.
     *
     * @param userId the payer
     * @param limit  the most to return
     * @return the charges, newest first
     */
    List<StarsCharge> charges(long userId, int limit);

    /**
     * Keeps a Stars payment that credited nothing, so that it can be refunded; a charge id is kept once (a
     * re-delivered update changes nothing, the first record stays).
     *
     * @param charge the payment, OPEN
     * @return whether it was kept by this call
     */
    boolean recordUncredited(UncreditedCharge charge);

    /**
     * The uncredited payment kept under this charge id; empty when none was.
     *
     * @param chargeId the platform's charge id
     * @return the payment with its refund's state
     */
    Optional<UncreditedCharge> uncredited(String chargeId);

    /**
     * A user's uncredited payments, newest first.
     *
     * @param userId the payer
     * @param limit  the most to return
     * @return the payments, newest first
     */
    List<UncreditedCharge> uncreditedCharges(long userId, int limit);

    /**
     * Claims the refund of an uncredited payment for one attempt: {@code OPEN}, or {@code REFUNDING} by an attempt
     * claimed before {@code staleBefore} (its asker died before Telegram's answer was kept), becomes
     * {@code REFUNDING} under the next attempt number, claimed at {@code now}.
     *
     * @param chargeId    the platform's charge id
     * @param now         the shop's clock's instant
     * @param staleBefore an attempt claimed before it is taken for dead
     * @return the payment as claimed; empty when it is unknown, refunded, or being refunded by a live attempt
     */
    Optional<UncreditedCharge> claimUncreditedRefund(String chargeId, Instant now, Instant staleBefore);

    /**
     * Telegram answered attempt {@code attempt}: {@code REFUNDING} by that attempt becomes {@code REFUNDED} when the
     * Stars went back, {@code OPEN} when they did not.
     *
     * @param chargeId the platform's charge id
     * @param attempt  the attempt Telegram answered
     * @param refunded whether the Stars went back
     * @return whether this call moved it (false: Telegram's report, or a later attempt, moved it first)
     */
    boolean settleUncreditedRefund(String chargeId, int attempt, boolean refunded);

    /**
     * Telegram reported the refund: {@code OPEN} or {@code REFUNDING} becomes {@code REFUNDED}.
     *
     * @param chargeId the platform's charge id
     * @return whether this call moved it (false: unknown, or refunded before)
     */
    boolean uncreditedRefunded(String chargeId);

    /**
     * Keeps what a reported Stars refund is owed from a hold ({@link HeldStarsRefund}); a charge and hold kept already
     * change nothing (the first record stays). Joins the caller's transaction: the shop writes it with the refund's
     * transfers, and a report rolled back keeps nothing.
     *
     * @param owed the part of the charge the hold kept
     * @return whether it was kept by this call
     */
    boolean recordHeldRefund(HeldStarsRefund owed);

    /**
     * What the charges refunded while this hold kept their money are owed from it, oldest first (then by charge id),
     * settled or not: the shop reads it when the hold is resolved, and to know how much of the hold is owed already.
     *
     * @param holdId the ledger hold
     * @return the records, oldest first; empty when none
     */
    List<HeldStarsRefund> heldRefundsOnHold(String holdId);

    /**
     * What this charge's reported refund is owed from holds, oldest first, settled or not: a charge with one is
     * refunded, even when the wallet gave nothing at the report.
     *
     * @param chargeId the platform's charge id
     * @return the records; empty when none
     */
    List<HeldStarsRefund> heldRefundsOfCharge(String chargeId);

    /**
     * The records not yet marked {@link #heldRefundSettled settled} whose hold the ledger has resolved (posted, voided,
     * expired), oldest first: the upkeep settles those whose hold was resolved without it (by a build before this one,
     * or a process stopped between an expiry and its settling). A record whose hold is still pending (or unknown to
     * the ledger) is left out: listed, the oldest of them, a running job's, filled every page, and holds resolved
     * behind them were never settled. So the store reads the ledger's holds (kiebot's: the same database).
     *
     * @param limit the most to return
     * @return the records, oldest first
     */
    List<HeldStarsRefund> openHeldRefunds(int limit);

    /**
     * Marks a record settled: its money went to the Stars clearing account or was booked as the shop's loss.
     *
     * @param chargeId the platform's charge id
     * @param holdId   the ledger hold
     * @return whether this call marked it (false: unknown, or marked before)
     */
    boolean heldRefundSettled(String chargeId, String holdId);

    /**
     * Whether this store keeps Stars payments: true for every store that does (yours, kiebot's), false for
     * {@link #none()} alone. What the shop goes by, not which object it was given: {@code Shop.builder().build()}
     * refuses a store that keeps none in a shop whose settings sell Stars, a Stars payment reaching such a shop anyway
     * is kept in the audit trail instead, and {@code StoresContract} and {@code ChargeLockContract} skip their Stars
     * tests for it. A decorator (one that meters or traces the calls) answers what the store it wraps answers. No
     * default: a decorator of {@link #none()} that forwarded only the methods without one would say it keeps Stars,
     * and a shop selling Stars would be built on it.
     *
     * @return true when this store keeps Stars payments; false for {@link #none()} and what forwards to it
     */
    boolean keepsStars();

    /**
     * The store of a shop that sells no Stars ({@code ShopSettings.withoutStars()}: a platform without Telegram Stars,
     * or a shop whose money comes through {@code shop.externalTopUps()} and card / SBP top-ups alone), so that its
     * partner writes no Stars store it never uses. It keeps nothing: every read finds nothing (so {@code /payments}
     * lists no Stars payment, and {@code /find} and {@code /refund_stars} know no charge), and every write throws an
     * {@link UnsupportedOperationException} saying that the shop sells no Stars, as no Stars invoice is sent and no
     * Stars payment can arrive there. Its {@link #keepsStars()} is false, and a decorator of it says so too:
     * {@code Shop.builder().build()} refuses it in a shop whose settings sell Stars.
     * Run no contract test on it: {@code StoresContract} skips its Stars tests for it, and {@code ChargeLockContract}
     * has nothing to lock in it.
     *
     * @return the one store that keeps no Stars payment
     */
    static Payments none() {
        return NoStarsPayments.INSTANCE;
    }
}
