package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.postgres.testing.TestDatabase;
import org.junit.jupiter.api.Test;

class DatabaseTest {

    @Test
    void readinessSaysReachableAndMigrated() {
        Readiness r = TestDatabase.get().readiness();
        assertThat(r.ready()).as(r.detail()).isTrue();
        assertThat(r.detail()).contains("schema version");
    }

    @Test
    void theServerGivesUpOnASilentClientWithinAMinuteOnPooledAndDedicatedConnections() throws Exception {
        Database db = TestDatabase.newPool(1);
        try {
            String pooled = db.jdbi().withHandle(h -> h.createQuery("SELECT current_setting('tcp_keepalives_idle') "
                    + "|| ' ' || current_setting('tcp_keepalives_interval') || ' ' "
                    + "|| current_setting('tcp_keepalives_count')").mapTo(String.class).one());
            assertThat(pooled).isEqualTo("30 10 3");
            try (java.sql.Connection c = db.openDedicatedConnection("kiebot-test");
                 java.sql.Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT current_setting('tcp_keepalives_idle')")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("30");
            }
        } finally {
            db.close();
        }
    }

    @Test
    void readinessNoticesAMissingMigrationAndAnUnreachableDatabase() {
        Database other = TestDatabase.newPool(1);
        try {
            TestDatabase.jdbi().useHandle(h -> h.execute("INSERT INTO flyway_schema_history (installed_rank, "
                    + "version, description, type, script, checksum, installed_by, execution_time, success) "
                    + "VALUES (9999, '9999', 'from a newer build', 'SQL', 'V9999__x.sql', 0, 'test', 0, true)"));
            try {
                Readiness r = other.readiness();
                assertThat(r.reachable()).isTrue();
                assertThat(r.migrated()).isFalse();
                assertThat(r.ready()).isFalse();
            } finally {
                TestDatabase.jdbi().useHandle(h -> h.execute(
                        "DELETE FROM flyway_schema_history WHERE installed_rank = 9999"));
            }
            assertThat(other.readiness().ready()).isTrue();
            other.close();
            Readiness closed = other.readiness();
            assertThat(closed.reachable()).isFalse();
            assertThat(closed.ready()).isFalse();
        } finally {
            other.close();
        }
    }
}
