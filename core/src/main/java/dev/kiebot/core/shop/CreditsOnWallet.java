package dev.kiebot.core.shop;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.Phase;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Which credits paid a job: the part of the job's charge each credit of the wallet (a top-up, a grant, a refund —
 * the transfer that brought the money, by its id) paid, read from the wallet's transfers, oldest first, money spent
 * oldest first. A refund of the job goes against a Stars refund's loss only for what that charge's credit paid of it
 * ({@code HeldStarsRefunds.giveBackAgainstLoss}): a job paid by a card top-up after the Stars were spent elsewhere
 * sent its whole refund against the Stars' loss, and the user lost his card money.
 *
 * <p>The walk: money in (a single-phase credit) queues at the back under its transfer's id; money out (a hold when it
 * is made, a single-phase debit) takes from the front. Taking back a Stars charge's refund
 * ({@code stars-refund:<charge>}, an admin's attempt {@code stars-refund:<charge>#<n>}, {@code stars-held:<charge>:
 * <hold>}, each try) takes that charge's credit first, wherever it is, then from the front: the Stars refunded are
 * that credit, whatever else the wallet gave for them. So does every other taking back that names what it takes back:
 * a referral bonus's reversal ({@code referral-back:<friend>}, a part of it {@code referral-back:<friend> <refund>})
 * takes that bonus ({@code referral:<friend>}) first, a card payment's refund by its provider
 * ({@code external-refund:<provider>:<payment>}, a part of it after a space) takes that payment
 * ({@code external:<provider>:<payment>}) first. Taken from the front, they took a Stars payment's money instead,
 * and a job that money paid later was said to be paid by the bonus: its refund went to the wallet though the user
 * had the Stars back, money made from nothing. When the credit they name is spent already on jobs, what they take
 * instead from the front relabels that credit's slices in the jobs' charges ({@code GENERATION}, held or posted, the
 * latest first) as what they took: those jobs are paid by it now, the reversal by its credit. Left to the bonus, a job
 * paid by it and then the bonus taken back with a Stars payment's money kept being "paid by the bonus", and its refund
 * after that payment's Stars refund (all a loss) went to the wallet. A Stars refund's taking back whose credit is
 * spent relabels it so too, in the admins' debits ({@code DEBIT_MANUAL}) first, the latest first, then in the jobs':
 * a job paid by Stars A, A refunded with the money of Stars B (A spent), then B refunded with the wallet empty (all a
 * loss), stayed "paid by A" (no loss) and its refund went to the wallet though the user had both back in Stars. A
 * debit is never refunded, so it is relabelled first: a debit that took A's money and a job paid by A, A then
 * refunded (part a loss) with a card's money, the job relabelled in the debit's stead sent to the wallet what A's
 * loss should have had back. A refunded job's charge is never relabelled.
 * An admin's {@code /debit_user}
 * ({@code DEBIT_MANUAL}) names no credit:
 * it takes the admin top-ups ({@code TOP_UP_MANUAL}) still on the wallet first, newest first, then from the front,
 * as a debit mostly corrects a top-up credited by mistake (a typo in the amount, a payment credited twice), the
 * latest one; the Stars or a bonus the user had before are not what it takes back. What a hold gives back (a void, an expiry, the rest of a post
 * for less) returns to the front as the credits it took, in their order: a failed job does not turn old money into
 * new. A post for less keeps the oldest part of what the hold took. A job's refund to the wallet
 * ({@code refund:<hold>}, after its post) gives back, as a void does, the credits that paid the job (its holds
 * {@code <hold>} and {@code <hold>~2}), first again in their order, and the job's charge keeps only what its refund sent
 * back against Stars refunds' losses ({@code refund:<hold>:<loss>}, read only when the wallet got less than the charge):
 * that charge's Stars credit first (what a loss of credit spent took of the job), then the Stars, then the rest.
 * Entered as a new credit of its own, the refund's money paid a later job while a reversal of the bonus that paid
 * the refunded job took (and relabelled it as) a Stars payment's money instead: that later job's refund after the
 * Stars' refund (all a loss) went to the wallet, money made from nothing. The job's holds (or single-phase debits
 * under their ids) pay with what they kept.
 *
 * @param paid what each credit paid of the job, by the id of the transfer that brought it
 */
record CreditsOnWallet(Map<String, Long> paid) {
    CreditsOnWallet {
        paid = Map.copyOf(paid);
    }

    /** A part of a credit: {@code amount} minor units brought by the transfer {@code credit}. */
    private record Slice(String credit, long amount) {
    }

    /**
     * One pass over the wallet's transfers.
     *
     * @param wallet    the job's user's wallet
     * @param transfers every transfer of the wallet, oldest first ({@code Ledger.transfers})
     * @param jobHolds  the holds that charged the job
     * @param sentAgainstLoss what the refund of the job a hold keys sent back against Stars refunds' losses
     *                  ({@code JobRefundParts.againstLoss}); asked only of a refund that gave the wallet less than the
     *                  job's charge
     */
    static CreditsOnWallet paying(AccountId wallet, List<Transfer> transfers, Collection<String> jobHolds,
                                  Function<String, List<Transfer>> sentAgainstLoss) {
        Map<String, Long> paid = new LinkedHashMap<>();
        walk(wallet, transfers, sentAgainstLoss, (hold, kept) -> {
            if (jobHolds.contains(hold)) {
                add(paid, kept);
            }
        });
        return new CreditsOnWallet(paid);
    }

    /**
     * The holds (and single-phase debits, by their ids) that any of {@code credits} paid a part of, in the same pass
     * as {@link #paying}: the jobs whose refunds may have gone against those credits' Stars refunds' losses.
     *
     * @param credits the ids of the transfers that brought the credits ({@code stars:<charge>})
     */
    static Set<String> paidWith(AccountId wallet, List<Transfer> transfers, Collection<String> credits,
                                Function<String, List<Transfer>> sentAgainstLoss) {
        Set<String> holds = new java.util.LinkedHashSet<>();
        walk(wallet, transfers, sentAgainstLoss, (hold, kept) -> {
            if (kept.stream().anyMatch(s -> s.amount() > 0 && credits.contains(s.credit()))) {
                holds.add(hold);
            }
        });
        return holds;
    }

    /**
     * What the single-phase debits {@code debits} (by their ids) took of the credit {@code creditId}, in the same pass
     * as {@link #paying}: how much of the friend's first paid top-up the admins' {@code /debit_user} took back
     * ({@code Referrals.debitedBy}), not a later top-up's typo they corrected.
     */
    static long takenOf(AccountId wallet, List<Transfer> transfers, String creditId, Set<String> debits,
                        Function<String, List<Transfer>> sentAgainstLoss) {
        long[] taken = {0};
        walk(wallet, transfers, sentAgainstLoss, (debit, kept) -> {
            if (debits.contains(debit)) {
                kept.stream().filter(s -> s.credit().equals(creditId)).forEach(s -> taken[0] += s.amount());
            }
        });
        return taken[0];
    }

    /**
     * What {@code creditId} has in each hold still pending, in the same pass as {@link #paying}: the holds that keep
     * a Stars charge's money when Telegram refunds it ({@code HeldStarsRefunds.owe}).
     *
     * @return by the hold's id, only holds with some of it
     */
    static Map<String, Long> heldOf(AccountId wallet, List<Transfer> transfers, String creditId,
                                    Function<String, List<Transfer>> sentAgainstLoss) {
        Map<String, Long> of = new LinkedHashMap<>();
        walk(wallet, transfers, sentAgainstLoss, (debit, kept) -> { }, (hold, slices) -> slices.stream()
                .filter(s -> s.credit().equals(creditId) && s.amount() > 0)
                .forEach(s -> of.merge(hold, s.amount(), Long::sum)));
        return of;
    }

    private static void walk(AccountId wallet, List<Transfer> transfers,
                             Function<String, List<Transfer>> sentAgainstLoss,
                             java.util.function.BiConsumer<String, List<Slice>> paidFor) {
        walk(wallet, transfers, sentAgainstLoss, paidFor, (hold, slices) -> { });
    }

    /**
     * The walk of {@link #paying}: {@code paidFor} gets each debit's id and the slices it kept, once the walk is over
     * (a later reversal may relabel them); {@code stillHeld} each hold still pending and the slices it holds.
     */
    private static void walk(AccountId wallet, List<Transfer> transfers,
                             Function<String, List<Transfer>> sentAgainstLoss,
                             java.util.function.BiConsumer<String, List<Slice>> paidFor,
                             java.util.function.BiConsumer<String, List<Slice>> stillHeld) {
        List<Slice> queue = new ArrayList<>();
        Set<String> adminTopUps = new HashSet<>();
        Map<String, List<Slice>> held = new HashMap<>();
        Map<String, List<Slice>> settled = new LinkedHashMap<>();
        Jobs jobs = new Jobs(held, settled, new ArrayList<>(), new ArrayList<>(), new HashSet<>());
        for (Transfer t : transfers) {
            boolean in = wallet.equals(t.credit());
            boolean out = wallet.equals(t.debit());
            switch (t.phase()) {
                case POSTED -> {
                    if (in && refunded(t, settled, sentAgainstLoss, queue, jobs)) {
                        continue;
                    }
                    if (in) {
                        queue.add(new Slice(t.id(), t.amount()));
                        if (t.kind() == TransferKind.TOP_UP_MANUAL) {
                            adminTopUps.add(t.id());
                        }
                    } else if (out) {
                        settled.merge(t.id(), take(queue, t, adminTopUps, jobs), CreditsOnWallet::joined);
                        jobs.charged(t);
                    }
                }
                case PENDING -> {
                    if (out) {
                        held.put(t.id(), take(queue, t, adminTopUps, jobs));
                        jobs.charged(t);
                    }
                }
                case POST_PENDING, VOID_PENDING, EXPIRE_PENDING -> {
                    String hold = t.pendingId().orElse("");
                    long posted = t.phase() == Phase.POST_PENDING ? t.amount() : 0;
                    List<Slice> taken = held.remove(hold);
                    if (out && taken != null) {
                        List<Slice> kept = new ArrayList<>();
                        List<Slice> back = new ArrayList<>();
                        long keep = posted;
                        for (Slice s : taken) {
                            long k = Math.min(keep, s.amount());
                            keep -= k;
                            if (k > 0) {
                                kept.add(new Slice(s.credit(), k));
                            }
                            if (s.amount() > k) {
                                back.add(new Slice(s.credit(), s.amount() - k));
                            }
                        }
                        settled.merge(hold, kept, CreditsOnWallet::joined);
                        queue.addAll(0, back);
                    } else if (in && posted > 0) {
                        queue.add(new Slice(hold, posted));
                    }
                }
            }
        }
        settled.forEach(paidFor);
        held.forEach(stillHeld);
    }

    /**
     * A job's refund to the wallet ({@code refund:<hold>}): gives back to the front of the queue, as a void does, what
     * paid the job's charges ({@code <hold>}, {@code <hold>~2}) but what its refund sent back against Stars refunds'
     * losses, which the charges keep (the user has that money back in Stars, and the losses' other refunds must still
     * find the job among those their credit paid).
     *
     * @return false when {@code t} is no job's refund the walk met the charge of: a credit of its own then
     */
    private static boolean refunded(Transfer t, Map<String, List<Slice>> settled,
                                    Function<String, List<Transfer>> sentAgainstLoss, List<Slice> queue, Jobs jobs) {
        String prefix = Ledger.refundId("");
        if (t.kind() != TransferKind.REFUND || !t.id().startsWith(prefix)) {
            return false;
        }
        String hold = t.id().substring(prefix.length());
        List<String> charges = List.of(hold, Ledger.tryId(hold, 2));
        long charged = charges.stream().map(settled::get).filter(java.util.Objects::nonNull).flatMap(List::stream)
                .mapToLong(Slice::amount).sum();
        if (charged <= 0) {
            return false;
        }
        // what stays paid: the refund's parts against the losses, each first of its own charge's Stars credit
        Map<String, Long> keep = new LinkedHashMap<>();
        long toKeep = Math.max(0, charged - t.amount());
        if (toKeep > 0) {
            String sent = HeldStarsRefunds.lossBackId(hold, "");
            for (Transfer loss : sentAgainstLoss.apply(hold)) {
                StarsRefundAttempts.chargeOfLoss(loss.id().substring(Math.min(sent.length(), loss.id().length())))
                        .ifPresent(c -> keep.merge(TopUps.creditId(c), loss.amount(), Long::sum));
            }
        }
        List<String> met = charges.stream().filter(settled::containsKey).toList();
        Map<String, List<Slice>> given = new LinkedHashMap<>();
        Map<String, List<Slice>> stays = new LinkedHashMap<>();
        met.forEach(c -> {
            given.put(c, new ArrayList<>(settled.get(c)));
            stays.put(c, new ArrayList<>());
        });
        // the loss's own charge's Stars credit, then any Stars (a hold's loss, whoever paid), then the rest
        List<Predicate<Slice>> turns = List.of(s -> keep.getOrDefault(s.credit(), 0L) > 0,
                s -> s.credit().startsWith(TopUps.creditId("")), s -> true);
        for (int turn = 0; turn < turns.size() && toKeep > 0; turn++) {
            for (String c : met) {
                ListIterator<Slice> it = given.get(c).listIterator();
                while (toKeep > 0 && it.hasNext()) {
                    Slice s = it.next();
                    if (!turns.get(turn).test(s)) {
                        continue;
                    }
                    long n = Math.min(toKeep, turn == 0 ? Math.min(s.amount(), keep.get(s.credit())) : s.amount());
                    if (turn == 0) {
                        keep.merge(s.credit(), -n, Long::sum);
                    }
                    toKeep -= n;
                    stays.get(c).add(new Slice(s.credit(), n));
                    if (n == s.amount()) {
                        it.remove();
                    } else {
                        it.set(new Slice(s.credit(), s.amount() - n));
                    }
                }
            }
        }
        settled.putAll(stays);
        jobs.refunded().addAll(met);
        List<Slice> back = given.values().stream().flatMap(List::stream).toList();
        queue.addAll(0, back);
        long more = t.amount() - back.stream().mapToLong(Slice::amount).sum();
        if (more > 0) {
            // more than the charges had of the wallet's credits (a walk begun after them): a credit of its own
            queue.add(new Slice(t.id(), more));
        }
        return true;
    }

    private static List<Slice> joined(List<Slice> a, List<Slice> b) {
        List<Slice> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * The jobs' charges met so far (holds still held, posted or single-phase, {@code GENERATION}) and the admins'
     * debits ({@code DEBIT_MANUAL}), each in the order they took their money: where a taking back that finds its
     * credit spent looks for it. A refunded job's charge is not looked in: what it keeps is what its refund sent
     * against a loss, which that loss's other refunds must still find there.
     */
    private record Jobs(Map<String, List<Slice>> held, Map<String, List<Slice>> settled, List<String> order,
                        List<String> debits, Set<String> refunded) {
        void charged(Transfer t) {
            if (t.kind() == TransferKind.GENERATION) {
                order.add(t.id());
            } else if (t.kind() == TransferKind.DEBIT_MANUAL) {
                debits.add(t.id());
            }
        }

        /**
         * Relabels up to {@code amount} of {@code credit}'s slices as {@code instead}'s: for a Stars refund's taking
         * back in the admins' debits first, the latest first, then in the jobs' charges, the latest first; for a
         * reversal in the jobs' charges only.
         *
         * @return how much it relabeled
         */
        long relabel(String credit, String instead, long amount, boolean debitsFirst) {
            long done = debitsFirst ? relabel(debits, credit, instead, amount) : 0;
            return done + relabel(order, credit, instead, amount - done);
        }

        private long relabel(List<String> charges, String credit, String instead, long amount) {
            long done = 0;
            for (int i = charges.size() - 1; i >= 0 && done < amount; i--) {
                String id = charges.get(i);
                List<Slice> slices = refunded.contains(id) ? null : held.containsKey(id) ? held.get(id) : settled.get(id);
                ListIterator<Slice> it = slices == null ? List.<Slice>of().listIterator() : slices.listIterator();
                while (done < amount && it.hasNext()) {
                    Slice s = it.next();
                    if (!s.credit().equals(credit)) {
                        continue;
                    }
                    long n = Math.min(amount - done, s.amount());
                    done += n;
                    if (n == s.amount()) {
                        it.set(new Slice(instead, n));
                    } else {
                        it.set(new Slice(credit, s.amount() - n));
                        it.add(new Slice(instead, n));
                    }
                }
            }
            return done;
        }
    }

    /**
     * @param creditId the id of the transfer that brought the credit ({@code stars:<charge>} for a Stars payment)
     * @return what it paid of the job, minor units; 0 when nothing
     */
    long paidBy(String creditId) {
        return paid.getOrDefault(creditId, 0L);
    }

    /**
     * The credit a transfer takes back first: a Stars charge's, for the taking back of its refund; the bonus, for a
     * referral bonus's reversal (whole or a part); the card payment, for its provider's refund (whole or a part).
     */
    static Optional<String> creditTakenBack(String transferId) {
        String id = Ledger.firstTryId(transferId);
        Optional<String> charge = StarsRefundAttempts.chargeOfHold(id)
                .or(() -> HeldStarsRefunds.chargeTakenBack(id))
                .or(() -> Optional.of(StarsRefundAttempts.reportedId(""))
                        .filter(id::startsWith).map(prefix -> id.substring(prefix.length())));
        Optional<String> stars = charge.filter(c -> !c.isEmpty()).map(TopUps::creditId);
        if (stars.isPresent()) {
            return stars;
        }
        return creditReversed(id);
    }

    /** The credit a referral bonus's reversal or a card payment's refund by its provider (whole or a part) names. */
    private static Optional<String> creditReversed(String transferId) {
        // a part's id is the whole one's, a space and the refund's id: neither a friend's id nor a payment's has one
        String whole = Ledger.firstTryId(transferId).split(" ", 2)[0];
        return named(whole, "referral-back:", "referral:") // Referrals.reversalId → Referrals.transferId
                .or(() -> named(whole, "external-refund:", "external:")); // ExternalRefund.refundId → creditId
    }

    /** {@code credit}'s prefix and what {@code id} has after {@code takeBack}'s, if it has that one and more. */
    private static Optional<String> named(String id, String takeBack, String credit) {
        return id.startsWith(takeBack) && id.length() > takeBack.length()
                ? Optional.of(credit + id.substring(takeBack.length())) : Optional.empty();
    }

    private static List<Slice> take(List<Slice> queue, Transfer t, Set<String> adminTopUps, Jobs jobs) {
        List<Slice> taken = new ArrayList<>();
        long left = t.amount();
        Optional<String> first = creditTakenBack(t.id());
        if (first.isPresent()) {
            left = takeFrom(queue, left, s -> s.credit().equals(first.get()), false, taken);
        } else if (t.kind() == TransferKind.DEBIT_MANUAL) {
            left = takeFrom(queue, left, s -> adminTopUps.contains(s.credit()), true, taken);
        }
        List<Slice> rest = new ArrayList<>();
        takeFrom(queue, left, s -> true, false, rest);
        boolean stars = first.filter(c -> c.startsWith(TopUps.creditId(""))).isPresent();
        for (Slice s : rest) {
            // the credit taken back spent on jobs: the taking back takes it back from them, and the money it took
            // instead paid them; left to the bonus (or to Stars refunded with another payment's money), a job's
            // refund went to the wallet though the money that paid it is gone
            long swapped = first.map(credit -> jobs.relabel(credit, s.credit(), s.amount(), stars)).orElse(0L);
            if (swapped > 0) {
                taken.add(new Slice(first.get(), swapped));
            }
            if (s.amount() > swapped) {
                taken.add(new Slice(s.credit(), s.amount() - swapped));
            }
        }
        return taken;
    }

    private static long takeFrom(List<Slice> queue, long amount, Predicate<Slice> which, boolean newestFirst,
                                 List<Slice> taken) {
        long left = amount;
        ListIterator<Slice> it = queue.listIterator(newestFirst ? queue.size() : 0);
        while (left > 0 && (newestFirst ? it.hasPrevious() : it.hasNext())) {
            Slice s = newestFirst ? it.previous() : it.next();
            if (!which.test(s)) {
                continue;
            }
            long n = Math.min(left, s.amount());
            taken.add(new Slice(s.credit(), n));
            left -= n;
            if (n == s.amount()) {
                it.remove();
            } else {
                it.set(new Slice(s.credit(), s.amount() - n));
            }
        }
        return left;
    }

    private static void add(Map<String, Long> paid, List<Slice> slices) {
        for (Slice s : slices) {
            paid.merge(s.credit(), s.amount(), Long::sum);
        }
    }
}
