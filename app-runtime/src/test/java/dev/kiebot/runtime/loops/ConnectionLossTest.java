package dev.kiebot.runtime.loops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.shop.ConnectionLoss;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;

/** A lost database connection, however the pool and Jdbi wrap it, is told from a failure of the work itself. */
class ConnectionLossTest {
    @Test
    void aLostConnectionIsToldFromAFailureOfTheWorkItself() {
        assertThat(ConnectionLoss.in(new ConnectionException(new SQLTransientConnectionException("timed out"))))
                .isTrue();
        assertThat(ConnectionLoss.in(new UnableToExecuteStatementException(
                new SQLException("terminating connection due to administrator command", "57P01"), null))).isTrue();
        assertThat(ConnectionLoss.in(new IllegalStateException(new SQLException("I/O error", "08006")))).isTrue();
        assertThat(ConnectionLoss.in(new UnableToExecuteStatementException(
                new SQLException("duplicate key value violates unique constraint", "23505"), null))).isFalse();
        assertThat(ConnectionLoss.in(new IllegalStateException("a bug"))).isFalse();
    }

    /**
     * A full disk is the database's trouble, not the update's: given up, the update was apologised for (a Stars
     * payment's kept not credited) and its retries logged an ERROR each, none naming the disk.
     */
    @Test
    void aFullDiskIsWaitedOutAndNamedInTheLog() {
        UnableToExecuteStatementException full = new UnableToExecuteStatementException(
                new SQLException("could not extend file \"base/16384/2619\": No space left on device", "53100"), null);

        assertThat(ConnectionLoss.in(full)).isTrue();
        assertThat(DatabaseState.reason(full)).isEqualTo("UnableToExecuteStatementException, SQLState 53100: the "
                + "database's disk is full; free space under DATA_DIR (or on the database server)");
        assertThat(DatabaseState.reason(new UnableToExecuteStatementException(
                new SQLException("duplicate key", "23505"), null)))
                .isEqualTo("UnableToExecuteStatementException, SQLState 23505");
        assertThat(DatabaseState.reason(new IllegalStateException("a bug"))).isEqualTo("IllegalStateException");
    }

    /**
     * A lock waited for past the pool's lock_timeout (an operator's open transaction holding a user's row) is the
     * database not taking the work now: the update is left pending and tried again, not apologised for and given up
     * (a Stars payment's kept not credited), and the log line says what to look for.
     */
    @Test
    void aLockWaitedForTooLongIsWaitedOutAndNamedInTheLog() {
        UnableToExecuteStatementException timedOut = new UnableToExecuteStatementException(
                new SQLException("canceling statement due to lock timeout", "55P03"), null);

        assertThat(ConnectionLoss.in(timedOut)).isTrue();
        assertThat(DatabaseState.reason(timedOut)).startsWith("UnableToExecuteStatementException, SQLState 55P03: "
                + "waited too long for a lock another session holds");
    }

    /**
     * A read-only database (a replica after a failover, a provider's storage-quota lock) takes no writes, which is no
     * fault of the work's: taken for a bug, every sweep run logged an ERROR with its trace (a broadcast's every 5 s),
     * every Kie callback a WARN with its trace, and an update in hand was apologised for and given up.
     */
    @Test
    void aReadOnlyDatabaseIsWaitedOutAndNamedInTheLog() {
        UnableToExecuteStatementException readOnly = new UnableToExecuteStatementException(
                new SQLException("cannot execute INSERT in a read-only transaction", "25006"), null);

        assertThat(ConnectionLoss.in(readOnly)).isTrue();
        assertThat(DatabaseState.reason(readOnly)).isEqualTo("UnableToExecuteStatementException, SQLState 25006: "
                + "database is read-only (a replica after failover, or the provider's storage-quota lock): writes "
                + "refused");
    }
}
