package dev.kiebot.core.testing;

import dev.kiebot.core.payments.ChargeRecord;
import dev.kiebot.core.payments.HeldStarsRefund;
import dev.kiebot.core.payments.Invoice;
import dev.kiebot.core.payments.Payments;
import dev.kiebot.core.payments.StarsCharge;
import dev.kiebot.core.payments.UncreditedCharge;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A partner's decorator of a {@link Payments} store: it counts the calls (as a metrics wrapper would) and forwards
 * every one, {@link #keepsStars()} too. Around {@code Payments.none()} it is another object that keeps no Stars.
 */
public final class MeteredPayments implements Payments {
    private final Payments real;
    /** Every call made through it. */
    public final AtomicInteger calls = new AtomicInteger();

    public MeteredPayments(Payments real) {
        this.real = real;
    }

    @Override
    public void saveInvoice(Invoice invoice) {
        calls.incrementAndGet();
        real.saveInvoice(invoice);
    }

    @Override
    public Optional<Invoice> invoice(String payload) {
        calls.incrementAndGet();
        return real.invoice(payload);
    }

    @Override
    public ChargeRecord recordCharge(StarsCharge charge) {
        calls.incrementAndGet();
        return real.recordCharge(charge);
    }

    @Override
    public Optional<StarsCharge> charge(String chargeId) {
        calls.incrementAndGet();
        return real.charge(chargeId);
    }

    @Override
    public Optional<StarsCharge> lockCharge(String chargeId) {
        calls.incrementAndGet();
        return real.lockCharge(chargeId);
    }

    @Override
    public List<StarsCharge> charges(long userId, int limit) {
        calls.incrementAndGet();
        return real.charges(userId, limit);
    }

    @Override
    public boolean recordUncredited(UncreditedCharge charge) {
        calls.incrementAndGet();
        return real.recordUncredited(charge);
    }

    @Override
    public Optional<UncreditedCharge> uncredited(String chargeId) {
        calls.incrementAndGet();
        return real.uncredited(chargeId);
    }

    @Override
    public List<UncreditedCharge> uncreditedCharges(long userId, int limit) {
        calls.incrementAndGet();
        return real.uncreditedCharges(userId, limit);
    }

    @Override
    public Optional<UncreditedCharge> claimUncreditedRefund(String chargeId, Instant now, Instant staleBefore) {
        calls.incrementAndGet();
        return real.claimUncreditedRefund(chargeId, now, staleBefore);
    }

    @Override
    public boolean settleUncreditedRefund(String chargeId, int attempt, boolean refunded) {
        calls.incrementAndGet();
        return real.settleUncreditedRefund(chargeId, attempt, refunded);
    }

    @Override
    public boolean uncreditedRefunded(String chargeId) {
        calls.incrementAndGet();
        return real.uncreditedRefunded(chargeId);
    }

    @Override
    public boolean recordHeldRefund(HeldStarsRefund owed) {
        calls.incrementAndGet();
        return real.recordHeldRefund(owed);
    }

    @Override
    public List<HeldStarsRefund> heldRefundsOnHold(String holdId) {
        calls.incrementAndGet();
        return real.heldRefundsOnHold(holdId);
    }

    @Override
    public List<HeldStarsRefund> heldRefundsOfCharge(String chargeId) {
        calls.incrementAndGet();
        return real.heldRefundsOfCharge(chargeId);
    }

    @Override
    public List<HeldStarsRefund> openHeldRefunds(int limit) {
        calls.incrementAndGet();
        return real.openHeldRefunds(limit);
    }

    @Override
    public boolean heldRefundSettled(String chargeId, String holdId) {
        calls.incrementAndGet();
        return real.heldRefundSettled(chargeId, holdId);
    }

    @Override
    public boolean keepsStars() {
        return real.keepsStars();
    }

    @Override
    public String toString() {
        return "metered " + real;
    }
}
