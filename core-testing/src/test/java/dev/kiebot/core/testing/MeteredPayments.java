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
import java.util.function.Supplier;

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
        return metered(() -> real.invoice(payload));
    }

    @Override
    public ChargeRecord recordCharge(StarsCharge charge) {
        return metered(() -> real.recordCharge(charge));
    }

    @Override
    public Optional<StarsCharge> charge(String chargeId) {
        return metered(() -> real.charge(chargeId));
    }

    @Override
    public Optional<StarsCharge> lockCharge(String chargeId) {
        return metered(() -> real.lockCharge(chargeId));
    }

    @Override
    public List<StarsCharge> charges(long userId, int limit) {
        return metered(() -> real.charges(userId, limit));
    }

    @Override
    public boolean recordUncredited(UncreditedCharge charge) {
        return metered(() -> real.recordUncredited(charge));
    }

    @Override
    public Optional<UncreditedCharge> uncredited(String chargeId) {
        return metered(() -> real.uncredited(chargeId));
    }

    @Override
    public List<UncreditedCharge> uncreditedCharges(long userId, int limit) {
        return metered(() -> real.uncreditedCharges(userId, limit));
    }

    @Override
    public Optional<UncreditedCharge> claimUncreditedRefund(String chargeId, Instant now, Instant staleBefore) {
        return metered(() -> real.claimUncreditedRefund(chargeId, now, staleBefore));
    }

    @Override
    public boolean settleUncreditedRefund(String chargeId, int attempt, boolean refunded) {
        return metered(() -> real.settleUncreditedRefund(chargeId, attempt, refunded));
    }

    @Override
    public boolean uncreditedRefunded(String chargeId) {
        return metered(() -> real.uncreditedRefunded(chargeId));
    }

    @Override
    public boolean recordHeldRefund(HeldStarsRefund owed) {
        return metered(() -> real.recordHeldRefund(owed));
    }

    @Override
    public List<HeldStarsRefund> heldRefundsOnHold(String holdId) {
        return metered(() -> real.heldRefundsOnHold(holdId));
    }

    @Override
    public List<HeldStarsRefund> heldRefundsOfCharge(String chargeId) {
        return metered(() -> real.heldRefundsOfCharge(chargeId));
    }

    @Override
    public List<HeldStarsRefund> openHeldRefunds(int limit) {
        return metered(() -> real.openHeldRefunds(limit));
    }

    @Override
    public boolean heldRefundSettled(String chargeId, String holdId) {
        return metered(() -> real.heldRefundSettled(chargeId, holdId));
    }

    @Override
    public boolean keepsStars() {
        return real.keepsStars();
    }

    /** Counts the call, then makes it. */
    private <T> T metered(Supplier<T> call) {
        calls.incrementAndGet();
        return call.get();
    }

    @Override
    public String toString() {
        return "metered " + real;
    }
}
