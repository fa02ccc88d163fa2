package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.JobDraft;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.postgres.testing.TwoInstances;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Wake-ups cross instances: what one instance records, queues or creates wakes the threads another instance
 * has waiting on the same database — and a rolled-back transaction wakes nobody.
 */
class PgNotificationsTest extends TwoInstances {
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void anUpdateAReplyAJobAndABroadcastRecordedByOneInstanceWakeTheOther() throws Exception {
        CountDownLatch inbox = new CountDownLatch(1);
        CountDownLatch outbox = new CountDownLatch(1);
        CountDownLatch jobs = new CountDownLatch(1);
        CountDownLatch broadcasts = new CountDownLatch(1);
        try (PgNotifications listening = PgNotifications.start(instanceB, List.of(PgProcessedUpdates.CHANNEL,
                PgPendingReplies.CHANNEL, PgJobs.CHANNEL, PgBroadcasts.CHANNEL))) {
            // the first (re)connect wakes everyone once; count only what follows it
            assertThat(listening.awaitListening(java.time.Duration.ofSeconds(10))).isTrue();
            listening.on(PgProcessedUpdates.CHANNEL, inbox::countDown);
            listening.on(PgPendingReplies.CHANNEL, outbox::countDown);
            listening.on(PgJobs.CHANNEL, jobs::countDown);
            listening.on(PgBroadcasts.CHANNEL, broadcasts::countDown);
            new PgProcessedUpdates(instanceA.jdbi()).record(1, 10, "{}", T0);
            assertThat(inbox.await(10, TimeUnit.SECONDS)).isTrue();
            new PgTransactions(instanceA.jdbi()).inOne(() -> {
                new PgPendingReplies(instanceA.jdbi()).append(List.of(Outgoing.plain(
                        new Reply.SendText(10, "hi", Keyboard.NONE))), T0);
                return null;
            });
            assertThat(outbox.await(10, TimeUnit.SECONDS)).isTrue();
            new PgJobs(instanceA.jdbi()).create(new JobDraft(7, 7, "en", "m", "default", Map.of(), Map.of(), 1, false,
                    T0, T0.plusSeconds(60)));
            assertThat(jobs.await(10, TimeUnit.SECONDS)).isTrue();
            PgBroadcasts sending = new PgBroadcasts(instanceA.jdbi());
            sending.queue(sending.draft(1, 1, "news", T0).id(), Optional.empty(), T0);
            assertThat(broadcasts.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aRolledBackTransactionWakesNobody() throws Exception {
        CountDownLatch woken = new CountDownLatch(1);
        try (PgNotifications listening = PgNotifications.start(instanceB, List.of(PgPendingReplies.CHANNEL))) {
            assertThat(listening.awaitListening(java.time.Duration.ofSeconds(10))).isTrue();
            listening.on(PgPendingReplies.CHANNEL, woken::countDown);
            try {
                new PgTransactions(instanceA.jdbi()).inOne(() -> {
                    new PgPendingReplies(instanceA.jdbi()).append(List.of(Outgoing.plain(
                            new Reply.SendText(10, "hi", Keyboard.NONE))), T0);
                    throw new IllegalStateException("rolled back");
                });
            } catch (IllegalStateException expected) {
                // the transaction is gone, and its notification with it
            }
            assertThat(woken.await(2, TimeUnit.SECONDS)).isFalse();
        }
        long rows = TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM outbox")
                .mapTo(Long.class).one());
        assertThat(rows).isZero();
    }

    @Test
    void anInstanceWakesItsOwnThreadsInProcessOnceAndIsNotWokenAgainByItsOwnNotify() throws Exception {
        java.util.concurrent.atomic.AtomicInteger wokenA = new java.util.concurrent.atomic.AtomicInteger();
        CountDownLatch wokenB = new CountDownLatch(1);
        try (PgNotifications listeningA = PgNotifications.start(instanceA, List.of(PgPendingReplies.CHANNEL));
             PgNotifications listeningB = PgNotifications.start(instanceB, List.of(PgPendingReplies.CHANNEL))) {
            assertThat(listeningA.awaitListening(java.time.Duration.ofSeconds(10))).isTrue();
            assertThat(listeningB.awaitListening(java.time.Duration.ofSeconds(10))).isTrue();
            listeningA.on(PgPendingReplies.CHANNEL, wokenA::incrementAndGet);
            listeningB.on(PgPendingReplies.CHANNEL, wokenB::countDown);
            PgPendingReplies outbox = new PgPendingReplies(instanceA.jdbi(), instanceA.wakeups());
            new PgTransactions(instanceA.jdbi()).inOne(() -> {
                outbox.append(List.of(Outgoing.plain(new Reply.SendText(10, "hi", Keyboard.NONE))), T0);
                assertThat(wokenA).as("nobody is woken before the commit").hasValue(0);
                return null;
            });
            assertThat(wokenA).as("woken in process by the commit").hasValue(1);
            assertThat(wokenB.await(10, TimeUnit.SECONDS)).as("the other instance is notified").isTrue();
            Thread.sleep(PgNotifications.WAIT_MILLIS + 500L);
            assertThat(wokenA).as("its own NOTIFY does not wake it again").hasValue(1);
        }
    }

    @Test
    void onItsOwnDatabaseAnInstanceWakesItsThreadsAndNotifiesNobody() throws Exception {
        Wakeups own = Wakeups.ownDatabase();
        java.util.concurrent.atomic.AtomicInteger woken = new java.util.concurrent.atomic.AtomicInteger();
        own.on(PgPendingReplies.CHANNEL, woken::incrementAndGet);
        CountDownLatch elsewhere = new CountDownLatch(1);
        try (PgNotifications listeningB = PgNotifications.start(instanceB, List.of(PgPendingReplies.CHANNEL))) {
            assertThat(listeningB.awaitListening(java.time.Duration.ofSeconds(10))).isTrue();
            listeningB.on(PgPendingReplies.CHANNEL, elsewhere::countDown);
            PgPendingReplies outbox = new PgPendingReplies(instanceA.jdbi(), own);
            PgTransactions tx = new PgTransactions(instanceA.jdbi());
            try {
                tx.inOne(() -> {
                    outbox.append(List.of(Outgoing.plain(new Reply.SendText(10, "lost", Keyboard.NONE))), T0);
                    throw new IllegalStateException("rolled back");
                });
            } catch (IllegalStateException expected) {
                // nothing was committed, so nobody may be woken
            }
            assertThat(woken).hasValue(0);
            tx.inOne(() -> {
                outbox.append(List.of(Outgoing.plain(new Reply.SendText(10, "hi", Keyboard.NONE))), T0);
                return null;
            });
            assertThat(woken).hasValue(1);
            assertThat(elsewhere.await(PgNotifications.WAIT_MILLIS + 1_000L, TimeUnit.MILLISECONDS))
                    .as("no NOTIFY: nobody else can be on an instance's own embedded database").isFalse();
        }
    }

    @Test
    void onItsOwnDatabaseNothingListensAndNoConnectionIsTaken() throws Exception {
        try (PgNotifications own = PgNotifications.start(instanceB.dataSource(), Wakeups.ownDatabase(),
                List.of(PgPendingReplies.CHANNEL))) {
            assertThat(own.awaitListening(java.time.Duration.ZERO)).isTrue();
            assertThat(listeningConnections()).isZero();
        }
        // the same on a shared database: one connection listens
        try (PgNotifications shared = PgNotifications.start(instanceA.dataSource(), Wakeups.sharedDatabase(),
                List.of(PgPendingReplies.CHANNEL))) {
            assertThat(shared.awaitListening(java.time.Duration.ofSeconds(10))).isTrue();
            assertThat(listeningConnections()).isEqualTo(1);
        }
    }

    @Test
    void onASharedDatabaseTheListenerTakesNoConnectionFromThePool() throws Exception {
        try (PgNotifications listening = PgNotifications.start(instanceA, List.of(PgPendingReplies.CHANNEL))) {
            assertThat(listening.awaitListening(java.time.Duration.ofSeconds(10))).isTrue();
            assertThat(listeningConnections()).isEqualTo(1);
            var pool = ((com.zaxxer.hikari.HikariDataSource) instanceA.dataSource()).getHikariPoolMXBean();
            assertThat(pool.getActiveConnections()).as("every pooled connection is free for work").isZero();
        }
        assertThat(awaitNoListener()).as("closing closes the listening connection").isTrue();
    }

    @Test
    void aListeningConnectionThatDiedSilentlyIsReplacedAndEveryoneIsWoken() throws Exception {
        DatabaseSettings db = TestDatabase.settings();
        java.net.URI url = java.net.URI.create(db.jdbcUrl().orElseThrow().substring("jdbc:".length()));
        CountDownLatch woken = new CountDownLatch(1);
        try (FreezingProxy proxy = FreezingProxy.to(url.getHost(), url.getPort())) {
            java.util.Properties props = new java.util.Properties();
            props.setProperty("user", db.user());
            props.setProperty("password", db.password());
            props.setProperty("socketTimeout", "2");
            String viaProxy = "jdbc:postgresql://127.0.0.1:" + proxy.port() + url.getPath();
            try (PgNotifications listening = PgNotifications.start(
                    () -> java.sql.DriverManager.getConnection(viaProxy, props), Wakeups.sharedDatabase(),
                    List.of(PgPendingReplies.CHANNEL), java.time.Duration.ofMillis(500))) {
                assertThat(listening.awaitListening(java.time.Duration.ofSeconds(10))).isTrue();
                listening.on(PgPendingReplies.CHANNEL, woken::countDown);
                proxy.freezeOpenConnections();
                // announced while the listener's connection is dead: this NOTIFY never reaches it
                new PgTransactions(instanceA.jdbi()).inOne(() -> {
                    new PgPendingReplies(instanceA.jdbi()).append(List.of(Outgoing.plain(
                            new Reply.SendText(10, "hi", Keyboard.NONE))), T0);
                    return null;
                });
                assertThat(woken.await(20, TimeUnit.SECONDS))
                        .as("the ping finds the dead connection; the new one wakes every subscriber").isTrue();
            }
        }
    }

    private static boolean awaitNoListener() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (listeningConnections() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private static long listeningConnections() {
        return TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM pg_stat_activity "
                + "WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()").mapTo(Long.class).one());
    }
}
