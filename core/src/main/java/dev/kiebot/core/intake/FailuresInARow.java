package dev.kiebot.core.intake;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failures of one kind in a row, by update, for an inbox's give-up rule ({@link Inbox}'s, and kiebot's runtime's
 * {@code UpdateDispatcher}'s): an update that keeps failing is left pending a bounded number of times, then given up.
 * An update's count is dropped once it is handled, so only updates still failing are held. The map is bounded: past
 * {@code trackedMax} an entry that has not failed for {@link #STALE_AFTER} goes first (an update another instance or
 * thread handled meanwhile: this process never hears of it), then the entry whose first failure is the newest, so a
 * burst over many chats cannot restart the counts of the updates that have been failing longest (clearing the whole
 * map did: a deadlock burst over 257 chats gave every update a fresh count), and entries nobody will forget cannot
 * fill the map for good (two updates failing at once would then drop each other's count at each failure, neither
 * ever given up). Kept in memory, per process: after a restart an update is counted afresh.
 */
public final class FailuresInARow {
    /**
     * An update still failing fails again within seconds (its next claim); one whose last failure is this old was
     * handled elsewhere, or given up, and its entry only takes a place.
     */
    public static final Duration STALE_AFTER = Duration.ofMinutes(10);

    /**
     * How many failures in a row an update has met, and when the first of them was.
     *
     * @param count failures in a row, 1 or more
     * @param first the instant of the first of them
     * @param last  the instant of the last of them
     */
    public record Tries(int count, Instant first, Instant last) {
        /**
         * The give-up rule of an inbox, one for {@link Inbox} and kiebot's runtime's {@code UpdateDispatcher}: an
         * update is given up once it has failed more than {@code triesMax} times in a row and for at least
         * {@code forMin}, from the first failure to this one (the last). A contended update is claimed again at once,
         * so its tries alone could all be spent in one burst of lock conflicts: the time floor keeps it pending.
         *
         * @param triesMax failures in a row left pending, at most
         * @param forMin   the least time from the first failure to the last before it is given up ({@code ZERO}: none)
         * @return true to give the update up; false to leave it pending for a later try
         */
        public boolean spent(int triesMax, Duration forMin) {
            return count > triesMax && Duration.between(first, last).compareTo(forMin) >= 0;
        }
    }

    private final int trackedMax;
    private final Map<Long, Tries> byUpdate = new ConcurrentHashMap<>();

    /**
     * Counts the failures of at most {@code trackedMax} updates at once.
     *
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
        if (!byUpdate.containsKey(updateId) && byUpdate.size() >= trackedMax) {
            byUpdate.values().removeIf(t -> t.last().plus(STALE_AFTER).isBefore(now));
            while (byUpdate.size() >= trackedMax) {
                byUpdate.entrySet().stream().max(Comparator.comparing(e -> e.getValue().first()))
                        .ifPresent(newest -> byUpdate.remove(newest.getKey()));
            }
        }
        return byUpdate.merge(updateId, new Tries(1, now, now),
                (was, one) -> new Tries(was.count() + 1, was.first(), now));
    }

    /**
     * The update was handled or given up: its failures no longer count.
     *
     * @param updateId the update
     */
    public void forget(long updateId) {
        byUpdate.remove(updateId);
    }

    /**
     * How many updates are counted now.
     *
     * @return how many updates are counted now
     */
    public int tracked() {
        return byUpdate.size();
    }
}
