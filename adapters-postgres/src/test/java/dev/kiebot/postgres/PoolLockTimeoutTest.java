package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.intake.Inbox;
import dev.kiebot.core.shop.ConnectionLoss;
import dev.kiebot.postgres.testing.LockWaits;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.testing.Patience;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A session that holds a lock (an operator's forgotten {@code BEGIN; SELECT … FROM users … FOR UPDATE}) stalled every
 * handler that needed it, for as long as it was held, without a line in the log. The pool's connections now wait at
 * most {@link Database#LOCK_TIMEOUT}; the update whose wait ran out stays pending, unapologised, and goes through
 * once the lock is gone; and the holder can be named.
 */
class PoolLockTimeoutTest {
    private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");
    private static final long USER = 4242;

    @BeforeEach
    void clean() {
        TestDatabase.truncateAll();
    }

    /** The bound is the pool's; the advisory lock's and the listener's own connections may wait on (no bound). */
    @Test
    void pooledConnectionsWaitForALockAtMostTheLockTimeoutAndDedicatedOnesAsLongAsItTakes() throws Exception {
        Database db = TestDatabase.get();
        String pooled = db.jdbi().withHandle(h -> h.createQuery("SHOW lock_timeout").mapTo(String.class).one());
        assertThat(pooled).isEqualTo("15s");
        try (Connection dedicated = db.openDedicatedConnection("kiebot-singleton-lock");
             Statement st = dedicated.createStatement(); ResultSet rs = st.executeQuery("SHOW lock_timeout")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("0");
        }
    }

    @Test
    @Timeout(120) // without a lock timeout the handler waits for the operator's transaction for good
    void anUpdateBlockedByAnOperatorsRowLockStaysPendingUnapologisedAndGoesThroughOnceTheLockIsGone()
            throws Exception {
        Database db = Database.connect(TestDatabase.settings().withPoolSize(2), Duration.ofMillis(300));
        try (db) {
            PgUsers users = new PgUsers(db.jdbi());
            PgProcessedUpdates updates = new PgProcessedUpdates(db.jdbi());
            users.seen(USER, "Ann", Optional.empty(), Optional.empty(), T0);
            List<Long> apologised = new CopyOnWriteArrayList<>();
            List<Long> handled = new CopyOnWriteArrayList<>();
            Inbox inbox = new Inbox(new Inbox.Parts(updates, new PgTransactions(db.jdbi()), new PgAudit(db.jdbi()),
                    Clock.fixed(T0, ZoneOffset.UTC), u -> Optional.of(incoming(u.updateId())), in -> {
                        users.seen(USER, "Ann again", Optional.empty(), Optional.empty(), T0);
                        handled.add(in.updateId());
                    }, in -> apologised.add(in.updateId()), (in, alert) -> { }), new Inbox.Watch() { });
            updates.record(7, USER, "{}", T0);

            try (Connection operator = db.openDedicatedConnection("psql")) {
                LockWaits.lockUserRow(operator, USER);

                assertThatThrownBy(inbox::handleOne).satisfies(e -> {
                    assertThat(Sql.sqlState(e)).isEqualTo("55P03");
                    assertThat(ConnectionLoss.in(e)).isTrue();
                });
                assertThat(apologised).isEmpty();
                assertThat(handled).isEmpty();
                assertThat(updates.oldestPending()).contains(T0);
                operator.rollback();
            }

            assertThat(inbox.handleOne()).isTrue();
            assertThat(handled).containsExactly(7L);
            assertThat(apologised).isEmpty();
            assertThat(updates.oldestPending()).isEmpty();
            assertThat(users.find(USER).orElseThrow().firstName()).isEqualTo("Ann again");
        }
    }

    @Test
    void theSessionAHandlerWaitsForIsNamedWithItsStateAndTransactionStartNotItsQuery() throws Exception {
        Database db = TestDatabase.get();
        PgUsers users = new PgUsers(db.jdbi());
        users.seen(USER, "Ann", Optional.empty(), Optional.empty(), T0);
        assertThat(db.lockHolders()).isEmpty();
        ExecutorService handler = Executors.newSingleThreadExecutor();
        try (Connection operator = db.openDedicatedConnection("psql")) {
            int operatorPid = LockWaits.lockUserRow(operator, USER);
            Future<?> blocked = handler.submit(() -> users.setLanguage(USER, "ru"));
            LockWaits.awaitABackendWaitingForALock();

            List<LockHolder> holders = db.lockHolders();

            assertThat(holders).hasSize(1);
            LockHolder holder = holders.get(0);
            assertThat(holder.pid()).isEqualTo(operatorPid);
            assertThat(holder.application()).isEqualTo("psql");
            assertThat(holder.state()).contains("idle in transaction");
            assertThat(holder.transactionStart()).isPresent();
            assertThat(holder.waiting()).isEqualTo(1);
            assertThat(holder.describe()).startsWith("pid " + operatorPid + " (psql, idle in transaction, "
                    + "transaction since ").doesNotContain("SELECT").doesNotContain("users");
            operator.rollback();
            Patience.get(blocked, Duration.ofSeconds(30));
        } finally {
            handler.shutdownNow();
        }
        assertThat(db.lockHolders()).isEmpty();
    }

    private static Incoming incoming(long updateId) {
        return new Incoming(updateId, new Actor(USER, USER, "Ann", Optional.empty(), Optional.empty()),
                new Event.Text("hi", Optional.empty(), Optional.empty()));
    }
}
