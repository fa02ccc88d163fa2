package dev.kiebot.core.intake;

import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failures of one kind in a row, by update, for an inbox's give-up rule ({@link Inbox}'s, and kiebot's runtime's
 * {@code UpdateDispatcher}'s): an update that keeps failing is left pending a bounded number of times, then given up.
 * An update's count is dropped once it is handled, so only updates still failing are held. The map is bounded: past
 * {@code trackedMax} the entry whose first failure is the newest is dropped, so a burst over many chats cannot restart
 * the counts of the updates that have been failing longest (clearing the whole map did: a deadlock burst over 257
 * chats gave every update a fresh count). Kept in memory, per process: after a restart an update is counted afresh.
 */
public final class FailuresInARow {
    /**
     * How many failures in a row an update has met, and when the first of them was.
     *
     * @param count failures in a row, 1 or more
     * @param first the instant of the first of them
     */
    public record Tries(int count, Instant first) {
    }

    private final int trackedMax;
    private final Map<Long, Tries> byUpdate = new ConcurrentHashMap<>();

    /**
     * @param trackedMax how many updates are counted at once, at most (1 or more)
     * @throws IllegalArgumentException below 1
     */
    public FailuresInARow(int trackedMax) {
        if (trackedMax < 1) {
            throw new IllegalArgumentException("trackedMax must be 1 or more, got " + trackedMax);
        }
        this.trackedMax = trackedMax;
    }

    /**
     * One more failure of an update.
     *
     * @param updateId the update that failed
     * @param now      when
     * @return its count in a row and its first failure's instant
     */
    public Tries count(long updateId, Instant now) {
        if (!byUpdate.containsKey(updateId)) {
            while (byUpdate.size() >= trackedMax) {
                byUpdate.entrySet().stream().max(Comparator.comparing(e -> e.getValue().first()))
                        .ifPresent(newest -> byUpdate.remove(newest.getKey()));
            }
        }
        return byUpdate.merge(updateId, new Tries(1, now), (was, one) -> new Tries(was.count() + 1, was.first()));
    }

    /**
     * The update was handled or given up: its failures no longer count.
     *
     * @param updateId the update
     */
    public void forget(long updateId) {
        byUpdate.remove(updateId);
    }

    /** @return how many updates are counted now */
    public int tracked() {
        return byUpdate.size();
    }
}
