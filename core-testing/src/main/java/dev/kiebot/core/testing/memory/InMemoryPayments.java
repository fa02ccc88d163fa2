package dev.kiebot.core.testing.memory;

import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.payments.ChargeRecord;
import dev.kiebot.core.payments.HeldStarsRefund;
import dev.kiebot.core.payments.Invoice;
import dev.kiebot.core.payments.Payments;
import dev.kiebot.core.payments.StarsCharge;
import dev.kiebot.core.payments.UncreditedCharge;
import dev.kiebot.core.payments.UncreditedRefund;
import dev.kiebot.core.shop.KeptInMemory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code Payments} in memory, for tests only: nothing survives the process, and {@code lockCharge} locks nothing (a
 * test handles one update at a time; {@code ChargeLockContract} says what a store of yours must do).
 */
public final class InMemoryPayments implements Payments, KeptInMemory {
    private final Map<String, Invoice> invoices = new LinkedHashMap<>();
    private final Map<String, StarsCharge> charges = new LinkedHashMap<>();
    private final Map<String, UncreditedCharge> uncredited = new LinkedHashMap<>();
    /** By charge id and hold id; what is settled, by the same key. */
    private final Map<List<String>, HeldStarsRefund> held = new LinkedHashMap<>();
    private final java.util.Set<List<String>> settled = new java.util.HashSet<>();

    private final Ledger ledger;

    /**
     * An empty store: no invoice, no charge, over a ledger of its own that resolves no hold (so
     * {@link #openHeldRefunds} lists nothing).
     */
    public InMemoryPayments() {
        this(new InMemoryLedger(java.time.Clock.systemUTC()));
    }

    /**
     * An empty store over the ledger whose holds {@link #openHeldRefunds} reads (the one beside it in the stores).
     *
     * @param ledger the ledger whose holds the held refunds are owed from
     */
    public InMemoryPayments(Ledger ledger) {
        this.ledger = ledger;
    }

    @Override
    public synchronized void saveInvoice(Invoice invoice) {
        invoices.putIfAbsent(invoice.payload(), invoice);
    }

    @Override
    public synchronized Optional<Invoice> invoice(String payload) {
        return Optional.ofNullable(invoices.get(payload));
    }

    @Override
    public synchronized ChargeRecord recordCharge(StarsCharge charge) {
        StarsCharge known = charges.get(charge.chargeId());
        if (known != null) {
            return known.sameAs(charge) ? ChargeRecord.REPLAYED : ChargeRecord.CONFLICT;
        }
        Invoice invoice = invoices.get(charge.payload());
        if (invoice == null) {
            throw new IllegalArgumentException("no invoice " + charge.payload());
        }
        if (!invoice.paid()) {
            invoices.put(invoice.payload(), new Invoice(invoice.payload(), invoice.userId(), invoice.stars(),
                    invoice.amount(), invoice.createdAt(), Optional.of(charge.chargeId())));
        }
        charges.put(charge.chargeId(), charge);
        return ChargeRecord.NEW;
    }

    @Override
    public synchronized Optional<StarsCharge> charge(String chargeId) {
        return Optional.ofNullable(charges.get(chargeId));
    }

    /**
     * Locks nothing: the in-memory stores keep no transactions to hold a lock in. Right for tests that handle one
     * update at a time; a shop handling updates on several threads needs a store that locks.
     */
    @Override
    public Optional<StarsCharge> lockCharge(String chargeId) {
        return charge(chargeId);
    }

    @Override
    public synchronized List<StarsCharge> charges(long userId, int limit) {
        List<StarsCharge> mine = new ArrayList<>(charges.values().stream().filter(c -> c.userId() == userId).toList());
        mine.sort(Comparator.comparing(StarsCharge::at).reversed());
        return mine.subList(0, Math.min(limit, mine.size()));
    }

    @Override
    public synchronized boolean recordUncredited(UncreditedCharge charge) {
        return uncredited.putIfAbsent(charge.chargeId(), charge) == null;
    }

    @Override
    public synchronized Optional<UncreditedCharge> uncredited(String chargeId) {
        return Optional.ofNullable(uncredited.get(chargeId));
    }

    @Override
    public synchronized List<UncreditedCharge> uncreditedCharges(long userId, int limit) {
        return uncredited.values().stream().filter(c -> c.userId() == userId)
                .sorted(Comparator.comparing(UncreditedCharge::at).reversed().thenComparing(UncreditedCharge::chargeId))
                .limit(Math.max(0, limit)).toList();
    }

    @Override
    public synchronized Optional<UncreditedCharge> claimUncreditedRefund(String chargeId, Instant now,
                                                                         Instant staleBefore) {
        UncreditedCharge c = uncredited.get(chargeId);
        boolean claimable = c != null && (c.refund() == UncreditedRefund.OPEN
                || (c.refund() == UncreditedRefund.REFUNDING && c.askedAt().orElseThrow().isBefore(staleBefore)));
        if (!claimable) {
            return Optional.empty();
        }
        UncreditedCharge claimed = moved(c, UncreditedRefund.REFUNDING, c.attempt() + 1, Optional.of(now));
        uncredited.put(chargeId, claimed);
        return Optional.of(claimed);
    }

    @Override
    public synchronized boolean settleUncreditedRefund(String chargeId, int attempt, boolean refunded) {
        UncreditedCharge c = uncredited.get(chargeId);
        if (c == null || c.refund() != UncreditedRefund.REFUNDING || c.attempt() != attempt) {
            return false;
        }
        uncredited.put(chargeId, moved(c, refunded ? UncreditedRefund.REFUNDED : UncreditedRefund.OPEN, c.attempt(),
                c.askedAt()));
        return true;
    }

    @Override
    public synchronized boolean uncreditedRefunded(String chargeId) {
        UncreditedCharge c = uncredited.get(chargeId);
        if (c == null || c.refund() == UncreditedRefund.REFUNDED) {
            return false;
        }
        uncredited.put(chargeId, moved(c, UncreditedRefund.REFUNDED, c.attempt(), c.askedAt()));
        return true;
    }

    @Override
    public synchronized boolean recordHeldRefund(HeldStarsRefund owed) {
        return held.putIfAbsent(List.of(owed.chargeId(), owed.holdId()), owed) == null;
    }

    @Override
    public synchronized List<HeldStarsRefund> heldRefundsOnHold(String holdId) {
        return held.values().stream().filter(h -> h.holdId().equals(holdId)).sorted(OLDEST_FIRST).toList();
    }

    @Override
    public synchronized List<HeldStarsRefund> heldRefundsOfCharge(String chargeId) {
        return held.values().stream().filter(h -> h.chargeId().equals(chargeId)).sorted(OLDEST_FIRST).toList();
    }

    @Override
    public synchronized List<HeldStarsRefund> openHeldRefunds(int limit) {
        return held.entrySet().stream().filter(e -> !settled.contains(e.getKey())).map(Map.Entry::getValue)
                .filter(h -> ledger.holdState(h.holdId()).filter(s -> s != HoldState.PENDING).isPresent())
                .sorted(OLDEST_FIRST).limit(Math.max(0, limit)).toList();
    }

    @Override
    public synchronized boolean heldRefundSettled(String chargeId, String holdId) {
        List<String> key = List.of(chargeId, holdId);
        return held.containsKey(key) && settled.add(key);
    }

    private static final Comparator<HeldStarsRefund> OLDEST_FIRST = Comparator.comparing(HeldStarsRefund::at)
            .thenComparing(HeldStarsRefund::chargeId).thenComparing(HeldStarsRefund::holdId);

    @Override
    public boolean keepsStars() {
        return true;
    }

    private static UncreditedCharge moved(UncreditedCharge c, UncreditedRefund refund, int attempt,
                                          Optional<Instant> askedAt) {
        return new UncreditedCharge(c.chargeId(), c.userId(), c.payload(), c.stars(), c.reason(), c.at(), refund,
                attempt, askedAt);
    }
}
