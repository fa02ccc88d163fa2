package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * An update whose transaction kept meeting a deadlock (or a serialization failure) past the transaction's own retries
 * was rolled back whole, another transaction's timing and not its fault: {@code serve} throws it on with no apology,
 * to be handled again. Apologized for, a Stars payment was kept as not credited, waiting for an admin's refund.
 */
class ContendedTransactionTest {
    private static final long U = 502;
    private final ShopHarness h = new ShopHarness().startedByAdminAnd(U);

    @Test
    void aPaymentWhoseTransactionMetADeadlockIsNotApologizedForAndIsCreditedOnceWhenServedAgain() {
        String payload = h.invoiceFor50Stars(U);
        h.messenger.drain();
        AtomicBoolean deadlocked = new AtomicBoolean(true);
        Shop contended = h.anotherInstance(s -> s.withLedger(new ForwardingLedger(s.ledger()) {
            @Override
            public LedgerResult transfer(String id, AccountId debit, AccountId credit, long amount, TransferKind kind) {
                if (deadlocked.getAndSet(false)) {
                    throw new IllegalStateException("the store's wrapper",
                            new SQLException("deadlock detected", "40P01"));
                }
                return super.transfer(id, debit, credit, amount, kind);
            }
        }));
        Incoming paid = new Incoming(902, ShopHarness.actor(U, "en"),
                new Event.SuccessfulPayment("ch-3", payload, "XTR", 50));

        assertThatThrownBy(() -> contended.storefront().serve(paid))
                .satisfies(e -> assertThat(Contention.in(e)).isTrue());
        h.deliver();
        assertThat(h.messenger.drain()).as("no apology, no «not credited»").isEmpty();
        assertThat(h.stores.payments().uncredited("ch-3")).as("not given up").isEmpty();
        assertThat(h.balance(U)).isZero();

        contended.storefront().serve(paid); // the platform's re-delivery, or the inbox's later claim
        h.deliver();
        assertThat(h.messenger.drain()).filteredOn(r -> r.chatId() == U)
                .anySatisfy(r -> assertThat(((Reply.SendText) r).text()).contains("Balance topped up"));
        assertThat(h.stores.ledger().transfers(AccountId.wallet(U)))
                .filteredOn(t -> t.kind() == TransferKind.TOP_UP_STARS).singleElement()
                .satisfies(t -> assertThat(t.amount()).isEqualTo(h.balance(U)).isPositive());
        assertThat(h.stores.payments().uncredited("ch-3")).isEmpty();
    }

    /** PostgreSQL's deadlock and the standard serialization failure, however wrapped; other SQLStates are not. */
    @Test
    void aDeadlockOrSerializationFailureAnywhereInTheCauseChainIsContentionAndOtherFailuresAreNot() {
        assertThat(Contention.in(new IllegalStateException(new RuntimeException(new SQLException("deadlock detected",
                "40P01"))))).isTrue();
        assertThat(Contention.in(new SQLException("could not serialize access", "40001"))).isTrue();
        assertThat(Contention.in(new IllegalStateException(new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(Contention.in(new IllegalStateException(new SQLException("I/O error", "08006")))).isFalse();
        assertThat(Contention.in(new IllegalStateException("a bug"))).isFalse();
    }
}
