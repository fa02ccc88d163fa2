package dev.kiebot.core.testing.memory;

import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.core.intake.ProcessedUpdates;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The inbox in memory: a claimed chat is held until its transaction ends (or, outside one, until done). A
 * transaction is its thread's, so a chat's holder is a thread: {@code reclaim} waits for any other.
 */
public final class InMemoryProcessedUpdates implements ProcessedUpdates {
    private static final class Row {
        final PendingUpdate update;
        boolean done;

        Row(PendingUpdate update) {
            this.update = update;
        }
    }

    private final InMemoryTransactions transactions;
    private final TreeMap<Long, Row> rows = new TreeMap<>();
    private final Map<Long, Thread> holders = new HashMap<>();

    /**
     * An empty inbox.
     *
     * @param transactions the transactions its claims join: a chat claimed inside one is released when it ends
     */
    public InMemoryProcessedUpdates(InMemoryTransactions transactions) {
        this.transactions = transactions;
    }

    @Override
    public synchronized boolean record(long updateId, long chatId, String payload, Instant now) {
        if (rows.containsKey(updateId)) {
            return false;
        }
        rows.put(updateId, new Row(new PendingUpdate(updateId, chatId, payload, now)));
        return true;
    }

    @Override
    public synchronized Optional<PendingUpdate> claimNext() {
        Set<Long> seen = new HashSet<>();
        for (Row r : rows.values()) {
            long chat = r.update.chatId();
            if (r.done || !seen.add(chat) || holders.containsKey(chat)) {
                continue;
            }
            hold(chat);
            return Optional.of(r.update);
        }
        return Optional.empty();
    }

    @Override
    public synchronized Optional<PendingUpdate> reclaim(long updateId) {
        Row r = rows.get(updateId);
        if (r == null) {
            return Optional.empty();
        }
        long chat = r.update.chatId();
        while (heldByAnother(chat)) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for chat " + chat, e);
            }
        }
        if (r.done) {
            return Optional.empty();
        }
        if (!holders.containsKey(chat)) {
            hold(chat);
        }
        return Optional.of(r.update);
    }

    private boolean heldByAnother(long chat) {
        Thread holder = holders.get(chat);
        return holder != null && holder != Thread.currentThread();
    }

    private void hold(long chat) {
        holders.put(chat, Thread.currentThread());
        transactions.onEnd(() -> release(chat));
    }

    private synchronized void release(long chatId) {
        holders.remove(chatId);
        notifyAll();
    }

    @Override
    public synchronized void done(long updateId, Instant now) {
        Row r = rows.get(updateId);
        if (r != null) {
            r.done = true;
            if (!transactions.active()) {
                release(r.update.chatId());
            }
        }
    }

    @Override
    public synchronized Optional<Instant> oldestPending() {
        return rows.values().stream().filter(r -> !r.done).findFirst().map(r -> r.update.recordedAt());
    }

    @Override
    public synchronized int purge(Instant cutoff) {
        return purge(cutoff, Integer.MAX_VALUE);
    }

    @Override
    public synchronized int purge(Instant cutoff, int limit) {
        int n = 0;
        for (Iterator<Row> it = rows.values().iterator(); it.hasNext() && n < limit; ) {
            Row r = it.next();
            if (r.done && r.update.recordedAt().isBefore(cutoff)) {
                it.remove();
                n++;
            }
        }
        return n;
    }

    /**
     * The payload kept for an update, handled or not: what {@code PersonalDataContract.payloadOf} reads (the port hands
     * a payload back only while its update waits).
     *
     * @param updateId the update
     * @return its payload; empty when the update is not stored
     */
    public synchronized Optional<String> payloadOf(long updateId) {
        return Optional.ofNullable(rows.get(updateId)).map(r -> r.update.payload());
    }

    /** {@code PersonalData.forget}'s part here: the bodies of the chat's handled updates. */
    synchronized void forget(long chatId) {
        for (Map.Entry<Long, Row> e : rows.entrySet()) {
            Row r = e.getValue();
            if (r.done && r.update.chatId() == chatId) {
                Row blank = new Row(new PendingUpdate(r.update.updateId(), chatId, "{}", r.update.recordedAt()));
                blank.done = true;
                e.setValue(blank);
            }
        }
    }
}
