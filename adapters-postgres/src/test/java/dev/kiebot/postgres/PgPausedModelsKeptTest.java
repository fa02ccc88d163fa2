package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.testing.Patience;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The paused models kept in memory by the stores {@link PgStores#create} makes: one subscriber on the database's
 * wake-ups however many stores are made, and no set kept from a snapshot older than a change heard of.
 */
class PgPausedModelsKeptTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    @BeforeEach
    void empty() {
        TestDatabase.truncateAll();
    }

    @Test
    void storesMadeAgainAndAgainAddNoSubscriberToTheWakeups() {
        Database db = TestDatabase.get();
        PgStores.create(db, Clock.systemUTC());
        int first = db.wakeups().subscribers(PgPausedModels.CHANNEL);
        for (int i = 0; i < 5; i++) {
            PgStores.create(db, Clock.systemUTC());
        }
        assertThat(db.wakeups().subscribers(PgPausedModels.CHANNEL)).as("subscribers after five stores more")
                .isEqualTo(first);
    }

    /**
     * A {@code REPEATABLE READ} transaction (PgShopFigures' kind) reads the set after another thread's pause was
     * committed and heard of, in a snapshot taken before it: kept, that older set was answered after the transaction
     * until the next change or the minute's re-read.
     */
    @Test
    void aReadInARepeatableReadSnapshotOlderThanAPauseIsNotKept() throws Exception {
        Database db = TestDatabase.get();
        PgPausedModels kept = new PgPausedModels(db.jdbi(), db.wakeups());
        PgPausedModels elsewhere = new PgPausedModels(db.jdbi(), db.wakeups());
        assertThat(kept.all()).isEmpty();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            db.jdbi().useTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
                h.createQuery("SELECT 1").mapTo(Integer.class).one(); // the snapshot, before the pause
                assertThat(Patience.get(other.submit(() -> elsewhere.pause("kling/v3", T0)), Duration.ofSeconds(30)))
                        .as("paused and committed, heard of at once").isTrue();
                assertThat(kept.all()).as("the transaction's snapshot has no pause").isEmpty();
            });
        } finally {
            other.shutdownNow();
        }
        assertThat(kept.all()).as("after the transaction: the pause").containsOnlyKeys("kling/v3");
    }
}
