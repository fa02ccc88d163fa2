package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.payments.HeldStarsRefund;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.testing.memory.InMemoryStores;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A refund of a job against a Stars refund's loss reads what other jobs' refunds sent back against it once the loss
 * is its turn ({@code Ledger.findAwaiting}), not before: a refund of another job that ended while this one waited for
 * its turn is counted, and the two send back no more than was lost. The other refund is made here at the moment this
 * one has first read what was sent back against the loss (in memory nothing waits; PostgreSQL's race:
 * {@code PgStarsRefundTurnsTest}).
 */
class RefundAgainstALossTakesItsTurnTest {
    private static final long U = 42;

    /**
     * The ledger, but a hook runs once right after the refunds sent back against losses are first read
     * ({@code JobRefundParts.againstLoss}, by their ids' beginning; the read returned as it was), and one when a turn on
     * an id is first taken. The read watched is {@code withIdPrefix}, not the loss account's {@code transfers}: a
     * forwarding ledger hands it to the store, not to Ledger's default that read every account's transfers.
     */
    private static final class ReadHook extends ForwardingLedger {
        private Runnable meanwhile = () -> { };
        /** Run once when a turn on this id is first taken: what committed while this one waited for it. */
        private final Map<String, Runnable> onTurn = new HashMap<>();

        ReadHook(Ledger real) {
            super(real);
        }

        @Override
        public Optional<Transfer> findAwaiting(String id) {
            Runnable other = onTurn.remove(id);
            if (other != null) {
                other.run();
            }
            return real.findAwaiting(id);
        }

        @Override
        public List<Transfer> withIdPrefix(String idPrefix) {
            List<Transfer> read = real.withIdPrefix(idPrefix);
            Runnable other = meanwhile;
            meanwhile = () -> { };
            other.run();
            return read;
        }
    }

    @Test
    void aRefundOfAnotherJobEndedMeanwhileIsCounted() {
        ReadHook[] ledger = new ReadHook[1];
        ShopHarness h = startedOnAHookedLedger(ledger);
        h.paid50Stars(U, "ch-1"); // 75 ₽
        h.clock.advance(Duration.ofMinutes(1));
        for (String job : List.of("gen_a", "gen_b")) { // each paid by ch-1, half of it
            assertThat(h.stores.ledger().transfer(job, AccountId.wallet(U), AccountId.REVENUE, 3_750,
                    TransferKind.GENERATION).succeeded()).isTrue();
        }
        // a loss less than the two jobs ch-1 paid: the ledger the old build left must still give no loss back twice
        halfOwedByATopUpsJobHalfLost(h, U);
        HeldStarsRefunds held = new HeldStarsRefunds(h.stores, h.clock);
        long[] otherToWallet = {-1};
        ledger[0].meanwhile = () -> otherToWallet[0] = held.giveBackAgainstLoss("gen_b", List.of("gen_b"), U,
                3_750);

        long toWallet = held.giveBackAgainstLoss("gen_a", List.of("gen_a"), U, 3_750);

        assertThat(otherToWallet[0]).as("the other refund, first: all against the loss").isZero();
        assertThat(toWallet).as("nothing left of the loss: all to the wallet").isEqualTo(3_750);
        assertThat(h.stores.ledger().transfers(AccountId.STARS_REFUND_LOSS)).filteredOn(t -> t.credit()
                .equals(AccountId.STARS_REFUND_LOSS)).extracting(Transfer::amount).containsExactly(3_750L);
        assertThat(h.stores.ledger().balance(AccountId.STARS_REFUND_LOSS).posted()).isZero();
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * The loss's turn itself: a refund of another job that committed while this one waited for the loss's id (in
     * memory, run when this one asks for that turn) is counted, as PostgreSQL's lock makes it
     * ({@code PgStarsRefundTurnsTest}); a refund that took no turn read the loss as it was before the other.
     */
    @Test
    void aRefundWaitsForTheLossesTurnAndCountsWhatCommittedMeanwhile() {
        ReadHook[] ledger = new ReadHook[1];
        ShopHarness h = startedOnAHookedLedger(ledger);
        h.paid50Stars(U, "ch-1");
        h.clock.advance(Duration.ofMinutes(1));
        for (String job : List.of("gen_a", "gen_b")) {
            assertThat(h.stores.ledger().transfer(job, AccountId.wallet(U), AccountId.REVENUE, 3_750,
                    TransferKind.GENERATION).succeeded()).isTrue();
        }
        halfOwedByATopUpsJobHalfLost(h, U); // a loss less than the two jobs ch-1 paid
        HeldStarsRefunds held = new HeldStarsRefunds(h.stores, h.clock);
        long[] otherToWallet = {-1};
        ledger[0].onTurn.put(StarsRefundAttempts.lossId("ch-1"), () -> otherToWallet[0] = held.giveBackAgainstLoss(
                "gen_b", List.of("gen_b"), U, 3_750));
        long toWallet = held.giveBackAgainstLoss("gen_a", List.of("gen_a"), U, 3_750);
        assertThat(otherToWallet[0]).as("the other refund, committed while this one waited: all against the loss")
                .isZero();
        assertThat(toWallet).as("nothing left of the loss: all to the wallet").isEqualTo(3_750);
        assertThat(h.stores.ledger().balance(AccountId.STARS_REFUND_LOSS).posted()).isZero();
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * Telegram's report of a Stars refund takes the turn of each running hold's resolution before reading the wallet
     * ({@code TopUps.awaitHoldsResolving}): a job's void that committed while the report waited (in memory, run when the
     * report asks for that turn) gave the wallet its money back, which the report then takes back whole; read before
     * it, the hold owed what it no longer held and the void's money stayed on the wallet (PgMoneyRacesTest, seed 68508).
     */
    @Test
    void aStarsRefundReportWaitsForARunningHoldsVoidAndTakesBackWhatItGaveBack() {
        ReadHook[] ledger = new ReadHook[1];
        ShopHarness h = startedOnAHookedLedger(ledger);
        String payload = h.paid50Stars(U, "ch-1"); // 75 ₽
        assertThat(h.stores.ledger().hold("gen_c", AccountId.wallet(U), AccountId.REVENUE, 3_000,
                TransferKind.GENERATION, h.clock.instant().plus(Duration.ofHours(1))).succeeded()).isTrue();
        ledger[0].onTurn.put(Ledger.voidId("gen_c"), () -> assertThat(h.stores.ledger()
                .voidHold(Ledger.voidId("gen_c"), "gen_c").succeeded()).isTrue());
        h.send(U, new Event.RefundedPayment("ch-1", payload, "XTR", 50));
        assertThat(h.stores.ledger().holdState("gen_c")).contains(HoldState.VOIDED);
        assertThat(h.balance(U)).as("the void's 30 ₽ taken back with the rest").isZero();
        assertThat(h.stores.payments().heldRefundsOnHold("gen_c")).as("owed nothing: no longer running").isEmpty();
        assertThat(h.stores.ledger().find(StarsRefundAttempts.lossId("ch-1"))).as("nothing lost").isEmpty();
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * The ledger an earlier build left after Telegram's refund of ch-1 (75 ₽) with its money spent and a top-up's
     * job running: that job owed half of ch-1 ({@code HeldStarsRefunds.owe} owed the oldest hold whoever paid it), the
     * other half was booked as loss. The report this build makes books all of ch-1, so the scenarios write it by hand
     * (also on PostgreSQL: {@code PgStarsRefundTurnsTest}).
     */
    static void halfOwedByATopUpsJobHalfLost(ShopHarness h, long user) {
        h.topUp(user, 3_750);
        assertThat(h.stores.ledger().hold("gen_c", AccountId.wallet(user), AccountId.REVENUE, 3_750,
                TransferKind.GENERATION, h.clock.instant().plus(Duration.ofHours(1))).succeeded()).isTrue();
        h.clock.advance(Duration.ofMinutes(1));
        assertThat(h.stores.payments().recordHeldRefund(new HeldStarsRefund("ch-1", "gen_c", user, 3_750,
                h.clock.instant()))).isTrue();
        assertThat(h.stores.ledger().transfer(StarsRefundAttempts.lossId("ch-1"), AccountId.STARS_REFUND_LOSS,
                AccountId.STARS_CLEARING, 3_750, TransferKind.STARS_REFUND_LOSS).succeeded()).isTrue();
    }


    /** A shop on in-memory stores whose ledger is a {@link ReadHook}, put in {@code ledger[0]}; U started. */
    private static ShopHarness startedOnAHookedLedger(ReadHook[] ledger) {
        return new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
                .withAdmins(Set.of(ShopHarness.ADMIN)).withAdmission(AdmissionPolicy.off()), ShopHarness.MANUAL,
                UnaryOperator.identity(), clock -> {
                    Stores memory = InMemoryStores.create(clock);
                    ledger[0] = new ReadHook(memory.ledger());
                    return memory.withLedger(ledger[0]);
                }).startedByAdminAnd(U);
    }

}
