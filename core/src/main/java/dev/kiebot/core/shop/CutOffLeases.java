package dev.kiebot.core.shop;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The jobs whose step the database cut off ({@link ConnectionLoss}: a full disk, a read-only database, a lost
 * connection), kept in memory so that their leases end at the first pass whose write of the job works again. A step
 * cut off writes nothing, so its lease ({@link JobWorker#LEASE}) was given back only by running out: a result Kie made
 * during a full disk reached its user up to 90 s after space was freed. The lease ends with the job's next look
 * {@link JobWorker#RETRY} away, as after any passing failure: at once, a database that takes the job's write but not
 * the step's (a disk full for the growing ledger only) would have the same step leased and cut off at every pass.
 *
 * <p>Also tells the worker whether a cut-off is the first of its job in a row, so that a long outage logs each job once.
 * Bounded ({@link #KEPT_MAX}); a job past it waits out its lease, as before. Kept per process: a restart forgets them,
 * and their leases run out as they always did.
 */
final class CutOffLeases {
    /** Jobs kept at once, at most: each is a job in hand when the database went away, a few at most. */
    static final int KEPT_MAX = 256;
    private static final System.Logger LOG = System.getLogger(JobWorker.class.getName());

    private final Stores stores;
    private final Clock clock;
    /** Jobs whose last step was cut off, by id: true once their lease was ended. Guarded by itself. */
    private final Map<JobId, Boolean> cutOff = new LinkedHashMap<>();

    CutOffLeases(Stores stores, Clock clock) {
        this.stores = stores;
        this.clock = clock;
    }

    /**
     * The job's step was cut off by the database: its lease is ended at the next pass that can write it.
     *
     * @return whether this is the job's first cut-off in a row (since a step of it last ended well)
     */
    boolean cutOff(JobId id) {
        synchronized (cutOff) {
            boolean first = !cutOff.containsKey(id);
            if (first && cutOff.size() >= KEPT_MAX) {
                cutOff.values().removeIf(ended -> ended); // those waiting for nothing go first
                if (cutOff.size() >= KEPT_MAX) {
                    return true; // not kept: its lease runs out on its own
                }
            }
            cutOff.put(id, false);
            return first;
        }
    }

    /** A step of the job ended without the database cutting it off: its next cut-off is a first again. */
    void stepEnded(JobId id) {
        synchronized (cutOff) {
            if (!cutOff.isEmpty()) {
                cutOff.remove(id);
            }
        }
    }

    /**
     * Ends the leases of the jobs cut off, but those whose step is in hand again ({@code inHand}): each written as it
     * is, next looked at {@link JobWorker#RETRY} from now (a SUBMITTING job not before its send's window ends, which
     * its next look is). Stops at the first write the database cuts off: the rest would be too, and are tried at the
     * next pass.
     */
    void endLeases(Predicate<JobId> inHand) {
        List<JobId> waiting;
        synchronized (cutOff) {
            if (cutOff.isEmpty()) {
                return;
            }
            waiting = cutOff.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
        }
        for (JobId id : waiting) {
            if (inHand.test(id)) {
                continue;
            }
            try {
                stores.jobs().find(id).filter(job -> !job.state().isTerminal()).ifPresent(this::endLease);
            } catch (RuntimeException e) {
                if (ConnectionLoss.in(e)) {
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "{0}: its lease, cut off by the database, could not be ended ({1});"
                        + " it runs out within {2}", id.display(), e.toString(), JobWorker.LEASE);
            }
            synchronized (cutOff) {
                cutOff.computeIfPresent(id, (key, ended) -> true);
            }
        }
    }

    /** A write of the job ends its lease; one written since (its lease ended so) is left as it is. */
    private void endLease(Job job) {
        Instant now = clock.instant();
        Duration wait = JobWorker.RETRY;
        if (job.state() == JobState.SUBMITTING && job.nextCheckAt().isAfter(now.plus(wait))) {
            wait = Duration.between(now, job.nextCheckAt());
        }
        stores.jobs().update(job.checkAgainIn(now, wait));
    }
}
