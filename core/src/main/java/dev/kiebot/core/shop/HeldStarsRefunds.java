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
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The part of a Stars refund Telegram reported that a hold kept when the report came (a running generation's, an
 * admin's refund of another charge). Booked as the shop's loss at the report, as before, it was lost twice when the
 * job then failed: the void gave the money back to the wallet, and the user kept money already returned to him in
 * Stars. Now the report books as loss only what was spent, and keeps what each pending hold owes
 * ({@link #owe}, {@code Payments.recordHeldRefund}); each resolution of the hold then settles it ({@link #settle}, in
 * the transaction of the void, the post or the expiry's follow-up): what the hold gives back to the wallet, up to what
 * it owes, goes to the Stars clearing account ({@code stars-held:<charge>:<hold>}, kind {@code STARS_REFUND}); what it
 * keeps (posted: the job delivered) is the shop's loss then ({@code stars-loss:<charge>:<hold>}). Either id is
 * booked once, so a settling run twice (the upkeep's sweep after the hook) moves nothing more. A job refunded after
 * such a loss ({@link #giveBackAgainstLoss}) sends it back against the loss, not to the wallet: the user has that money
 * back in Stars.
 */
final class HeldStarsRefunds {
    private static final String BACK = "stars-held:";
    private final Stores stores;
    private final Clock clock;

    HeldStarsRefunds(Stores stores, Clock clock) {
        this.stores = stores;
        this.clock = clock;
    }

    /**
     * The user's turn on his Stars refunds' money ({@link Ledger#findAwaiting} of {@code stars-refunds:<user>}, held
     * till the caller's transaction ends; no transfer has that id). Taken by a job's refund against a loss
     * ({@link #giveBackAgainstLoss}, first), by Telegram's report of a Stars refund (right after its charge's lock) and
     * by an admin's {@code /refund_stars} press before its hold (StarsRefundDesk: a hold made outside the user's chat is
     * placed before a report reads his running holds, or after it commits):
     * without it, a refund reading no loss yet paid the wallet while a report, finding the wallet still empty, booked
     * all of the payment as the shop's loss, and the user had the job's money and his Stars (review Q1).
     *
     * <p>The order of the locks, everywhere: the charge's ({@code Payments.lockCharge}), then the user's turn, then the
     * losses' and holds' ids (sorted / oldest first); a path that needs a later one never takes an earlier one after
     * it, so two never wait for each other.
     */
    void takeUsersTurn(long userId) {
        stores.ledger().findAwaiting(usersTurnId(userId));
    }

    /** The id {@link #takeUsersTurn} waits on: {@code stars-refunds:<user>}. */
    static String usersTurnId(long userId) {
        return "stars-refunds:" + userId;
    }

    /** Taking back what a hold returned of a charge's refund: {@code stars-held:<charge>:<hold>} and its tries. */
    static TakeBack back(String chargeId, String holdId) {
        return new TakeBack(BACK + chargeId + ":" + holdId);
    }

    /** The charge whose refund a {@link #back} try takes back; empty for any other transfer. */
    static Optional<String> chargeTakenBack(String id) {
        return id.startsWith(BACK) && id.indexOf(':', BACK.length()) > BACK.length()
                ? Optional.of(id.substring(BACK.length(), id.indexOf(':', BACK.length()))) : Optional.empty();
    }

    /** The loss of what the hold kept (posted) of a charge's refund: {@code stars-loss:<charge>:<hold>}. */
    static String lossId(String chargeId, String holdId) {
        return StarsRefundAttempts.lossId(chargeId) + ":" + holdId;
    }

    /**
     * Keeps what the wallet's pending holds owe of a charge's refund, up to {@code remainder}: each hold that holds the
     * charge's own credit ({@link CreditsOnWallet#heldOf}, the walk after this report's taking back), up to what it
     * holds of it, less what other charges' refunds are owed from it already. The rest of {@code remainder} is what
     * the credit paid of jobs delivered and debits (spent): the caller books it as the shop's loss at once.
     *
     * <p>A hold of other money (a card's, a bonus) owes nothing, as {@link CreditsOnWallet} follows a credit's money
     * and not another's. Owed oldest hold first (the rule until this one), a card's job running at the report of a
     * charge spent elsewhere owed it: its void gave the card's money to the Stars, or, delivered, its refund went
     * against the loss, while the job the Stars paid, still "paid by" them, was refunded to the wallet; with one job
     * kept and the other refunded the user had lost the card's money or been given the Stars' twice, as it fell
     * ({@code StarsLossPaidByTest.aCardsJobRunningAtTheReport…}). Now the card's job ends as if no report had come
     * (void: to the wallet; refunded: to the wallet), and the job the Stars paid goes against their loss. The shop
     * loses no more than the charge either way: the loss at once and what the holds owe are together the charge less
     * what was taken back, and a job's refund only ever lowers the loss. (What the wallet has free at the report, of
     * any credit, is still taken back: the wallet's balance, as an admin's {@code /refund_stars} takes it; the walk
     * then says that money paid the jobs the Stars paid.)
     *
     * @return what the holds owe now; the rest of {@code remainder} was spent
     */
    long owe(StarsCharge charge, long remainder) {
        AccountId wallet = AccountId.wallet(charge.userId());
        Ledger ledger = stores.ledger();
        List<Transfer> transfers = ledger.transfers(wallet);
        List<Transfer> pending = new java.util.ArrayList<>();
        for (Transfer t : transfers) {
            if (t.phase() != Phase.PENDING || !wallet.equals(t.debit())) {
                continue;
            }
            // the lock on the hold's own id (findAwaiting: PostgreSQL's advisory lock on the id, till this
            // transaction ends), taken oldest hold first in every report so that two never wait for each other: it
            // makes two owings of one hold take turns, so that a report of another charge reading what the hold owes
            // meanwhile does not owe it again, more than it holds (PgStarsRefundTurnsTest). It is not the hold's
            // post, void or expiry: those lock their own ids, which the report took before reading the wallet
            // (TopUps.awaitHoldsResolving); and reports of one user already take turns on the user's
            // (takeUsersTurn), so this lock matters to a caller that did not take that one
            ledger.findAwaiting(t.id());
            if (ledger.holdState(t.id()).filter(s -> s == HoldState.PENDING).isPresent()) {
                pending.add(t);
            }
        }
        if (pending.isEmpty()) {
            return 0;
        }
        Map<String, Long> ofCharge = CreditsOnWallet.heldOf(wallet, transfers, TopUps.creditId(charge.chargeId()),
                h -> JobRefundParts.againstLoss(ledger, h));
        long left = remainder;
        long owing = 0;
        for (Transfer t : pending) {
            long room = t.amount() - stores.payments().heldRefundsOnHold(t.id()).stream()
                    .mapToLong(HeldStarsRefund::amount).sum();
            long owed = Math.min(left, Math.min(room, ofCharge.getOrDefault(t.id(), 0L)));
            if (owed <= 0) {
                continue;
            }
            left -= owed;
            if (stores.payments().recordHeldRefund(new HeldStarsRefund(charge.chargeId(), t.id(), charge.userId(),
                    owed, clock.instant()))) {
                owing += owed;
            }
        }
        return owing;
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
     * The id of what a refund of a charged job, keyed by its hold ({@link Ledger#refundId}), sends back against a
     * Stars refund's loss ({@code lossId}: {@code stars-loss:<charge>} or {@code stars-loss:<charge>:<hold>}):
     * {@code refund:<hold>:<lossId>}, once per job and loss.
     */
    static String lossBackId(String holdId, String lossId) {
        return Ledger.refundId(holdId) + ":" + lossId;
    }

    /**
     * What a refund of a charged job already sent back against Stars refunds' losses ({@link #lossBackId}): any of
     * them there means the job's refund was made (all of it, when it went to the loss alone).
     */
    Optional<Transfer> givenBackAgainstLoss(String holdId) {
        return JobRefundParts.againstLoss(stores.ledger(), holdId).stream().findFirst();
    }

    /**
     * Sends up to {@code amount} of a charged job's refund back against what Stars refunds of its user's charges booked
     * as the shop's loss for money this job took: the loss of what its holds kept when a report found the credit held
     * ({@code stars-loss:<charge>:<hold>}), then a report's loss of credit spent ({@code stars-loss:<charge>}), whenever
     * booked, oldest first, each less what refunds of other jobs sent back against it already
     * ({@link LossLeft}). A charge's {@code stars-loss:<charge>} takes no more than that charge's credit paid of the
     * job ({@link CreditsOnWallet}, one pass over the wallet's transfers), less what the job sent back against the
     * charge's loss of its own hold: a job paid by a card top-up after the Stars were spent elsewhere sent its whole
     * refund against the Stars' loss, and the user lost the card's money (a Stars payment credited after the job's
     * charge paid none of it either, review V). The loss of what the job's own hold kept at a report is sent back
     * whoever paid the hold, as its void would have given that money to the Stars (a hold owes only its charge's own
     * money now, {@link #owe}; one an earlier build owed whoever paid it is sent back the same).
     * The user has that money back in Stars: given to his wallet too, he had it twice. The transfer goes from the
     * revenue to the loss account ({@link #lossBackId}, kind {@code REFUND}): the revenue loses the job as with any
     * refund, and the loss shrinks by what the shop did not lose after all (the job it was paid for is given back),
     * so the loss account keeps saying what the shop lost on Stars refunds. In the refund's transaction, which takes
     * each loss's turn ({@link Ledger#findAwaiting} of its id, held till it ends) before reading what was sent back
     * against it: refunds of two jobs at the same moment sent the same loss back twice, more than was lost. The user's
     * turn ({@link #takeUsersTurn}) comes before all of it: a report of his Stars refund at the same moment booked the
     * whole payment as loss while this refund, having read none, paid the wallet.
     *
     * @param holdId    the job's hold, the refund's key
     * @param jobHolds  the holds that charged it (its own, the one charged again)
     * @param userId    whose job it is
     * @param amount    the refund, minor units
     * @return what is left of {@code amount} for the wallet
     */
    long giveBackAgainstLoss(String holdId, List<String> jobHolds, long userId, long amount) {
        return giveBackAgainstLoss(holdId, jobHolds, userId, amount, left -> { });
    }

    /**
     * {@link #giveBackAgainstLoss}, with {@code toWalletFirst} given what is left for the wallet (when above 0) after
     * the turns are taken and what goes against each loss is read, and before any of it is moved: the caller moves the
     * wallet's part there. A ledger call takes the wallet's row before the system accounts' rows, but only within the
     * call: a refund that sent its loss part first (revenue → loss) kept that revenue row locked while its next call
     * waited for the wallet's row, which a job worker's post of the user's other hold held while it waited for the
     * same revenue row (V1__ledger.sql: 16 rows per account, picked by the key): a deadlock, one transaction aborted
     * and run again. Wallet first, both take the wallet's row first (PgStarsRefundTurnsTest).
     */
    long giveBackAgainstLoss(String holdId, List<String> jobHolds, long userId, long amount,
                             java.util.function.LongConsumer toWalletFirst) {
        List<Map.Entry<String, Long>> moves = new java.util.ArrayList<>();
        long left = againstLoss(holdId, jobHolds, userId, amount, true, moves);
        if (left > 0) {
            toWalletFirst.accept(left);
        }
        Ledger ledger = stores.ledger();
        for (Map.Entry<String, Long> back : moves) {
            LedgerResult r = ledger.transfer(back.getKey(), AccountId.REVENUE, AccountId.STARS_REFUND_LOSS,
                    back.getValue(), TransferKind.REFUND);
            if (!r.succeeded()) {
                throw new IllegalStateException("the ledger refused sending the refund of " + holdId
                        + " back against a loss (" + back.getKey() + "): " + r);
            }
        }
        return left;
    }

    /**
     * What {@link #giveBackAgainstLoss} would leave for the wallet now, moving nothing and waiting for no loss's turn:
     * what an admin's {@code /refund} confirmation shows before the press (the press reads it anew).
     */
    long leftForWallet(String holdId, List<String> jobHolds, long userId, long amount) {
        return againstLoss(holdId, jobHolds, userId, amount, false, new java.util.ArrayList<>());
    }

    /**
     * What is left for the wallet of {@code amount}, each part sent back against a loss added to {@code moves}
     * ({@link #lossBackId}, amount), in order, for the caller to move; with {@code move}, under the turns.
     */
    private long againstLoss(String holdId, List<String> jobHolds, long userId, long amount, boolean move,
                             List<Map.Entry<String, Long>> moves) {
        if (move) {
            // the user's turn first ({@link #takeUsersTurn}): a report of his Stars refund books its loss before this
            // reads the losses, or waits till this refund has paid the wallet and takes it back from there
            takeUsersTurn(userId);
        }
        Ledger ledger = stores.ledger();
        AccountId wallet = AccountId.wallet(userId);
        List<Transfer> walletTransfers = ledger.transfers(wallet);
        CreditsOnWallet paid = CreditsOnWallet.paying(wallet, walletTransfers, jobHolds,
                h -> JobRefundParts.againstLoss(ledger, h));
        List<Transfer> losses = new java.util.ArrayList<>();
        for (String h : jobHolds) {
            for (HeldStarsRefund o : stores.payments().heldRefundsOnHold(h)) {
                ledger.find(lossId(o.chargeId(), h)).ifPresent(losses::add);
            }
        }
        // the losses of credit spent of the charges whose credit paid the job, each found by its id: the loss
        // account's whole list, read once per refund, grows with every Stars refund the shop ever had
        String stars = TopUps.creditId("");
        List<Transfer> spentLosses = paid.paid().entrySet().stream()
                .filter(e -> e.getValue() > 0 && e.getKey().startsWith(stars))
                .map(e -> e.getKey().substring(stars.length()))
                .filter(c -> stores.payments().charge(c).filter(ch -> ch.userId() == userId).isPresent())
                .map(c -> ledger.find(StarsRefundAttempts.lossId(c))).flatMap(Optional::stream)
                .filter(t -> AccountId.STARS_REFUND_LOSS.equals(t.debit()))
                .sorted(java.util.Comparator.comparing(Transfer::createdAt))
                .toList();
        losses.addAll(spentLosses);
        // each loss's turn, in one order (by id) so that two refunds never wait for each other: a refund of another
        // job reading what is left of it meanwhile sent it back again, more than was lost ({@code findAwaiting}
        // holds the loss's id till this transaction ends); what was sent back is read after, as it stands then
        if (move) {
            losses.stream().map(Transfer::id).distinct().sorted().forEach(ledger::findAwaiting);
        }
        List<Transfer> sentBackSoFar = sentBackBy(jobsPaidWith(ledger, wallet, walletTransfers, holdId, spentLosses));
        long left = amount;
        java.util.Map<String, Long> againstHeld = new java.util.HashMap<>();
        for (Transfer loss : losses) {
            if (left <= 0) {
                break;
            }
            String id = lossBackId(holdId, loss.id());
            String charge = StarsRefundAttempts.chargeOfLoss(loss.id()).orElseThrow();
            boolean spent = loss.id().equals(StarsRefundAttempts.lossId(charge));
            // what the charge's credit paid of the job, less what went against the loss of the job's hold already
            long cap = spent
                    ? Math.max(0, paid.paidBy(TopUps.creditId(charge)) - againstHeld.getOrDefault(charge, 0L)) : left;
            long back = LossLeft.of(loss, sentBackSoFar, id).take(Math.min(left, cap));
            if (back <= 0) {
                continue;
            }
            if (!spent) {
                againstHeld.merge(charge, back, Long::sum);
            }
            moves.add(Map.entry(id, back));
            left -= back;
        }
        return left;
    }

    /**
     * The holds keying the refunds that may have gone against these losses ({@code refund:<hold>:<loss>}): this job's
     * own ({@code holdId}: a loss of what a hold kept goes back only with the refund of the job it charged), and for
     * a loss of credit spent ({@code stars-loss:<charge>}) every job that charge's credit paid a part of, and every
     * job the wallet charged at or after the earliest of those charges' credits (a hold charged again,
     * {@code <hold>~2}, keys the refund by the job's first hold). Not only the jobs this walk says the charge paid:
     * a build with another walk (before 64f80b2b's refund-as-credits and 3742a48a's relabel) sent the loss back from
     * the refund of a job this walk says another credit paid, and {@link LossLeft} not counting it covered the loss
     * again, the user's own money kept (review U4). Nor only the jobs charged since: a job charged before the Stars
     * came, paid by a bonus (or a card payment, or another Stars payment) taken back later with the Stars' money, is
     * the Stars' by the walk's relabelling, and its refund went against their loss; only the first pass finds it
     * ({@code OldLedgerUnderTheNewWalkTest.aJobChargedBeforeTheStarsAndRelabelledAsTheirs…}). The cost: one id-prefix
     * read per job charged since the Stars charge ({@link #sentBackBy}), only when the job's refund meets a loss of
     * credit spent; never the loss account's whole list.
     */
    private static Set<String> jobsPaidWith(Ledger ledger, AccountId wallet, List<Transfer> walletTransfers,
                                            String holdId, List<Transfer> spentLosses) {
        Set<String> keys = new java.util.TreeSet<>();
        keys.add(holdId);
        List<String> credits = spentLosses.stream().map(t -> StarsRefundAttempts.chargeOfLoss(t.id()).orElseThrow())
                .map(TopUps::creditId).toList();
        if (!credits.isEmpty()) {
            Set<String> holds = new java.util.LinkedHashSet<>(CreditsOnWallet.paidWith(wallet, walletTransfers,
                    credits, paid -> JobRefundParts.againstLoss(ledger, paid)));
            walletTransfers.stream().filter(t -> credits.contains(t.id()) && wallet.equals(t.credit()))
                    .map(Transfer::createdAt).min(java.util.Comparator.naturalOrder())
                    .ifPresent(since -> walletTransfers.stream()
                            .filter(t -> wallet.equals(t.debit()) && t.kind() == TransferKind.GENERATION
                                    && (t.phase() == Phase.PENDING || t.phase() == Phase.POSTED)
                                    && !t.createdAt().isBefore(since))
                            .forEach(t -> holds.add(t.id())));
            for (String h : holds) {
                keys.add(h);
                String again = Ledger.tryId("", 2);
                if (h.endsWith(again)) {
                    keys.add(h.substring(0, h.length() - again.length()));
                }
            }
        }
        return keys;
    }

    /**
     * What the refunds of the jobs keyed by {@code holds} sent back against Stars refunds' losses, each read by its
     * ids' beginning ({@link #lossBackId}, a primary-key range in PostgreSQL), not from the loss account's whole list.
     */
    private List<Transfer> sentBackBy(Set<String> holds) {
        return holds.stream().flatMap(h -> JobRefundParts.againstLoss(stores.ledger(), h).stream()).distinct()
                .toList();
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
