package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Updates recorded by many threads at once are group-committed, and each caller still hears the truth about its
 * own update: every id is "new" to exactly one of the callers that delivered it (also when two deliveries of one
 * id meet in the same batch), every update is stored once, and each chat's head is its oldest update.
 */
class PgProcessedUpdatesGroupCommitTest {
    private static final int THREADS = 40;
    private static final int IDS = 2_000;
    private static final int CHATS = 50;
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    private final PgProcessedUpdates inbox = new PgProcessedUpdates(TestDatabase.jdbi());

    @BeforeEach
    @AfterEach
    void empty() {
        TestDatabase.truncateAll();
    }

    @Test
    void eachUpdateIsNewToExactlyOneOfItsDeliveriesAndStoredOnce() throws Exception {
        Map<Long, AtomicInteger> newTo = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    // every id is delivered twice, by two different threads, in different orders
                    for (int i = 0; i < IDS * 2 / THREADS; i++) {
                        long id = 1 + (thread * (IDS * 2L / THREADS) + i) % IDS;
                        if (inbox.record(id, id % CHATS, "{\"update_id\":" + id + "}", NOW)) {
                            newTo.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(newTo).hasSize(IDS);
        assertThat(newTo.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        long stored = TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM processed_updates")
                .mapTo(Long.class).one());
        assertThat(stored).isEqualTo(IDS);
        Map<Long, Long> heads = TestDatabase.jdbi().withHandle(h -> h.createQuery(
                "SELECT chat_id, head_id FROM inbox_chats").setMapKeyColumn("chat_id").setMapValueColumn("head_id")
                .collectInto(new org.jdbi.v3.core.generic.GenericType<Map<Long, Long>>() { }));
        assertThat(heads).hasSize(CHATS);
        heads.forEach((chat, head) -> assertThat(head).as("head of chat " + chat)
                .isEqualTo(chat == 0 ? CHATS : chat));
    }

    @Test
    void insideACallersTransactionTheUpdateCommitsOrRollsBackWithIt() {
        PgTransactions transactions = new PgTransactions(TestDatabase.jdbi());
        assertThatThrownBy(() -> transactions.inOne(() -> {
            assertThat(inbox.record(7, 70, "{}", NOW)).isTrue();
            throw new IllegalStateException("roll back");
        })).hasMessage("roll back");
        Optional<PendingUpdate> none = TestDatabase.jdbi().inTransaction(h -> inbox.claimNext());
        assertThat(none).isEmpty();
    }
}
