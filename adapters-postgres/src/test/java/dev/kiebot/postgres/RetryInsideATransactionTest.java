package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.postgres.testing.TestDatabase;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * A store's request that PostgreSQL aborted for a deadlock inside a caller's transaction is not run again there: the
 * whole transaction is aborted, so the rerun only failed with 25P02 (in failed transaction), which the caller's
 * retry does not know, and the deadlock it would have got past was lost. The caller's transaction runs again instead.
 */
class RetryInsideATransactionTest {
    private static final String DEADLOCK =
            "DO $$ BEGIN RAISE EXCEPTION 'deadlock detected' USING ERRCODE = '40P01'; END $$";

    @Test
    void aDeadlockInsideACallersTransactionIsRetriedByTheWholeTransaction() {
        Jdbi jdbi = TestDatabase.jdbi();
        AtomicInteger requests = new AtomicInteger();
        AtomicInteger transactions = new AtomicInteger();

        int answer = new PgTransactions(jdbi).inOne(() -> {
            transactions.incrementAndGet();
            return Sql.retrying(jdbi, "a store's request", () -> jdbi.withHandle(h -> {
                if (requests.incrementAndGet() == 1) {
                    h.execute(DEADLOCK);
                }
                return h.createQuery("SELECT 7").mapTo(Integer.class).one();
            }));
        });

        assertThat(answer).isEqualTo(7);
        assertThat(transactions.get()).as("run again from the start").isEqualTo(2);
        assertThat(requests.get()).isEqualTo(2);
    }

    @Test
    void onItsOwnTheRequestIsStillRetried() {
        Jdbi jdbi = TestDatabase.jdbi();
        AtomicInteger requests = new AtomicInteger();
        int answer = Sql.retrying(jdbi, "a request on its own", () -> jdbi.inTransaction(h -> {
            if (requests.incrementAndGet() == 1) {
                h.execute(DEADLOCK);
            }
            return h.createQuery("SELECT 7").mapTo(Integer.class).one();
        }));
        assertThat(answer).isEqualTo(7);
        assertThat(requests.get()).isEqualTo(2);
    }
}
