package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Balance;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.testing.memory.InMemoryStores;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A hold made outside the user's chat — an admin's {@code /refund_stars} of his other charge — between Telegram's
 * report of a Stars refund reading his running holds ({@code TopUps.awaitHoldsResolving}) and taking the money back.
 * The report took nothing of what the hold took; had the hold owed it, its void before the report committed (Telegram
 * refusing the admin's refund) would have settled no debt (in PostgreSQL the report's was not yet committed; here the
 * void and its settling run right after the report read the hold as running), the money left on the wallet till the
 * upkeep's sweep. It owes nothing: the hold of a charge's refund holds that charge's money by the walk, and the ending
 * is the one of a hold the report saw (pinned here with raw ledger calls, as the race made them). A job "charged
 * again" is held and posted in one transaction: never running for a report, never voided. The admin's press now takes
 * the user's turn before its hold besides, so that a report in flight is waited for and sees it.
 */
class StarsRefundReportBesideAnOutsideHoldTest {
    private static final long U = 42;
    private static final String ADMINS_HOLD = StarsRefundAttempts.holdId("ch-0", 1);

    /** The ledger with hooks run once: after a read of an account's balance, before a turn, after a hold's state. */
    private static final class Hooks extends ForwardingLedger {
        private final Map<String, Runnable> afterBalance = new HashMap<>();
        private final Map<String, Runnable> beforeTurn = new HashMap<>();
        private final Map<String, Runnable> afterState = new HashMap<>();
        private final List<String> calls = new ArrayList<>();

        Hooks(Ledger real) {
            super(real);
        }

        @Override
        public Balance balance(AccountId account) {
            Balance read = real.balance(account);
            Optional.ofNullable(afterBalance.remove(account.value())).ifPresent(Runnable::run);
            return read;
        }

        @Override
        public Optional<Transfer> findAwaiting(String id) {
            calls.add("turn " + id);
            Optional.ofNullable(beforeTurn.remove(id)).ifPresent(Runnable::run);
            return real.findAwaiting(id);
        }

        @Override
        public Optional<HoldState> holdState(String holdId) {
            Optional<HoldState> read = real.holdState(holdId);
            Optional.ofNullable(afterState.remove(holdId)).ifPresent(Runnable::run);
            return read;
        }

        @Override
        public LedgerResult hold(String id, AccountId debit, AccountId credit, long amount, TransferKind kind,
                                 Instant timeoutAt) {
            calls.add("hold " + id);
            return real.hold(id, debit, credit, amount, kind, timeoutAt);
        }
    }

    private final Hooks[] ledger = new Hooks[1];
    private final ShopHarness h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
            .withAdmins(Set.of(ShopHarness.ADMIN)).withAdmission(AdmissionPolicy.off()), ShopHarness.MANUAL,
            UnaryOperator.identity(), clock -> {
                Stores memory = InMemoryStores.create(clock);
                ledger[0] = new Hooks(memory.ledger());
                return memory.withLedger(ledger[0]);
            }).startedByAdminAnd(U);
    private final HeldStarsRefunds held = new HeldStarsRefunds(h.stores, h.clock);

    /**
     * ch-0 paid (75 ₽) and taken off by an admin's {@code /debit_user}, then ch-1 paid (75 ₽): the 75 ₽ free are
     * ch-1's, and the admin's hold of ch-0's amount holds ch-1's money (the walk gives a job ch-0 paid to the money a
     * taking back of ch-0 takes instead, not a debit: with a job, the hold held ch-0's own money and owed ch-1
     * nothing, the race changing no ending). Telegram's report of
     * ch-1's refund comes; right after its read of the running holds (none) the admin's refund of ch-0 holds the 75 ₽.
     */
    private String reportMeetsTheAdminsHoldInTheGap() {
        h.paid50Stars(U, "ch-0");
        h.clock.advance(Duration.ofMinutes(1));
        assertThat(h.stores.ledger().transfer("debit-1", AccountId.wallet(U), AccountId.MANUAL_CLEARING, 7_500,
                TransferKind.DEBIT_MANUAL).succeeded()).isTrue();
        h.clock.advance(Duration.ofMinutes(1));
        String payload = h.paid50Stars(U, "ch-1");
        h.clock.advance(Duration.ofMinutes(1));
        // the take-back's read of the wallet is the report's first: the holds were read just before it
        ledger[0].afterBalance.put(AccountId.wallet(U).value(), () -> assertThat(h.stores.ledger().hold(ADMINS_HOLD,
                AccountId.wallet(U), AccountId.STARS_CLEARING, 7_500, TransferKind.STARS_REFUND,
                h.clock.instant().plus(StarsRefundDesk.HOLD_FOR))).matches(LedgerResult::succeeded));
        return payload;
    }

    /** Telegram refused the admin's refund: the hold voided and settled, as {@code StarsRefundDesk} does. */
    private void adminsRefundRefused() {
        assertThat(h.stores.ledger().voidHold(Ledger.voidId(ADMINS_HOLD), ADMINS_HOLD).succeeded()).isTrue();
        held.settle(ADMINS_HOLD);
    }

    /**
     * Voided after the report read the hold as running (its settling before any debt could be recorded), or before
     * the report's owing read it: either way the hold owes ch-1 nothing, as the walk says it holds ch-0's own money
     * (a taking back of ch-0 relabels what ch-0 paid as paid by the money it takes instead), so the report ends as if
     * it had seen the hold: ch-1 spent (the debit), booked as the shop's loss; ch-0's 75 ₽ back on the wallet, as
     * Telegram refused; nothing for the sweep. The user is not behind, nothing was made.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aHoldInTheGapVoidedBeforeTheReportCommitsEndsAsIfTheReportHadSeenIt(boolean afterTheOwingRead) {
        String payload = reportMeetsTheAdminsHoldInTheGap();
        if (afterTheOwingRead) {
            ledger[0].afterState.put(ADMINS_HOLD, this::adminsRefundRefused);
        } else {
            ledger[0].beforeTurn.put(ADMINS_HOLD, this::adminsRefundRefused);
        }

        h.send(U, new Event.RefundedPayment("ch-1", payload, "XTR", 50));

        assertThat(h.stores.ledger().holdState(ADMINS_HOLD)).contains(HoldState.VOIDED);
        assertThat(h.stores.payments().heldRefundsOnHold(ADMINS_HOLD)).as("owed nothing").isEmpty();
        assertThat(h.balance(U)).as("ch-0's money, its refund refused").isEqualTo(7_500);
        assertThat(h.stores.ledger().find(StarsRefundAttempts.lossId("ch-1"))).map(Transfer::amount)
                .as("ch-1 spent: the shop's loss").contains(7_500L);
        assertThat(held.sweep(100)).as("nothing for the sweep").isZero();
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * Why such a hold is no longer placed there: the admin's press takes the user's turn (the one a report holds from before its
     * read of the running holds till it commits) after its charge's lock and before its hold, so that on PostgreSQL it
     * is placed before the report's read or after its commit.
     */
    @Test
    void anAdminsRefundOfAnotherChargeTakesTheUsersTurnBeforeItsHold() {
        h.paid50Stars(U, "ch-0");
        ledger[0].calls.clear();

        h.adminConfirmed("refund_stars", "ch-0");

        assertThat(ledger[0].calls).filteredOn(c -> c.equals("turn " + HeldStarsRefunds.usersTurnId(U))
                || c.equals("hold " + ADMINS_HOLD)).containsExactly("turn " + HeldStarsRefunds.usersTurnId(U),
                "hold " + ADMINS_HOLD);
    }
}
