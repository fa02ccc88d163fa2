package dev.kiebot.core.payments;

import java.util.List;

/**
 * What each refund of a payment your own provider took was due to take back (port), kept for good as the ledger is:
 * the shop counts a payment's earlier refunds by it, so that its refunds together never give back more than it
 * credited, also when a refund found the wallet short (it took less than it gave back) and the next one comes months
 * later, long after the audit trail that also says it was purged. Written by {@code shop.externalTopUps().refunded}
 * inside its transaction, which {@link #record} must join: a refund rolled back leaves no due behind, one committed
 * never lacks it. {@code ExternalRefundDuesContract} of core-testing checks a store of your own.
 */
public interface ExternalRefundDues {
    /**
     * Keeps what a refund was due, once per refund: a refund id recorded before stays as it was. Two calls at once for
     * one refund id record one between them, the second waiting for the first's transaction to end.
     *
     * @param due the refund's due
     * @return whether this call recorded it (false: its refund id was recorded before, nothing changed)
     */
    boolean record(ExternalRefundDue due);

    /**
     * Every refund of the payment recorded, committed or of this transaction, the oldest first.
     *
     * @param creditId the payment's ledger id ({@link ExternalPayment#creditId()})
     * @return its refunds' dues; empty when none
     */
    List<ExternalRefundDue> of(String creditId);
}
