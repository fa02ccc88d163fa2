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
    void anUpdateAReplyAndAJobRecordedByOneInstanceWakeTheOther() throws Exception {
        CountDownLatch inbox = new CountDownLatch(1);
        CountDownLatch outbox = new CountDownLatch(1);
        CountDownLatch jobs = new CountDownLatch(1);
        try (PgNotifications listening = PgNotifications.start(instanceB, List.of(PgProcessedUpdates.CHANNEL,
                PgPendingReplies.CHANNEL, PgJobs.CHANNEL))) {
            // the first (re)connect wakes everyone once; count only what follows it
            assertThat(listening.awaitListening(java.time.Duration.ofSeconds(10))).isTrue();
            listening.on(PgProcessedUpdates.CHANNEL, inbox::countDown);
            listening.on(PgPendingReplies.CHANNEL, outbox::countDown);
            listening.on(PgJobs.CHANNEL, jobs::countDown);
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
}
