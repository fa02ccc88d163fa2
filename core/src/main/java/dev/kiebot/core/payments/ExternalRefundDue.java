package dev.kiebot.core.payments;

import java.time.Instant;
import java.util.Objects;

/**
 * What one refund of a payment your own provider took was due to take back ({@link ExternalRefundDues}): the refund's
 * amount (the rest of the payment, for the whole of it) as far as the payment had it left, whether or not the wallet
 * had it. What it took is in the ledger under {@code refundId}; the rest is the shop's loss.
 *
 * @param creditId the payment's ledger id ({@link ExternalPayment#creditId()}, {@link ExternalRefund#creditId()})
 * @param refundId the refund's ledger id ({@link ExternalRefund#refundId()}): the whole payment's, or a part's
 * @param due      what the refund gave back of the payment, in the shop's minor units, above 0
 * @param at       when it was taken back, by the shop's clock
 */
public record ExternalRefundDue(String creditId, String refundId, long due, Instant at) {
    /**
     * Checks the values.
     *
     * @param creditId never null or blank
     * @param refundId never null or blank
     * @param due      above 0
     * @param at       never null
     * @throws NullPointerException     naming the value left null
     * @throws IllegalArgumentException for a blank id or a due of 0 or less
     */
    public ExternalRefundDue {
        Objects.requireNonNull(creditId, "creditId");
        Objects.requireNonNull(refundId, "refundId");
        Objects.requireNonNull(at, "at");
        if (creditId.isBlank() || refundId.isBlank()) {
            throw new IllegalArgumentException("creditId and refundId must not be blank");
        }
        if (due <= 0) {
            throw new IllegalArgumentException("due " + due + " of " + refundId + " must be above 0: a refund that "
                    + "gave nothing of the payment back is not recorded");
        }
    }
}
