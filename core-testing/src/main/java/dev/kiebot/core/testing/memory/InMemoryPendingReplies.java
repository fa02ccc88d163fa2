package dev.kiebot.core.testing.memory;

import dev.kiebot.core.pacing.TokenBucket;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.PendingReplies;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The outbox in memory: per-chat queues, the chat's pacing, and the chats a transaction holds. */
public final class InMemoryPendingReplies implements PendingReplies {
    private static final class Chat {
        final Deque<Queued> queue = new ArrayDeque<>();
        Optional<TokenBucket> pacing = Optional.empty();
        Instant dueAt = Instant.MIN;
    }

    private final InMemoryTransactions transactions;
    private final Map<Long, Chat> chats = new LinkedHashMap<>();
    private final Set<Long> held = new HashSet<>();
    private final Map<String, Integer> tags = new HashMap<>();
    private long nextId = 1;

    public InMemoryPendingReplies(InMemoryTransactions transactions) {
        this.transactions = transactions;
    }

    @Override
    public synchronized void append(List<Outgoing> replies, Instant now) {
        for (Outgoing o : replies) {
            Chat c = chats.computeIfAbsent(o.chatId(), k -> new Chat());
            c.queue.add(new Queued(nextId++, o, c.pacing));
        }
    }

    @Override
    public synchronized Optional<Queued> next(Instant now) {
        Optional<Map.Entry<Long, Chat>> due = chats.entrySet().stream()
                .filter(e -> !e.getValue().queue.isEmpty() && !held.contains(e.getKey())
                        && !e.getValue().dueAt.isAfter(now))
                .min(Comparator.comparingLong(e -> e.getValue().queue.peekFirst().id()));
        if (due.isEmpty()) {
            return Optional.empty();
        }
        long chat = due.get().getKey();
        held.add(chat);
        transactions.onEnd(() -> release(chat));
        Queued head = due.get().getValue().queue.peekFirst();
        return Optional.of(new Queued(head.id(), head.outgoing(), due.get().getValue().pacing));
    }

    private synchronized void release(long chatId) {
        held.remove(chatId);
    }

    @Override
    public synchronized boolean done(Queued reply, TokenBucket pacing, Instant dueAt) {
        Chat c = chats.get(reply.chatId());
        if (c == null) {
            return false;
        }
        c.queue.removeIf(q -> q.id() == reply.id());
        c.pacing = Optional.of(pacing);
        c.dueAt = dueAt;
        if (!transactions.inTransaction()) {
            held.remove(reply.chatId());
        }
        return !c.queue.isEmpty();
    }

    @Override
    public synchronized int dropChat(long chatId) {
        Chat c = chats.get(chatId);
        if (c == null) {
            return 0;
        }
        int n = c.queue.size();
        c.queue.clear();
        held.remove(chatId);
        return n;
    }

    @Override
    public synchronized Optional<Instant> nextDueAfter(Instant now) {
        return chats.values().stream().filter(c -> !c.queue.isEmpty()).map(c -> c.dueAt).filter(now::isBefore)
                .min(Comparator.naturalOrder());
    }

    @Override
    public synchronized Optional<Integer> taggedMessage(long chatId, String tag) {
        return Optional.ofNullable(tags.get(chatId + "/" + tag));
    }

    @Override
    public synchronized void tag(long chatId, String tag, int messageId) {
        tags.put(chatId + "/" + tag, messageId);
    }
}
