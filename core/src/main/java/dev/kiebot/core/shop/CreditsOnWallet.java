package dev.kiebot.core.shop;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.Phase;
import dev.kiebot.core.ledger.Transfer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Optional;
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
 * that credit, whatever else the wallet gave for them. What a hold gives back (a void, an expiry, the rest of a post
 * for less) returns to the front as the credits it took, in their order: a failed job does not turn old money into
 * new. A post for less keeps the oldest part of what the hold took. The job's holds (or single-phase debits under
 * their ids) pay with what they kept.
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
     */
    static CreditsOnWallet paying(AccountId wallet, List<Transfer> transfers, Collection<String> jobHolds) {
        List<Slice> queue = new ArrayList<>();
        Map<String, List<Slice>> held = new HashMap<>();
        Map<String, Long> paid = new LinkedHashMap<>();
        for (Transfer t : transfers) {
            boolean in = wallet.equals(t.credit());
            boolean out = wallet.equals(t.debit());
            switch (t.phase()) {
                case POSTED -> {
                    if (in) {
                        queue.add(new Slice(t.id(), t.amount()));
                    } else if (out) {
                        List<Slice> taken = take(queue, t.amount(), creditTakenBack(t.id()));
                        if (jobHolds.contains(t.id())) {
                            add(paid, taken);
                        }
                    }
                }
                case PENDING -> {
                    if (out) {
                        held.put(t.id(), take(queue, t.amount(), creditTakenBack(t.id())));
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
                        if (jobHolds.contains(hold)) {
                            add(paid, kept);
                        }
                        queue.addAll(0, back);
                    } else if (in && posted > 0) {
                        queue.add(new Slice(hold, posted));
                    }
                }
            }
        }
        return new CreditsOnWallet(paid);
    }

    /**
     * @param creditId the id of the transfer that brought the credit ({@code stars:<charge>} for a Stars payment)
     * @return what it paid of the job, minor units; 0 when nothing
     */
    long paidBy(String creditId) {
        return paid.getOrDefault(creditId, 0L);
    }

    /** The credit a transfer takes back first: a Stars charge's, for the taking back of its refund. */
    static Optional<String> creditTakenBack(String transferId) {
        String id = Ledger.firstTryId(transferId);
        Optional<String> charge = StarsRefundAttempts.chargeOfHold(id)
                .or(() -> HeldStarsRefunds.chargeTakenBack(id))
                .or(() -> Optional.of(StarsRefundAttempts.reportedId(""))
                        .filter(id::startsWith).map(prefix -> id.substring(prefix.length())));
        return charge.filter(c -> !c.isEmpty()).map(TopUps::creditId);
    }

    private static List<Slice> take(List<Slice> queue, long amount, Optional<String> first) {
        List<Slice> taken = new ArrayList<>();
        long left = amount;
        if (first.isPresent()) {
            left = takeFrom(queue, left, s -> s.credit().equals(first.get()), taken);
        }
        takeFrom(queue, left, s -> true, taken);
        return taken;
    }

    private static long takeFrom(List<Slice> queue, long amount, Predicate<Slice> which, List<Slice> taken) {
        long left = amount;
        for (ListIterator<Slice> it = queue.listIterator(); left > 0 && it.hasNext(); ) {
            Slice s = it.next();
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
