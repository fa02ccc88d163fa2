package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
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
        PaymentServedAgain.isCreditedOnce(h, U, 900, "ch-1", new IllegalStateException("Unable to acquire a connection",
                new SQLTransientConnectionException("Connection is not available, request timed out after 30000ms")),
                ConnectionLoss::in);
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
        Shop failing = h.anotherInstance(s -> s.withLedger(PaymentServedAgain.failingOnce(s.ledger(),
                new AtomicReference<>(new IllegalStateException("a bug")))));

        failing.storefront().serve(new Incoming(901, ShopHarness.actor(U, "en"),
                new Event.SuccessfulPayment("ch-2", payload, "XTR", 50)));
        h.deliver();
        assertThat(h.messenger.drain()).filteredOn(r -> r.chatId() == U)
                .anySatisfy(r -> assertThat(((Reply.SendText) r).text()).contains("/paysupport", "ch-2"));
        assertThat(h.stores.payments().uncredited("ch-2")).isPresent();
        assertThat(h.balance(U)).isZero();
    }
}
