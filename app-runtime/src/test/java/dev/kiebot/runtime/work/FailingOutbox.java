package dev.kiebot.runtime.work;

import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.core.testing.ForwardingPendingReplies;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The real outbox, except that queueing a message for an unreachable chat fails, as a database lost at that
 * moment would: what the message belongs to must then roll back with it.
 */
final class FailingOutbox extends ForwardingPendingReplies {
    /** Chats whose messages cannot be queued. */
    final Set<Long> unreachable = ConcurrentHashMap.newKeySet();
    /** Chats that become unreachable after this many more appends. */
    private final Map<Long, Integer> appendsLeft = new ConcurrentHashMap<>();
    /** Chats whose next append waits: [reached, go]. */
    private final Map<Long, CountDownLatch[]> pausedAppends = new ConcurrentHashMap<>();

    FailingOutbox(PendingReplies real) {
        super(real);
    }

    /** {@code stores} with this outbox in front of theirs. */
    static Stores around(Stores s, FailingOutbox outbox) {
        return s.withPendingReplies(outbox, s.transactions());
    }

    /** The chat's next {@code appends} appends work; those after them fail, until {@link #reachable}. */
    void unreachableAfter(long chatId, int appends) {
        appendsLeft.put(chatId, appends);
    }

    /**
     * The chat's next append waits, inside its transaction, until {@code go} opens; {@code reached} opens when it
     * starts to wait. For orderings between transactions that a test must force.
     */
    void pauseNextAppend(long chatId, CountDownLatch reached, CountDownLatch go) {
        pausedAppends.put(chatId, new CountDownLatch[] {reached, go});
    }

    void reachable(long chatId) {
        unreachable.remove(chatId);
        appendsLeft.remove(chatId);
    }

    @Override
    public void append(List<Outgoing> replies, Instant now) {
        replies.stream().map(Outgoing::chatId).distinct().map(pausedAppends::remove).filter(Objects::nonNull)
                .forEach(FailingOutbox::pause);
        replies.stream().map(Outgoing::chatId).distinct().forEach(chat -> appendsLeft.computeIfPresent(chat, (c, n) -> {
            if (n == 0) {
                unreachable.add(c);
                return 0;
            }
            return n - 1;
        }));
        if (replies.stream().anyMatch(o -> unreachable.contains(o.chatId()))) {
            throw new IllegalStateException("outbox unavailable");
        }
        real.append(replies, now);
    }

    private static void pause(CountDownLatch[] reachedAndGo) {
        reachedAndGo[0].countDown();
        try {
            reachedAndGo[1].await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
