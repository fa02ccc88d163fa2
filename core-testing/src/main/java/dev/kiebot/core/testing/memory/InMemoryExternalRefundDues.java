package dev.kiebot.core.testing.memory;

import dev.kiebot.core.payments.ExternalRefundDue;
import dev.kiebot.core.payments.ExternalRefundDues;
import dev.kiebot.core.shop.KeptInMemory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What each refund of an external payment was due, in a list: for tests only, forgotten at a restart. */
public final class InMemoryExternalRefundDues implements ExternalRefundDues, KeptInMemory {
    private final List<ExternalRefundDue> dues = new ArrayList<>();
    /** The transactions {@link #record} joins, when given: a rolled-back refund's due goes with it. */
    private final java.util.Optional<InMemoryTransactions> transactions;

    /** No refund recorded; each due stands whatever becomes of the transaction that recorded it. */
    public InMemoryExternalRefundDues() {
        this.transactions = java.util.Optional.empty();
    }

    /**
     * No refund recorded; a due recorded in a transaction that rolls back is forgotten, as the port asks (a due left
     * by a rolled-back refund, with no ledger entry beside it, would refuse each later report of that refund).
     */
    InMemoryExternalRefundDues(InMemoryTransactions transactions) {
        this.transactions = java.util.Optional.of(transactions);
    }

    @Override
    public synchronized boolean record(ExternalRefundDue due) {
        if (dues.stream().anyMatch(d -> d.refundId().equals(due.refundId()))) {
            return false;
        }
        dues.add(due);
        transactions.ifPresent(t -> t.onRollback(() -> forget(due)));
        return true;
    }

    @SuppressWarnings("ReferenceEquality") // removes that very due: an equal one may be another's
    private synchronized void forget(ExternalRefundDue due) {
        dues.removeIf(d -> d == due);
    }

    @Override
    public synchronized List<ExternalRefundDue> of(String creditId) {
        // oldest first, as PostgreSQL orders them (at, then the refund id)
        return dues.stream().filter(d -> d.creditId().equals(creditId))
                .sorted(Comparator.comparing(ExternalRefundDue::at).thenComparing(ExternalRefundDue::refundId))
                .toList();
    }
}
