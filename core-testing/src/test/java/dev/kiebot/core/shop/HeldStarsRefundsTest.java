package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.ChargeRecord;
import dev.kiebot.core.payments.HeldStarsRefund;
import dev.kiebot.core.payments.Invoice;
import dev.kiebot.core.payments.StarsCharge;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.memory.InMemoryStores;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HeldStarsRefunds}' rules PIT's surviving mutants (2026-12-08) showed no test held to: a hold never owes
 * more than it holds, whatever owes it already; one user's turn is not another's.
 */
class HeldStarsRefundsTest {
    private static final long U = 42;
    private static final String HOLD = "gen_1";
    private final MutableClock clock = MutableClock.at("2026-12-08T10:00:00Z");
    private final Stores stores = InMemoryStores.create(clock);
    private final Ledger ledger = stores.ledger();
    private final HeldStarsRefunds held = new HeldStarsRefunds(stores, clock);

    @BeforeEach
    void aJobRunningOnTheStars() {
        assertThat(ledger.transfer(TopUps.creditId("ch-1"), AccountId.STARS_CLEARING, AccountId.wallet(U), 300,
                TransferKind.TOP_UP_STARS).succeeded()).isTrue();
        assertThat(ledger.hold(HOLD, AccountId.wallet(U), AccountId.REVENUE, 300, TransferKind.GENERATION,
                clock.instant().plus(Duration.ofHours(1))).succeeded()).isTrue();
    }

    /**
     * The hold of 3.00 the Stars of ch-1 paid owes all of it already to another charge's refund (a record an earlier
     * build made, owing whoever paid the hold): ch-1's refund finds no room left in it and owes nothing there, the
     * whole remainder left to the caller to book as the loss. Owed again, the hold's void would give 6.00 to the
     * Stars out of 3.00.
     */
    @Test
    void aHoldOwesNoMoreThanItHoldsLessWhatItOwesAlready() {
        assertThat(stores.payments().recordHeldRefund(new HeldStarsRefund("ch-0", HOLD, U, 300, clock.instant())))
                .isTrue();

        assertThat(held.owe(charge("ch-1"), 300)).isZero();
        assertThat(stores.payments().heldRefundsOnHold(HOLD)).extracting(HeldStarsRefund::chargeId)
                .containsExactly("ch-0");
    }

    /** With room in it, the hold owes the charge what it holds of its money. */
    @Test
    void aHoldWithRoomOwesWhatItHoldsOfTheCharge() {
        assertThat(stores.payments().recordHeldRefund(new HeldStarsRefund("ch-0", HOLD, U, 100, clock.instant())))
                .isTrue();

        assertThat(held.owe(charge("ch-1"), 300)).as("3.00 held less the 1.00 owed to ch-0").isEqualTo(200);
    }

    /** Each user's refunds take turns among themselves only: one user's turn is not another's. */
    @Test
    void oneUsersTurnIsNotAnothers() {
        assertThat(HeldStarsRefunds.usersTurnId(U)).isEqualTo("stars-refunds:42")
                .isNotEqualTo(HeldStarsRefunds.usersTurnId(U + 1));
    }

    /**
     * A job's refund goes against the loss of a Stars refund of its own user's charges only: a credit named after
     * another user's charge (none this build writes: a charge's credit id is made once, on its payer's wallet) paid
     * the job, and that charge's refund booked a loss; the refund of U's job leaves all of it for U's wallet.
     */
    @Test
    void aRefundGoesAgainstTheLossesOfItsOwnUsersChargesOnly() {
        stores.payments().saveInvoice(new Invoice("topup:ch-v", U + 1, 150, 300, clock.instant()));
        assertThat(stores.payments().recordCharge(new StarsCharge("ch-v", U + 1, "topup:ch-v", 150, 300,
                clock.instant()))).isEqualTo(ChargeRecord.NEW);
        assertThat(ledger.voidHold(Ledger.voidId(HOLD), HOLD).succeeded()).isTrue();
        assertThat(ledger.transfer("w", AccountId.wallet(U), AccountId.STARS_CLEARING, 300, TransferKind.STARS_REFUND)
                .succeeded()).as("ch-1's money gone").isTrue();
        assertThat(ledger.transfer(TopUps.creditId("ch-v"), AccountId.STARS_CLEARING, AccountId.wallet(U), 300,
                TransferKind.TOP_UP_STARS).succeeded()).isTrue();
        assertThat(ledger.hold("gen_2", AccountId.wallet(U), AccountId.REVENUE, 300, TransferKind.GENERATION,
                clock.instant().plus(Duration.ofHours(1))).succeeded()).isTrue();
        assertThat(ledger.post(Ledger.postId("gen_2"), "gen_2", 300).succeeded()).isTrue();
        assertThat(ledger.transfer(StarsRefundAttempts.lossId("ch-v"), AccountId.STARS_REFUND_LOSS,
                AccountId.STARS_CLEARING, 300, TransferKind.STARS_REFUND_LOSS).succeeded()).isTrue();

        assertThat(held.leftForWallet("gen_2", List.of("gen_2"), U, 300)).isEqualTo(300);
    }

    private StarsCharge charge(String id) {
        return new StarsCharge(id, U, "topup:" + id, 150, 300, clock.instant());
    }
}
