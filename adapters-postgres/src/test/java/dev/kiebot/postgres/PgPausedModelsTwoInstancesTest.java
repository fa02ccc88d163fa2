package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.postgres.testing.TwoInstances;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The paused models kept in memory (issue 13): read once, not per screen, and right across two instances on one
 * database — another's pause or resume heard of by its notification, a lost one by the re-read after
 * {@link PgPausedModels#REREAD}, and this instance's own seen at once, within its transaction too.
 */
class PgPausedModelsTwoInstancesTest extends TwoInstances {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    /** A row changed behind every store's back (an operator's psql): no store hears of it. */
    private void pausedBehindTheStoresBack(String modelId) {
        instanceA.jdbi().useHandle(h -> h.createUpdate("INSERT INTO paused_models (model_id, paused_at) "
                + "VALUES (:id, now())").bind("id", modelId).execute());
    }

    @Test
    void aPauseOrResumeOnOneInstanceIsSeenByTheOtherThroughItsNotification() throws Exception {
        PgPausedModels a = new PgPausedModels(instanceA.jdbi(), instanceA.wakeups());
        PgPausedModels b = new PgPausedModels(instanceB.jdbi(), instanceB.wakeups());
        try (PgNotifications listening = PgNotifications.start(instanceB, List.of(PgPausedModels.CHANNEL))) {
            assertThat(listening.awaitListening(Duration.ofSeconds(10))).isTrue();
            assertThat(b.all()).isEmpty();
            CountDownLatch paused = new CountDownLatch(1);
            CountDownLatch resumed = new CountDownLatch(2);
            // after the store's own subscriber (made first): once these count, b has heard of the change
            listening.on(PgPausedModels.CHANNEL, () -> {
                paused.countDown();
                resumed.countDown();
            });
            assertThat(a.pause("kling/v3", T0)).isTrue();
            assertThat(paused.await(10, TimeUnit.SECONDS)).as("a's pause notified").isTrue();
            assertThat(b.all()).as("b reads again on a's notification").containsOnlyKeys("kling/v3");
            assertThat(b.paused("kling/v3")).isTrue();

            assertThat(a.resume("kling/v3")).isTrue();
            assertThat(resumed.await(10, TimeUnit.SECONDS)).as("a's resume notified").isTrue();
            assertThat(b.all()).as("back on sale on b").isEmpty();
        }
    }

    @Test
    void theSetIsReadOnceAndAgainOnlyAfterTheSafetyReread() {
        AtomicLong nanos = new AtomicLong();
        PgPausedModels b = new PgPausedModels(instanceB.jdbi(), instanceB.wakeups(), PgPausedModels.REREAD,
                nanos::get);
        assertThat(b.all()).isEmpty();
        pausedBehindTheStoresBack("suno/v5");
        nanos.addAndGet(PgPausedModels.REREAD.toNanos() - 1);
        assertThat(b.all()).as("kept: no statement, so the row unseen").isEmpty();
        nanos.addAndGet(1);
        assertThat(b.all()).as("read again once the safety re-read is due").containsOnlyKeys("suno/v5");
    }

    @Test
    void anInstancesOwnPauseIsSeenAtOnceInItsTransactionAndAfterItsCommitButNotAfterARollback() {
        PgPausedModels a = new PgPausedModels(instanceA.jdbi(), instanceA.wakeups());
        PgTransactions tx = new PgTransactions(instanceA.jdbi());
        assertThat(a.all()).isEmpty();
        tx.inOne(() -> {
            assertThat(a.pause("kling/v3", T0)).isTrue();
            assertThat(a.all()).as("its own transaction sees its pause").containsOnlyKeys("kling/v3");
            return null;
        });
        assertThat(a.all()).as("committed: kept set read again").containsOnlyKeys("kling/v3");
        try {
            tx.inOne(() -> {
                assertThat(a.resume("kling/v3")).isTrue();
                assertThat(a.all()).as("its own transaction sees its resume").isEmpty();
                throw new IllegalStateException("rolled back");
            });
        } catch (IllegalStateException expected) {
            // the resume is gone with its transaction
        }
        assertThat(a.all()).as("the rolled-back resume left it paused").containsOnlyKeys("kling/v3");
    }

    @Test
    void theUncachedStoreReadsEveryTimeAndStillNotifies() throws Exception {
        PgPausedModels plain = new PgPausedModels(instanceA.jdbi());
        PgPausedModels b = new PgPausedModels(instanceB.jdbi(), instanceB.wakeups());
        try (PgNotifications listening = PgNotifications.start(instanceB, List.of(PgPausedModels.CHANNEL))) {
            assertThat(listening.awaitListening(Duration.ofSeconds(10))).isTrue();
            assertThat(plain.all()).isEmpty();
            assertThat(b.all()).isEmpty();
            CountDownLatch heard = new CountDownLatch(1);
            listening.on(PgPausedModels.CHANNEL, heard::countDown);
            pausedBehindTheStoresBack("suno/v5");
            assertThat(plain.all()).as("a partner's wiring without notifications reads the table").containsOnlyKeys(
                    "suno/v5");
            assertThat(plain.pause("kling/v3", T0)).isTrue();
            assertThat(heard.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(b.all()).containsOnlyKeys("suno/v5", "kling/v3");
        }
    }
}
