package dev.kiebot.runtime.intake;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.postgres.Database;
import dev.kiebot.postgres.PgProcessedUpdates;
import dev.kiebot.postgres.PgTransactions;
import dev.kiebot.postgres.PgUsers;
import dev.kiebot.postgres.testing.LockWaits;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.testing.Patience;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * An operator's open transaction holding a user's row stalled every handler with no line in the log (review M: 4
 * handler sessions waited 30 s, 0 WARN). The watch says so once per spell, naming the holder but not its query.
 */
class HandlingStallTest {
    private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");
    private static final long USER = 4343;
    private final Logger logger = (Logger) LoggerFactory.getLogger(HandlingStall.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void capture() {
        TestDatabase.truncateAll();
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
    }

    private List<String> lines(Level level) {
        return appender.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void aStallBehindAnOperatorsLockIsWarnedOfOnceNamingTheHolderAndItsEndOnce() throws Exception {
        Database db = TestDatabase.get();
        PgUsers users = new PgUsers(db.jdbi());
        PgProcessedUpdates inbox = new PgProcessedUpdates(db.jdbi());
        users.seen(USER, "Ann", Optional.empty(), Optional.empty(), T0);
        inbox.record(9, USER, "{\"secret\":\"prompt\"}", T0);
        MutableClock clock = new MutableClock(T0.plusSeconds(10));
        HandlingStall stall = new HandlingStall(inbox, db::lockHolders, clock);
        stall.check();
        assertThat(appender.list).as("10 s is no stall").isEmpty();

        ExecutorService handler = Executors.newSingleThreadExecutor();
        try (Connection operator = db.openDedicatedConnection("psql")) {
            int operatorPid = LockWaits.lockUserRow(operator, USER);
            Future<?> blocked = handler.submit(() -> waitingOutAnyPause(db, () -> users.setLanguage(USER, "ru")));
            LockWaits.awaitABackendWaitingForALock();
            clock.set(T0.plusSeconds(31));

            stall.check();
            clock.advance(Duration.ofSeconds(60));
            stall.check();

            assertThat(lines(Level.WARN)).hasSize(1);
            assertThat(lines(Level.WARN).get(0)).contains("updates wait", "came in 31 s ago",
                    "pid " + operatorPid + " (psql, idle in transaction, transaction since ", "pg_terminate_backend")
                    .doesNotContain("FOR UPDATE").doesNotContain("prompt");
            operator.rollback();
            Patience.get(blocked, Duration.ofSeconds(30));
        } finally {
            handler.shutdownNow();
        }

        new PgTransactions(db.jdbi()).inOne(() -> inbox.claimNext().map(u -> {
            inbox.done(u.updateId(), clock.instant());
            return true;
        }));
        stall.check();
        stall.check();
        assertThat(lines(Level.INFO)).singleElement().asString().contains("updates move again");
        assertThat(lines(Level.WARN)).hasSize(1);
    }

    /**
     * Runs {@code statement} on a pooled connection (as a handler does) whose wait for a lock lasts until the operator
     * lets go: the pool's lock timeout ({@link Database#LOCK_TIMEOUT}, counted by the server) and socket timeout
     * (counted by the driver) run in real time, and a loaded CI that kept this JVM from reaching {@code check()} past
     * them ended the wait, and with it the stall the test shows. For this transaction alone: the connection goes back
     * to the pool as it was.
     */
    private static Void waitingOutAnyPause(Database db, Runnable statement) throws SQLException {
        return db.jdbi().inTransaction(h -> {
            h.execute("SET LOCAL lock_timeout = 0");
            h.getConnection().setNetworkTimeout(Runnable::run, 0);
            statement.run();
            return null;
        });
    }

    @Test
    void aBacklogWithNoLockHolderIsWarnedOfAsSuchAndANewSpellAgain() {
        PgProcessedUpdates inbox = new PgProcessedUpdates(TestDatabase.jdbi());
        inbox.record(11, USER, "{}", T0);
        MutableClock clock = new MutableClock(T0.plusSeconds(45));
        HandlingStall stall = new HandlingStall(inbox, TestDatabase.get()::lockHolders, clock);

        stall.check();
        clock.set(T0.plusSeconds(5));
        stall.check();
        clock.set(T0.plusSeconds(50));
        stall.check();

        assertThat(lines(Level.WARN)).hasSize(2).allSatisfy(line -> assertThat(line)
                .contains("no session holds a lock the bot's connections wait for"));
        assertThat(lines(Level.INFO)).hasSize(1);
    }
}
