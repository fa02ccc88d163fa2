package dev.kiebot.core.payments;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link Payments#none()}: the Stars store of a shop that sells no Stars. It keeps nothing, so reads find nothing and
 * every write is refused: a stub that kept charges in memory would lose them, and the refunds they are kept for, at
 * the first restart, while looking like a store.
 */
enum NoStarsPayments implements Payments {
    INSTANCE;

    @Override
    public void saveInvoice(Invoice invoice) {
        throw refused("an invoice");
    }

    @Override
    public Optional<Invoice> invoice(String payload) {
        return Optional.empty();
    }

    @Override
    public ChargeRecord recordCharge(StarsCharge charge) {
        throw refused("a Stars charge");
    }

    @Override
    public Optional<StarsCharge> charge(String chargeId) {
        return Optional.empty();
    }

    @Override
    public Optional<StarsCharge> lockCharge(String chargeId) {
        return Optional.empty(); // nothing is kept, so nothing is there to lock
    }

    @Override
    public List<StarsCharge> charges(long userId, int limit) {
        return List.of();
    }

    @Override
    public boolean recordUncredited(UncreditedCharge charge) {
        throw refused("a Stars payment not credited");
    }

    @Override
    public Optional<UncreditedCharge> uncredited(String chargeId) {
        return Optional.empty();
    }

    @Override
    public List<UncreditedCharge> uncreditedCharges(long userId, int limit) {
        return List.of();
    }

    @Override
    public Optional<UncreditedCharge> claimUncreditedRefund(String chargeId, Instant now, Instant staleBefore) {
        throw refused("the refund of a Stars payment");
    }

    @Override
    public boolean settleUncreditedRefund(String chargeId, int attempt, boolean refunded) {
        throw refused("the refund of a Stars payment");
    }

    @Override
    public boolean uncreditedRefunded(String chargeId) {
        throw refused("the refund of a Stars payment");
    }

    @Override
    public boolean recordHeldRefund(HeldStarsRefund owed) {
        throw refused("the refund of a Stars payment");
    }

    @Override
    public List<HeldStarsRefund> heldRefundsOnHold(String holdId) {
        return List.of();
    }

    @Override
    public List<HeldStarsRefund> heldRefundsOfCharge(String chargeId) {
        return List.of();
    }

    @Override
    public List<HeldStarsRefund> openHeldRefunds(int limit) {
        return List.of();
    }

    @Override
    public boolean heldRefundSettled(String chargeId, String holdId) {
        return false;
    }

    @Override
    public boolean keepsStars() {
        return false;
    }

    @Override
    public String toString() {
        return "Payments.none()";
    }

    private static UnsupportedOperationException refused(String what) {
        return new UnsupportedOperationException("Payments.none() cannot keep " + what + ": this shop sells no Stars "
                + "(ShopSettings.withoutStars()); a shop that takes Stars payments needs a Payments store of its own, "
                + "passing core-testing's StoresContract and ChargeLockContract");
    }
}
