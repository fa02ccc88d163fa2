package dev.kiebot.examples.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.ConnectionLoss;
import dev.kiebot.core.shop.Contention;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.testing.ShopHarness;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the example's {@link Intake}, the loop partners copy, does with an update whose handling failed. */
class IntakeTest {
    private static final long U = 501;
    private final ShopHarness h = new ShopHarness().startedByAdminAnd(U);

    /**
     * An update too deep to handle (a StackOverflowError) is the update's failure, not the process's: given up with
     * an apology like a bug's exception. Thrown on, it was rolled back, stayed first in its chat for good, and failed
     * every start's handleWaiting.
     */
    @Test
    void anUpdateThatOverflowsTheStackIsApologizedForAndItsChatGoesOn() {
        h.messenger.drain();
        AtomicBoolean deep = new AtomicBoolean(true);
        Intake intake = new Intake(h.shop, u -> {
            if (u.payload().equals("text deep") && deep.getAndSet(false)) {
                throw new StackOverflowError();
            }
            return incoming(u);
        }, h.clock);
        intake.record(910, U, "text deep");
        intake.record(911, U, "text hello");

        assertThat(intake.handleWaiting()).as("the deep one given up, the next one handled").isEqualTo(2);
        h.deliver();
        assertThat(h.messenger.drain()).filteredOn(r -> r.chatId() == U)
                .anySatisfy(r -> assertThat(((Reply.SendText) r).text()).contains("upd_910"));
        assertThat(h.stores.processedUpdates().oldestPending()).isEmpty();
    }

    /**
     * An Error that comes back on the same update is the update's (a library that throws {@code InternalError} on
     * its data): thrown on a few times, the update left pending, then given up with an apology and the
     * chat's next update handled. Thrown on for ever, it stayed first in the inbox and failed every handleWaiting.
     */
    @Test
    void anUpdateThatKeepsThrowingAnErrorIsGivenUpAfterAFewTriesAndItsChatGoesOn() {
        h.messenger.drain();
        AtomicInteger handlings = new AtomicInteger();
        Intake intake = new Intake(h.shop, u -> {
            // each handling of it throws; the apology's translation (the last) does not
            if (u.payload().equals("text fonts") && handlings.incrementAndGet() <= Intake.ERROR_TRIES_MAX + 1) {
                throw new InternalError("Fontconfig head is null");
            }
            return incoming(u);
        }, h.clock);
        intake.record(930, U, "text fonts");
        intake.record(931, U, "text hello");

        for (int i = 0; i < Intake.ERROR_TRIES_MAX; i++) {
            assertThatThrownBy(intake::handleWaiting).as("left pending, try %d", i + 1)
                    .isInstanceOf(InternalError.class);
            assertThat(h.stores.processedUpdates().oldestPending()).isPresent();
        }
        assertThat(intake.handleWaiting()).as("given up, then the next one").isEqualTo(2);
        h.deliver();
        assertThat(h.messenger.drain()).filteredOn(r -> r.chatId() == U)
                .anySatisfy(r -> assertThat(((Reply.SendText) r).text()).contains("upd_930"));
        assertThat(h.stores.processedUpdates().oldestPending()).isEmpty();
    }

    /** Recorded as "pay charge payload" or "text …": your platform's raw update. */
    private static Optional<Incoming> incoming(PendingUpdate u) {
        String[] f = u.payload().split(" ", 3);
        Event event = f[0].equals("pay") ? new Event.SuccessfulPayment(f[1], f[2], "XTR", 50)
                : new Event.Text(u.payload().substring(5));
        return Optional.of(new Incoming(u.updateId(), ShopHarness.actor(U, "en"), event).receivedAt(u.recordedAt()));
    }

    /**
     * A pool's timeout while a Stars payment was handled: apologized for, the payment was kept as not credited and
     * the update marked done, the Stars waiting for an admin's refund. Left pending, it is credited at the next try.
     */
    @Test
    void aPaymentCutOffByALostConnectionStaysPendingWithNoApologyAndIsCreditedOnceLater() {
        String payload = h.invoiceFor50Stars(U);
        h.messenger.drain();
        AtomicBoolean lost = new AtomicBoolean(true);
        Shop cutOff = h.anotherInstance(s -> s.withLedger(new ForwardingLedger(s.ledger()) {
            @Override
            public LedgerResult transfer(String id, AccountId debit, AccountId credit, long amount, TransferKind kind) {
                if (lost.getAndSet(false)) {
                    throw new IllegalStateException("Unable to acquire a connection",
                            new SQLTransientConnectionException("Connection is not available, request timed out"));
                }
                return super.transfer(id, debit, credit, amount, kind);
            }
        }));
        Intake intake = new Intake(cutOff, IntakeTest::incoming, h.clock);
        assertThat(intake.record(900, U, "pay ch-1 " + payload)).isTrue();

        assertThatThrownBy(intake::handleWaiting).satisfies(e -> assertThat(ConnectionLoss.in(e)).isTrue());
        h.deliver();
        assertThat(h.messenger.drain()).as("no apology, no «not credited»").isEmpty();
        assertThat(h.stores.payments().uncredited("ch-1")).as("not given up").isEmpty();
        assertThat(h.stores.processedUpdates().oldestPending()).as("still pending").isPresent();
        assertThat(h.balance(U)).isZero();

        assertThat(intake.handleWaiting()).isEqualTo(1);
        h.deliver();
        assertThat(h.messenger.drain()).filteredOn(r -> r.chatId() == U)
                .anySatisfy(r -> assertThat(((Reply.SendText) r).text()).contains("Balance topped up"));
        assertThat(h.stores.ledger().transfers(AccountId.wallet(U)))
                .filteredOn(t -> t.kind() == TransferKind.TOP_UP_STARS).singleElement()
                .satisfies(t -> assertThat(t.amount()).isEqualTo(h.balance(U)).isPositive());
        assertThat(h.stores.processedUpdates().oldestPending()).isEmpty();
        assertThat(intake.handleWaiting()).isZero();
    }

    /**
     * A Stars payment whose transaction met a deadlock past its own retries (another payment locking the same wallets
     * the other way round): another transaction's timing, so it stays pending with no apology and is credited once at
     * the next claim. Apologized for, it was kept not credited, waiting for an admin's refund.
     */
    @Test
    void aPaymentWhoseTransactionMetADeadlockStaysPendingWithNoApologyAndIsCreditedOnceLater() {
        String payload = h.invoiceFor50Stars(U);
        h.messenger.drain();
        Intake intake = new Intake(deadlocking(new AtomicInteger(1)), IntakeTest::incoming, h.clock);
        assertThat(intake.record(920, U, "pay ch-4 " + payload)).isTrue();

        assertThatThrownBy(intake::handleWaiting).satisfies(e -> assertThat(Contention.in(e)).isTrue());
        h.deliver();
        assertThat(h.messenger.drain()).as("no apology, no «not credited»").isEmpty();
        assertThat(h.stores.payments().uncredited("ch-4")).as("not given up").isEmpty();
        assertThat(h.stores.processedUpdates().oldestPending()).as("still pending").isPresent();

        assertThat(intake.handleWaiting()).isEqualTo(1);
        h.deliver();
        assertThat(h.messenger.drain()).filteredOn(r -> r.chatId() == U)
                .anySatisfy(r -> assertThat(((Reply.SendText) r).text()).contains("Balance topped up"));
        assertThat(h.stores.ledger().transfers(AccountId.wallet(U)))
                .filteredOn(t -> t.kind() == TransferKind.TOP_UP_STARS).singleElement()
                .satisfies(t -> assertThat(t.amount()).isEqualTo(h.balance(U)).isPositive());
        assertThat(h.stores.payments().uncredited("ch-4")).isEmpty();
        assertThat(h.stores.processedUpdates().oldestPending()).isEmpty();
    }

    /**
     * An update whose transaction meets a deadlock at every claim is left pending a bounded number of times, then
     * given up with an apology: the payment kept for an admin's refund, the chat's next update answered.
     */
    @Test
    void anUpdateThatMeetsADeadlockAtEveryClaimIsGivenUpAfterItsTries() {
        String payload = h.invoiceFor50Stars(U);
        h.messenger.drain();
        Intake intake = new Intake(deadlocking(new AtomicInteger(Integer.MAX_VALUE)), IntakeTest::incoming, h.clock);
        intake.record(921, U, "pay ch-5 " + payload);
        intake.record(922, U, "text hello");

        for (int i = 0; i < Intake.CONTENDED_TRIES_MAX; i++) {
            assertThatThrownBy(intake::handleWaiting).as("left for a later claim, try %d", i + 1)
                    .satisfies(e -> assertThat(Contention.in(e)).isTrue());
        }
        assertThat(intake.handleWaiting()).as("given up, then the next one").isEqualTo(2);
        assertThat(h.stores.payments().uncredited("ch-5")).as("kept for an admin's refund").isPresent();
        assertThat(h.stores.processedUpdates().oldestPending()).isEmpty();
    }

    /** The shop over the harness' stores whose ledger's next {@code deadlocks} transfers meet a deadlock. */
    private Shop deadlocking(AtomicInteger deadlocks) {
        return h.anotherInstance(s -> s.withLedger(new ForwardingLedger(s.ledger()) {
            @Override
            public LedgerResult transfer(String id, AccountId debit, AccountId credit, long amount, TransferKind kind) {
                if (deadlocks.getAndDecrement() > 0) {
                    throw new IllegalStateException("the store's wrapper",
                            new SQLException("deadlock detected", "40P01"));
                }
                return super.transfer(id, debit, credit, amount, kind);
            }
        }));
    }
}
