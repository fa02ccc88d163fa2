package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * An update cut off by a lost database connection (a pool's timeout, a dropped session) was rolled back whole and is
 * handled again once the database answers; an apology would have given it up, and for a Stars payment that meant
 * nothing credited and the Stars waiting for an admin's refund. A failure of the work itself is still answered.
 */
class LostConnectionTest {
    private static final long U = 501;
    private final ShopHarness h = new ShopHarness().startedByAdminAnd(U);

    @Test
    void aPaymentCutOffByALostConnectionIsNotApologizedForAndIsCreditedOnceWhenServedAgain() {
        String payload = h.invoiceFor50Stars(U);
        h.messenger.drain();
        AtomicReference<RuntimeException> failure = new AtomicReference<>(new IllegalStateException(
                "Unable to acquire a connection", new SQLTransientConnectionException("Connection is not available, "
                + "request timed out after 30000ms")));
        Shop cutOff = h.anotherInstance(s -> s.withLedger(failingOnce(s.ledger(), failure)));
        Incoming paid = new Incoming(900, ShopHarness.actor(U, "en"),
                new Event.SuccessfulPayment("ch-1", payload, "XTR", 50));

        assertThatThrownBy(() -> cutOff.storefront().serve(paid))
                .satisfies(e -> assertThat(ConnectionLoss.in(e)).isTrue());
        h.deliver();
        assertThat(h.messenger.drain()).as("no apology, no «not credited»").isEmpty();
        assertThat(h.stores.payments().uncredited("ch-1")).as("not given up").isEmpty();
        assertThat(h.balance(U)).isZero();

        cutOff.storefront().serve(paid); // the database answers again: the platform's re-delivery, or the inbox's try
        h.deliver();
        assertThat(h.messenger.drain()).filteredOn(r -> r.chatId() == U)
                .anySatisfy(r -> assertThat(((Reply.SendText) r).text()).contains("Balance topped up"));
        assertThat(h.stores.ledger().transfers(AccountId.wallet(U)))
                .filteredOn(t -> t.kind() == TransferKind.TOP_UP_STARS).singleElement()
                .satisfies(t -> assertThat(t.amount()).isEqualTo(h.balance(U)).isPositive());
        assertThat(h.stores.payments().uncredited("ch-1")).isEmpty();
    }

    /** A dropped session says so in its SQLState (class 08), however the stores wrapped it. */
    @Test
    void aConnectionClassSqlStateAnywhereInTheCauseChainIsALostConnectionAndABugIsNot() {
        assertThat(ConnectionLoss.in(new IllegalStateException(new RuntimeException(new SQLException("I/O error",
                "08006"))))).isTrue();
        assertThat(ConnectionLoss.in(new IllegalStateException(new SQLException("duplicate key", "23505"))))
                .isFalse();
        assertThat(ConnectionLoss.in(new IllegalStateException("a bug"))).isFalse();
    }

    @Test
    void aFailureOfTheWorkItselfIsStillAnsweredAndThePaymentKeptRefundable() {
        String payload = h.invoiceFor50Stars(U);
        h.messenger.drain();
        Shop failing = h.anotherInstance(s -> s.withLedger(failingOnce(s.ledger(),
                new AtomicReference<>(new IllegalStateException("a bug")))));

        failing.storefront().serve(new Incoming(901, ShopHarness.actor(U, "en"),
                new Event.SuccessfulPayment("ch-2", payload, "XTR", 50)));
        h.deliver();
        assertThat(h.messenger.drain()).filteredOn(r -> r.chatId() == U)
                .anySatisfy(r -> assertThat(((Reply.SendText) r).text()).contains("/paysupport", "ch-2"));
        assertThat(h.stores.payments().uncredited("ch-2")).isPresent();
        assertThat(h.balance(U)).isZero();
    }

    /** The ledger over {@code ledger}, whose first transfer throws {@code failure}. */
    private static Ledger failingOnce(Ledger ledger, AtomicReference<RuntimeException> failure) {
        return new ForwardingLedger(ledger) {
            @Override
            public LedgerResult transfer(String id, AccountId debit, AccountId credit, long amount, TransferKind kind) {
                RuntimeException e = failure.getAndSet(null);
                if (e != null) {
                    throw e;
                }
                return super.transfer(id, debit, credit, amount, kind);
            }
        };
    }
}
