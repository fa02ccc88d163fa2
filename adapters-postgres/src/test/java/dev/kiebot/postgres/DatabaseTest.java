package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class DatabaseTest {

    /** A start waiting on a database elsewhere says where it waits: host and port, without any credential. */
    @Test
    void connectingToADatabaseElsewhereLogsItsHostAndPortOnly() {
        DatabaseSettings settings = TestDatabase.settings().withPoolSize(1);
        List<String> messages;
        try (LoggedLines lines = LoggedLines.of(Database.class); Database db = Database.connect(settings)) {
            assertThat(db.readiness().ready()).isTrue();
            messages = lines.messages();
        }
        assertThat(messages).contains("connecting to the database at " + settings.address());
        assertThat(settings.address()).matches("[^:/@?]+:\\d+");
        String password = settings.password();
        assertThat(messages).noneMatch(m -> m.contains("jdbc:") || (!password.isEmpty() && m.contains(password)));
    }

    /**
     * A connection to a database elsewhere that fails at start is one message that stops the start, naming host and
     * port: never DATABASE_URL's password, its user, nor a key's password in its parameters, even where the pool's own
     * words quote the URL the driver refused. The start logs that message as its last line; a URL or a credential in it
     * would be in every log shipped from the box.
     */
    @Test
    void aConnectionThatFailsNeverQuotesTheUrlsCredentials() {
        String server = TestDatabase.settings().address();
        // the driver refuses these at once; nobody listening and a refused password are retried by the pool for 30 s
        // before they fail the same way (theServersMessageLosesTheUserItQuotes has the server's words for a password)
        List<String> failing = List.of(
                "jdbc:postgresql://kiebot_owner:Sup3r-S3cret-Pw@127.0.0.1:99999/kiebot?sslpassword=Key-Pa55word",
                "jdbc:postgresql://" + server + "/kiebot?user=kiebot_owner&password=Sup3r-S3cret-Pw"
                        + "&sslpassword=Key%zzPa55word");
        for (String url : failing) {
            DatabaseSettings settings = DatabaseSettings.fromUrl(url).withPoolSize(1);
            String message;
            try (Database db = Database.connect(settings)) {
                throw new AssertionError("connected with " + settings);
            } catch (IllegalStateException e) {
                message = e.getMessage();
            }
            assertThat(message).as(url).startsWith("cannot connect to the database at " + settings.address() + ": ")
                    .endsWith("; check DATABASE_URL (host, port, credentials) and that the server is up")
                    .doesNotContain("Sup3r-S3cret-Pw", "Pa55word", "kiebot_owner", "jdbc:", "postgresql://");
        }
    }

    @Test
    void theServersMessageLosesTheUserItQuotes() {
        assertThat(Database.withoutUser("FATAL: password authentication failed for user \"kiebot_user\"",
                "kiebot_user")).isEqualTo("FATAL: password authentication failed for user \"<user>\"");
        assertThat(Database.withoutUser("Connection refused", "")).isEqualTo("Connection refused");
    }

    /** The driver's words for a host that does not resolve are its name alone: "…at dpg-abc:5432: dpg-abc" said nothing. */
    @Test
    void aHostThatDoesNotResolveIsNamedSo() {
        RuntimeException e = new RuntimeException("Failed to initialize pool: dpg-abc123-a",
                new IllegalStateException("The connection attempt failed.",
                        new java.net.UnknownHostException("dpg-abc123-a")));

        assertThat(Database.rootMessage(e)).startsWith("unknown host dpg-abc123-a (");
        assertThat(Database.rootMessage(new RuntimeException("x", new java.net.ConnectException("Connection refused"))))
                .isEqualTo("Connection refused");
    }

    @Test
    void readinessSaysReachableAndMigrated() {
        Readiness r = TestDatabase.get().readiness();
        assertThat(r.ready()).as(r.detail()).isTrue();
        assertThat(r.detail()).contains("schema version");
        assertThat(r.schemaVersion()).contains(BundledMigrations.newest());
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
    void onADatabaseElsewhereAnIdlePoolKeepsItsConnection() throws Exception {
        try (Database db = TestDatabase.newPool(2)) {
            int pid = db.jdbi().withHandle(h -> h.createQuery("SELECT pg_backend_pid()").mapTo(Integer.class).one());
            assertThat(db.releaseIdleConnections(java.time.Duration.ZERO)).as("a new connection there costs the next user a handshake")
                    .isZero();
            int again = db.jdbi().withHandle(h -> h.createQuery("SELECT pg_backend_pid()").mapTo(Integer.class).one());
            assertThat(again).isEqualTo(pid);
        }
    }

    @Test
    void onASharedDatabaseTheSingletonLockIsTakenByOneInstanceOnly() {
        try (Database a = TestDatabase.newPool(1); Database b = TestDatabase.newPool(1);
             dev.kiebot.core.intake.SingletonLock first = a.singletonLock("database-test-lock");
             dev.kiebot.core.intake.SingletonLock second = b.singletonLock("database-test-lock")) {
            assertThat(a.wakeups().shared()).isTrue();
            assertThat(first.tryAcquire()).isTrue();
            assertThat(second.tryAcquire()).as("another instance on the same database").isFalse();
            first.close();
            assertThat(second.tryAcquire()).as("taken over once released").isTrue();
        }
    }

    /**
     * The readiness probe whose connection the server refuses (53300, too many connections) is seen by the on-call: a
     * write refusal as a handler's refused connection is ({@code dbWrites}, the gauge, the admins' alert), and one WARN
     * saying why for the spell, however many probes fail, then one INFO when a probe works again. The probe took its
     * connection straight from the pool: {@code /readyz} read {@code "db": false} with nothing counted and no line.
     */
    @Test
    void aProbeWhoseConnectionTheServerRefusesIsARefusalToldOnceASpell() {
        Assumptions.assumeTrue(TestDatabase.superuser(), "needs a role made here");
        String role = "kiebot_probe_refused_" + ProcessHandle.current().pid();
        String us = TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT current_user").mapTo(String.class)
                .one());
        // a role of the tests' user's rights (so the start's look at the schema reads it), allowed one connection
        TestDatabase.jdbi().useHandle(h -> {
            h.execute("DROP ROLE IF EXISTS " + role);
            h.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'probe' CONNECTION LIMIT 1 IN ROLE \"" + us + "\"");
        });
        DatabaseSettings settings = TestDatabase.settings();
        // the pool's least wait for a connection: each probe fails in a quarter of a second, not the 15 s of a start
        try (Database db = Database.connectWaiting(settings.at(settings.jdbcUrl().orElseThrow(), role, "probe")
                .withPoolSize(2), Duration.ofMillis(250)); LoggedLines lines = LoggedLines.of(ProbeFailures.class)) {
            try (Handle held = db.jdbi().open()) {
                held.execute("SELECT 1");
                for (int probe = 0; probe < 3; probe++) {
                    assertThat(db.readiness().reachable()).as("the pool's second connection is refused").isFalse();
                }
                assertThat(db.writeRefusals().refusing()).as("the probe's refused connection is heard")
                        .hasValueSatisfying(r -> assertThat(r.sqlState()).isEqualTo("53300"));
                assertThat(lines.levelsOf("the readiness probe cannot reach the database")).as("one a spell")
                        .containsExactly(Level.WARN);
                assertThat(lines.messages()).anyMatch(m -> m.contains("SQLState 53300")).noneMatch(
                        m -> m.contains(role));
            }
            assertThat(db.readiness().ready()).isTrue();
            db.readiness();
            assertThat(lines.levelsOf("the readiness probe reaches the database again, after 3 failed probe(s)"))
                    .containsExactly(Level.INFO);
        } finally {
            TestDatabase.jdbi().useHandle(h -> h.execute("DROP ROLE IF EXISTS " + role));
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
                assertThat(r.schemaVersion()).as("what /readyz shows").contains("9999");
            } finally {
                TestDatabase.jdbi().useHandle(h -> h.execute(
                        "DELETE FROM flyway_schema_history WHERE installed_rank = 9999"));
            }
            assertThat(other.readiness().ready()).isTrue();
            other.close();
            Readiness closed = other.readiness();
            assertThat(closed.reachable()).isFalse();
            assertThat(closed.ready()).isFalse();
            assertThat(closed.schemaVersion()).isEmpty();
        } finally {
            other.close();
        }
    }

    @Test
    void aPooledStatementGivesUpOnAConnectionThatWentSilentAndTheNextOneWorks() throws Exception {
        DatabaseSettings db = TestDatabase.settings();
        try (Database defaults = TestDatabase.newPool(1)) {
            int waitMillis = defaults.jdbi().withHandle(h -> h.getConnection().getNetworkTimeout());
            assertThat(waitMillis).as("without it a statement on a dead connection waits about 15 minutes for TCP")
                    .isEqualTo(Database.POOLED_SOCKET_TIMEOUT_SECONDS * 1000);
        }
        java.net.URI url = java.net.URI.create(db.jdbcUrl().orElseThrow().substring("jdbc:".length()));
        try (FreezingProxy proxy = FreezingProxy.to(url.getHost(), url.getPort())) {
            // the operator's URL may shorten the wait; 2 s keeps this test short
            String viaProxy = "jdbc:postgresql://127.0.0.1:" + proxy.port() + url.getPath() + "?"
                    + (url.getQuery() == null ? "" : url.getQuery() + "&") + "socketTimeout=2";
            try (Database pooled = Database.connect(db.at(viaProxy, db.user(), db.password()).withPoolSize(1))) {
                Throwable failure = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                        java.time.Duration.ofSeconds(60), () -> org.assertj.core.api.Assertions.catchThrowable(
                                () -> pooled.jdbi().useHandle(h -> {
                                    assertThat(h.getConnection().getNetworkTimeout()).isEqualTo(2000);
                                    assertThat(h.createQuery("SELECT 1").mapTo(Integer.class).one()).isEqualTo(1);
                                    proxy.freezeOpenConnections();
                                    h.createQuery("SELECT 2").mapTo(Integer.class).one();
                                })), "a statement on a frozen connection returns instead of waiting for TCP");
                assertThat(failure).as("the statement on the frozen connection fails").isNotNull();
                int three = pooled.jdbi().withHandle(h -> h.createQuery("SELECT 3").mapTo(Integer.class).one());
                assertThat(three).as("the pool drops the dead connection and opens a new one").isEqualTo(3);
            }
        }
    }
}
