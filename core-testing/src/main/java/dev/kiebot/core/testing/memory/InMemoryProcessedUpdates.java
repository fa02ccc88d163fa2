package dev.kiebot.core.testing.memory;

import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.core.intake.ProcessedUpdates;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

public final class InMemoryProcessedUpdates implements ProcessedUpdates {
    private static final class Row {
        final PendingUpdate update;
        final Instant recordedAt;
        Instant claimedUntil = Instant.MIN;
        boolean done;

        Row(PendingUpdate update, Instant recordedAt) {
            this.update = update;
            this.recordedAt = recordedAt;
        }
    }

    private final Map<Long, Row> rows = new LinkedHashMap<>();

    @Override
    public synchronized boolean record(long updateId, long chatId, String payload, Instant now) {
        if (rows.containsKey(updateId)) {
            return false;
        }
        rows.put(updateId, new Row(new PendingUpdate(updateId, chatId, payload), now));
        return true;
    }

    @Override
    public synchronized Optional<PendingUpdate> claim(String worker, Instant now, Duration lease) {
        Set<Long> busyChats = new HashSet<>();
        Row best = null;
        for (Row r : rows.values().stream().sorted(java.util.Comparator.comparingLong(x -> x.update.updateId()))
                .toList()) {
            if (r.done) {
                continue;
            }
            long chat = r.update.chatId();
            if (busyChats.contains(chat)) {
                continue;
            }
            busyChats.add(chat);
            if (r.claimedUntil.isAfter(now)) {
                continue;
            }
            best = r;
            break;
        }
        if (best == null) {
            return Optional.empty();
        }
        best.claimedUntil = now.plus(lease);
        return Optional.of(best.update);
    }

    @Override
    public synchronized void done(long updateId, Instant now) {
        Row r = rows.get(updateId);
        if (r != null) {
            r.done = true;
        }
    }

    @Override
    public synchronized int purge(Instant cutoff) {
        int n = 0;
        for (Iterator<Row> it = rows.values().iterator(); it.hasNext(); ) {
            Row r = it.next();
            if (r.done && r.recordedAt.isBefore(cutoff)) {
                it.remove();
                n++;
            }
        }
        return n;
    }
}
