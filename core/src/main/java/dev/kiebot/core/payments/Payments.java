package dev.kiebot.core.payments;

import java.util.List;
import java.util.Optional;

/** Persistence of invoices and Stars charges (port). */
public interface Payments {
    void saveInvoice(Invoice invoice);

    Optional<Invoice> invoice(String payload);

    /** Records a charge once. @return false if the charge id was already recorded */
    boolean recordCharge(StarsCharge charge);

    Optional<StarsCharge> charge(String chargeId);

    List<StarsCharge> charges(long userId, int limit);
}
