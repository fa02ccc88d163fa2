package dev.kiebot.core.testing.memory;

import dev.kiebot.core.payments.ExternalRefundDue;
import dev.kiebot.core.payments.ExternalRefundDues;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What each refund of an external payment was due, in a list: for tests only, forgotten at a restart. */
public final class InMemoryExternalRefundDues implements ExternalRefundDues {
    private final List<ExternalRefundDue> dues = new ArrayList<>();

    /** No refund recorded. */
    public InMemoryExternalRefundDues() {
    }

    @Override
    public synchronized boolean record(ExternalRefundDue due) {
        if (dues.stream().anyMatch(d -> d.refundId().equals(due.refundId()))) {
            return false;
        }
        dues.add(due);
        return true;
    }

    @Override
    public synchronized List<ExternalRefundDue> of(String creditId) {
        // oldest first, as PostgreSQL orders them (at, then the refund id)
        return dues.stream().filter(d -> d.creditId().equals(creditId))
                .sorted(Comparator.comparing(ExternalRefundDue::at).thenComparing(ExternalRefundDue::refundId))
                .toList();
    }
}
