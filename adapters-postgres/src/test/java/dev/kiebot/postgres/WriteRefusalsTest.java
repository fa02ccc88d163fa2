package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.postgres.testing.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * A database that refuses writes while it answers reads (a full disk, read-only) is seen from the statements it
 * refuses: the readiness probe only reads, and said all was well while no payment could be credited (review R1).
 */
class WriteRefusalsTest {
    @Test
    void aFullDiskRefusingOneTableIsARefusalUntilThatStatementWorksAgain() {
        try (Database db = TestDatabase.newPool(2)) {
            db.jdbi().useHandle(h -> {
                h.execute("CREATE TABLE IF NOT EXISTS write_refusals_probe (id int)");
                h.execute("CREATE OR REPLACE FUNCTION write_refusals_full() RETURNS trigger AS $$ BEGIN RAISE "
                        + "EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = '53100'; END $$ "
                        + "LANGUAGE plpgsql");
                h.execute("DROP TRIGGER IF EXISTS write_refusals_full ON write_refusals_probe");
                h.execute("CREATE TRIGGER write_refusals_full BEFORE INSERT ON write_refusals_probe FOR EACH ROW "
                        + "EXECUTE FUNCTION write_refusals_full()");
            });
            try {
                assertThat(db.writeRefusals().refusing()).isEmpty();
                assertThatThrownBy(() -> insert(db));
                db.jdbi().useHandle(h -> h.createQuery("SELECT count(*) FROM write_refusals_probe")
                        .mapTo(Long.class).one());
                db.jdbi().useHandle(h -> h.execute("UPDATE write_refusals_probe SET id = 2"));
                assertThat(db.writeRefusals().refusing()).as("reads and other writes work; the insert does not")
                        .hasValueSatisfying(r -> assertThat(r.sqlState()).isEqualTo("53100"));

                db.jdbi().useHandle(h -> h.execute("DROP TRIGGER write_refusals_full ON write_refusals_probe"));
                insert(db);
                assertThat(db.writeRefusals().refusing()).isEmpty();
            } finally {
                db.jdbi().useHandle(h -> h.execute("DROP TABLE IF EXISTS write_refusals_probe"));
            }
        }
    }

    @Test
    void aReadOnlyDatabaseIsARefusalUntilWritesAreTakenAgain() {
        try (Database db = TestDatabase.newPool(1)) {
            db.jdbi().useHandle(h -> h.execute("CREATE TABLE IF NOT EXISTS write_refusals_probe (id int)"));
            try {
                db.jdbi().useHandle(h -> {
                    h.execute("SET default_transaction_read_only = on");
                    try {
                        assertThatThrownBy(() -> h.execute("INSERT INTO write_refusals_probe VALUES (1)"));
                    } finally {
                        h.execute("SET default_transaction_read_only = off");
                    }
                });
                assertThat(db.writeRefusals().refusing())
                        .hasValueSatisfying(r -> assertThat(r.sqlState()).isEqualTo("25006"));

                insert(db);
                assertThat(db.writeRefusals().refusing()).isEmpty();
            } finally {
                db.jdbi().useHandle(h -> h.execute("DROP TABLE IF EXISTS write_refusals_probe"));
            }
        }
    }

    /**
     * A COMMIT the database refuses (a full disk, no memory: class 53) is a refusal as a statement's is: Jdbi's SQL
     * logger sees no commit, so a spell in which only commits failed (a deferred check, the commit record itself) left
     * the readiness probe and the admins' alert silent. A refused commit names no statement that could work again:
     * its spell ends after {@link WriteRefusals#QUIET} without one.
     */
    @Test
    void aCommitTheDatabaseRefusesIsARefusal() {
        try (Database db = TestDatabase.newPool(2)) {
            db.jdbi().useHandle(h -> {
                h.execute("CREATE TABLE IF NOT EXISTS write_refusals_commit (id int)");
                h.execute("CREATE OR REPLACE FUNCTION write_refusals_at_commit() RETURNS trigger AS $$ BEGIN RAISE "
                        + "EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = '53100'; END $$ "
                        + "LANGUAGE plpgsql");
                h.execute("DROP TRIGGER IF EXISTS write_refusals_at_commit ON write_refusals_commit");
                h.execute("CREATE CONSTRAINT TRIGGER write_refusals_at_commit AFTER INSERT ON write_refusals_commit "
                        + "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION write_refusals_at_commit()");
            });
            try {
                db.jdbi().useTransaction(h -> h.execute("SELECT 1"));
                assertThat(db.writeRefusals().refusing()).isEmpty();
                assertThatThrownBy(() -> db.jdbi().useTransaction(
                        h -> h.execute("INSERT INTO write_refusals_commit VALUES (1)")))
                        .as("the insert works; its commit is refused").hasMessageContaining("commit");

                assertThat(db.writeRefusals().refusing()).as("the refused commit is heard")
                        .hasValueSatisfying(r -> assertThat(r.sqlState()).isEqualTo("53100"));
            } finally {
                db.jdbi().useHandle(h -> h.execute("DROP TABLE IF EXISTS write_refusals_commit"));
            }
        }
    }

    /**
     * A connection the server refuses for want of slots (53300, too many connections) is a refusal: no statement runs,
     * so none was heard, and every handler's update stalled on the pool while the alert stayed silent.
     */
    @Test
    void aConnectionTheServerRefusesForTooManyIsARefusal() {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestDatabase.superuser(), "needs a role made here");
        String role = "kiebot_write_refusals_" + ProcessHandle.current().pid();
        String us = TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT current_user").mapTo(String.class)
                .one());
        // a role of the tests' user's rights (so the start's look at the schema reads it), allowed one connection
        TestDatabase.jdbi().useHandle(h -> {
            h.execute("DROP ROLE IF EXISTS " + role);
            h.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'refusals' CONNECTION LIMIT 1 IN ROLE \"" + us + "\"");
        });
        DatabaseSettings settings = TestDatabase.settings();
        try (Database db = Database.connect(settings.at(settings.jdbcUrl().orElseThrow(), role, "refusals")
                .withPoolSize(2)); Handle held = db.jdbi().open()) {
            held.execute("SELECT 1");
            assertThat(db.writeRefusals().refusing()).isEmpty();

            assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.execute("SELECT 1")))
                    .as("the pool's second connection is refused").isInstanceOf(RuntimeException.class);
            assertThat(db.writeRefusals().refusing()).as("the refused connection is heard")
                    .hasValueSatisfying(r -> assertThat(r.sqlState()).isEqualTo("53300"));
        } finally {
            TestDatabase.jdbi().useHandle(h -> h.execute("DROP ROLE IF EXISTS " + role));
        }
    }

    /**
     * The listener's connection is its own, outside Jdbi (review): a replica after a failover refuses its LISTEN with
     * 25006, which is told as the pooled statements' refusals are, and a LISTEN that works again ends it. (A replica
     * cannot be made here: the connection says what one answers.)
     */
    @Test
    void aListenerWhoseListenAReplicaRefusesIsARefusalUntilItListensAgain() throws Exception {
        WriteRefusals refusals = new WriteRefusals();
        AtomicBoolean replica = new AtomicBoolean(true);
        PgNotifications.Connector connector = () -> answeringAsAReplica(
                TestDatabase.get().openDedicatedConnection("write-refusals-test"), replica);
        try (PgNotifications listening = PgNotifications.start(connector, Wakeups.sharedDatabase(),
                List.of(PgPendingReplies.CHANNEL), PgNotifications.PING, Optional.of(refusals))) {
            await(() -> refusals.refusing().isPresent());
            assertThat(refusals.refusing()).hasValueSatisfying(r -> assertThat(r.sqlState()).isEqualTo("25006"));
            replica.set(false);
            assertThat(listening.awaitListening(Duration.ofSeconds(30))).isTrue();
            assertThat(refusals.refusing()).as("listening again").isEmpty();
        }
    }

    /** {@code c}, whose LISTEN fails as a replica's does while {@code replica} holds. */
    private static Connection answeringAsAReplica(Connection c, AtomicBoolean replica) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(c, method, args);
                    if (!method.getName().equals("createStatement") || !(result instanceof Statement st)) {
                        return result;
                    }
                    return Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {Statement.class},
                            (p, m, a) -> {
                                if (m.getName().equals("execute") && a != null && a[0] instanceof String sql
                                        && sql.startsWith("LISTEN") && replica.get()) {
                                    throw new SQLException("cannot execute LISTEN during recovery", "25006");
                                }
                                return invoke(st, m, a);
                            });
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long giveUpAt = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s").isLessThan(giveUpAt);
            Thread.sleep(20);
        }
    }

    /** A refused statement no one runs again (an hourly sweep's) ends its spell after {@link WriteRefusals#QUIET}. */
    @Test
    void aSpellWhoseRefusedStatementIsNotRunAgainEndsAfterAQuietWhile() {
        AtomicLong nanos = new AtomicLong();
        WriteRefusals refusals = new WriteRefusals(nanos::get);
        org.jdbi.v3.core.Jdbi jdbi = org.jdbi.v3.core.Jdbi.create(TestDatabase.get().dataSource());
        jdbi.getConfig(org.jdbi.v3.core.statement.SqlStatements.class).setSqlLogger(refusals);
        jdbi.useHandle(h -> {
            h.execute("SET default_transaction_read_only = on");
            try {
                assertThatThrownBy(() -> h.execute("CREATE TABLE write_refusals_quiet (id int)"));
            } finally {
                h.execute("SET default_transaction_read_only = off");
            }
        });
        nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        assertThat(refusals.refusing()).hasValueSatisfying(r -> assertThat(r.lasted()).isEqualTo(Duration.ofMinutes(1)));

        nanos.addAndGet(WriteRefusals.QUIET.toNanos());
        assertThat(refusals.refusing()).isEmpty();
    }

    private static void insert(Database db) {
        db.jdbi().useHandle((Handle h) -> h.execute("INSERT INTO write_refusals_probe VALUES (1)"));
    }
}
