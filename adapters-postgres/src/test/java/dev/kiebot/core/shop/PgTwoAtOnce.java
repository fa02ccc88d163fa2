package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.postgres.testing.PgShops;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Two things at once on one user's money over the real PostgreSQL stores (a Stars refund report beside a press, a
 * refund or the sweep): a shop started by its admin with user {@link #U}, two threads to race on, and the ledger
 * reconciled after every test, whatever the race did.
 */
abstract class PgTwoAtOnce {
    static final long U = 42;
    ShopHarness h;
    ExecutorService threads;

    @BeforeEach
    void started() {
        h = PgShops.startedByAdminAnd(U);
        threads = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void theLedgerStaysConsistent() {
        threads.shutdownNow();
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }
}
