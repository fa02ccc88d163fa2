package dev.kiebot.core.testing.memory;

import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.core.shop.KeptInMemory;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The inbox in memory: a claimed chat is held until its transaction ends; a claim outside a transaction throws
 * {@link IllegalStateException}. A transaction is its thread's, so a chat's holder is a thread: {@code claimNext}
 * passes by a chat another holds and {@code reclaim} waits for it.
 */
public final class InMemoryProcessedUpdates implements ProcessedUpdates, KeptInMemory {
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

    /** As PostgreSQL's row lock: a chat this transaction holds is not skipped, so it comes back until done. */
    @Override
    public synchronized Optional<PendingUpdate> claimNext() {
        inATransaction("claimNext");
        Set<Long> seen = new HashSet<>();
        for (Row r : rows.values()) {
            long chat = r.update.chatId();
            if (r.done || !seen.add(chat) || heldByAnother(chat)) {
                continue;
            }
            if (!holders.containsKey(chat)) {
                hold(chat);
            }
            return Optional.of(r.update);
        }
        return Optional.empty();
    }

    @Override
    public synchronized Optional<PendingUpdate> reclaim(long updateId) {
        inATransaction("reclaim");
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

    /** A claim outside a transaction would hold its chat for ever here: nothing would end it. */
    private void inATransaction(String method) {
        if (!transactions.active()) {
            throw new IllegalStateException("ProcessedUpdates." + method + " is called inside a transaction "
                    + "(Stores.transactions().inOne): the claim is the transaction's and ends with it");
        }
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
