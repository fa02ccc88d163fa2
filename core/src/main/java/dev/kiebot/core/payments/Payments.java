package dev.kiebot.core.payments;

import java.util.List;
import java.util.Optional;

/** Persistence of invoices and Stars charges (port). */
public interface Payments {
    void saveInvoice(Invoice invoice);

    Optional<Invoice> invoice(String payload);

    /**
     * Records a charge and marks its invoice ({@code charge.payload()}) paid by it, in one atomic step: an
     * invoice is paid at most once, a charge id is recorded once. The invoice must exist.
     */
    ChargeRecord recordCharge(StarsCharge charge);

    Optional<StarsCharge> charge(String chargeId);

    List<StarsCharge> charges(long userId, int limit);
}
