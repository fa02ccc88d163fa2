package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.testing.ShopHarness;
import java.sql.SQLException;
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
        PaymentServedAgain.isCreditedOnce(h, U, 902, "ch-3", new IllegalStateException("the store's wrapper",
                new SQLException("deadlock detected", "40P01")), Contention::in);
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
