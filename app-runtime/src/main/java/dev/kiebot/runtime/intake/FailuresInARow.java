package dev.kiebot.runtime.intake;

import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failures of one kind in a row, by update, for the dispatcher's give-up rule. An update's count is dropped once it is
 * handled, so only updates still failing are held. The map is bounded: past {@code trackedMax} the entry whose first
 * failure is the newest is dropped, so a burst over many chats cannot restart the counts of the updates that have been
 * failing longest (clearing the whole map did: a deadlock burst over 257 chats gave every update a fresh count).
 */
final class FailuresInARow {
    /** How many failures in a row an update has met, and when the first of them was. */
    record Tries(int count, Instant first) {
    }

    private final int trackedMax;
    private final Map<Long, Tries> byUpdate = new ConcurrentHashMap<>();

    FailuresInARow(int trackedMax) {
        if (trackedMax < 1) {
            throw new IllegalArgumentException("trackedMax must be 1 or more, got " + trackedMax);
        }
        this.trackedMax = trackedMax;
    }

    /** One more failure of {@code updateId} at {@code now}; its count in a row and its first failure's instant. */
    Tries count(long updateId, Instant now) {
        if (!byUpdate.containsKey(updateId)) {
            while (byUpdate.size() >= trackedMax) {
                byUpdate.entrySet().stream().max(Comparator.comparing(e -> e.getValue().first()))
                        .ifPresent(newest -> byUpdate.remove(newest.getKey()));
            }
        }
        return byUpdate.merge(updateId, new Tries(1, now), (was, one) -> new Tries(was.count() + 1, was.first()));
    }

    /** The update was handled or given up: its failures no longer count. */
    void forget(long updateId) {
        byUpdate.remove(updateId);
    }

    /** How many updates are counted now. */
    int tracked() {
        return byUpdate.size();
    }
}
