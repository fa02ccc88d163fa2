package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.conversation.ChatSession;
import dev.kiebot.core.conversation.ChatSessions;
import dev.kiebot.core.conversation.ChatState;
import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.postgres.testing.TwoInstances;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two bot instances (two separate pools) share the inbox: every update is recorded once even when both receive
 * it, and each chat's updates are handled one at a time in order, so the chat ends in the state a single
 * sequential handler would leave.
 */
class PgProcessedUpdatesTwoInstancesTest extends TwoInstances {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    @Test
    void bothInstancesReceivingTheSameUpdatesRecordEachOnce() throws Exception {
        PgProcessedUpdates a = new PgProcessedUpdates(instanceA.jdbi());
        PgProcessedUpdates b = new PgProcessedUpdates(instanceB.jdbi());
        AtomicInteger firsts = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            PgProcessedUpdates inbox = t % 2 == 0 ? a : b;
            fs.add(pool.submit(() -> {
                start.await();
                for (long id = 1; id <= 200; id++) {
                    if (inbox.record(id, id % 7, "{\"update_id\":" + id + "}", T0)) {
                        firsts.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : fs) {
            f.get(1, TimeUnit.MINUTES);
        }
        pool.shutdown();
        assertThat(firsts.get()).isEqualTo(200);
        int rows = instanceA.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM processed_updates")
                .mapTo(Integer.class).one());
        assertThat(rows).isEqualTo(200);
    }

    @Test
    void twoInstancesHandleOneChatInOrderAsIfSequential() throws Exception {
        int chats = 3;
        int perChat = 25;
        PgProcessedUpdates inboxA = new PgProcessedUpdates(instanceA.jdbi());
        long id = 1000;
        for (int i = 0; i < perChat; i++) {
            for (int c = 0; c < chats; c++) {
                inboxA.record(id++, 500 + c, "u", T0);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> fs = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            Database db = w % 2 == 0 ? instanceA : instanceB;
            String worker = (w % 2 == 0 ? "A" : "B") + w;
            fs.add(pool.submit(() -> handleAll(db, worker, chats * perChat)));
        }
        int handled = 0;
        for (Future<Integer> f : fs) {
            handled += f.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();
        assertThat(handled).isEqualTo(chats * perChat);
        ChatSessions states = new ChatSessions(new PgChatStates(instanceB.jdbi()));
        PgAudit audit = new PgAudit(instanceB.jdbi());
        for (int c = 0; c < chats; c++) {
            long chat = 500 + c;
            // a read-modify-write per update: any overlap of two handlers of one chat would lose a version
            assertThat(states.load(chat).orElseThrow().version()).isEqualTo(perChat);
            List<Long> order = audit.byCorrelation("chat:" + chat).stream()
                    .map(e -> Long.parseLong(e.detail())).toList();
            assertThat(order).hasSize(perChat).isSorted();
        }
    }

    /**
     * A worker of one instance: in one transaction, claims, handles with a deliberately slow read-modify-write,
     * marks done.
     */
    private static int handleAll(Database db, String worker, int total) throws InterruptedException {
        PgProcessedUpdates inbox = new PgProcessedUpdates(db.jdbi());
        ChatSessions states = new ChatSessions(new PgChatStates(db.jdbi()));
        PgAudit audit = new PgAudit(db.jdbi());
        PgTransactions transactions = new PgTransactions(db.jdbi());
        int mine = 0;
        long idleSince = System.nanoTime();
        while (System.nanoTime() - idleSince < TimeUnit.SECONDS.toNanos(3)) {
            boolean handled = transactions.inOne(() -> {
                Optional<PendingUpdate> u = inbox.claimNext();
                if (u.isEmpty()) {
                    return false;
                }
                long chat = u.get().chatId();
                ChatSession before = states.load(chat).orElse(new ChatSession(0, new ChatState.Menu()));
                pause(3);
                states.save(chat, before.next(new ChatState.Menu()));
                audit.record(new AuditEvent(T0, worker, "update.handled", Long.toString(u.get().updateId()),
                        Optional.of("chat:" + chat)));
                inbox.done(u.get().updateId(), T0);
                return true;
            });
            if (!handled) {
                int done = db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM processed_updates WHERE done_at IS NOT NULL").mapTo(Integer.class).one());
                if (done >= total) {
                    return mine;
                }
                Thread.sleep(2);
                continue;
            }
            idleSince = System.nanoTime();
            mine++;
        }
        return mine;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
