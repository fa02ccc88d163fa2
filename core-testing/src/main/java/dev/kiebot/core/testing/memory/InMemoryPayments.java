package dev.kiebot.core.testing.memory;

import dev.kiebot.core.payments.ChargeRecord;
import dev.kiebot.core.payments.Invoice;
import dev.kiebot.core.payments.Payments;
import dev.kiebot.core.payments.StarsCharge;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public final class InMemoryPayments implements Payments {
    private final Map<String, Invoice> invoices = new LinkedHashMap<>();
    private final Map<String, StarsCharge> charges = new LinkedHashMap<>();

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
        if (invoice.paid()) {
            return ChargeRecord.CONFLICT;
        }
        invoices.put(invoice.payload(), new Invoice(invoice.payload(), invoice.userId(), invoice.stars(),
                invoice.amount(), invoice.createdAt(), Optional.of(charge.chargeId())));
        charges.put(charge.chargeId(), charge);
        return ChargeRecord.NEW;
    }

    @Override
    public synchronized Optional<StarsCharge> charge(String chargeId) {
        return Optional.ofNullable(charges.get(chargeId));
    }

    @Override
    public synchronized List<StarsCharge> charges(long userId, int limit) {
        List<StarsCharge> mine = new ArrayList<>(charges.values().stream().filter(c -> c.userId() == userId).toList());
        mine.sort(Comparator.comparing(StarsCharge::at).reversed());
        return mine.subList(0, Math.min(limit, mine.size()));
    }
}
