package dev.kiebot.core.shop;

import dev.kiebot.core.jobs.JobId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A spell of jobs failed and refunded because the provider's answer to their createTask said nothing of the task
 * (a 500, a garbled body): each is a {@code RECONCILE} for the operator, but through a Kie outage every order was a
 * WARN of its own naming no action. The spell is said once, as it starts, and counted once, as the next createTask
 * the provider takes ends it; the jobs between are each still a {@code gen.reconcile} audit event (/find). Kept per
 * worker, at most {@link #NAMED} job ids for the closing line. Thread-safe.
 */
final class UnansweredCreates {
    /** Job ids the closing line names; the rest are counted. */
    static final int NAMED = 20;

    /**
     * A spell so far.
     *
     * @param since its first job's failure
     * @param count its jobs
     * @param jobs  the first {@link #NAMED} of them, display ids
     */
    record Spell(Instant since, int count, List<String> jobs) {
    }

    private Instant since;
    private int count;
    private final List<String> jobs = new ArrayList<>();

    /** One more job refunded so. @return whether it is the spell's first, to be said at WARN */
    synchronized boolean add(JobId job, Instant now) {
        if (count == 0) {
            since = now;
        }
        count++;
        if (jobs.size() < NAMED) {
            jobs.add(job.display());
        }
        return count == 1;
    }

    /** The provider took a createTask. @return the spell that ended, when there was one */
    synchronized Optional<Spell> end() {
        if (count == 0) {
            return Optional.empty();
        }
        Spell ended = new Spell(since, count, List.copyOf(jobs));
        count = 0;
        jobs.clear();
        since = null;
        return Optional.of(ended);
    }
}
