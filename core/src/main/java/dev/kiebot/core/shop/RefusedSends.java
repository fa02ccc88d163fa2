package dev.kiebot.core.shop;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Jobs whose createTask the provider refused without taking it (a 429, a 503, a connect failure, the local limit),
 * each sent again {@link JobWorker#resendAfter} later (1 to 15 s): since when and how many sends were refused. Each
 * refusal logged a WARNING, some 40 for one job refused through a 10-minute outage and as many for every job waiting
 * with it; now a job's spell is one WARNING at its start, DEBUG for the refusals after, and one line at its end: INFO
 * when the provider took the send, WARNING when it was given up (its deadline, a refusal not to send again), INFO when
 * the job left meanwhile (a Cancel, an admin's refund). As {@link FailingStatusReads} does for failed status reads.
 * Kept per worker (a process started anew begins a spell again), at most {@link #KEPT}. Thread-safe.
 */
final class RefusedSends {
    /** Under the worker's name, as every other line of a job's send. */
    private static final System.Logger LOG = System.getLogger(JobWorker.class.getName());
    static final int KEPT = JobSpells.KEPT;

    private final JobSpells spells = new JobSpells();

    /** The provider refused {@code job}'s createTask at {@code now} with {@code refusal}; sent again after {@code pause}. */
    void refused(Job job, String refusal, Duration pause, Instant now) {
        JobSpells.Spell spell = spells.failed(job.id(), now);
        if (spell.first()) {
            LOG.log(System.Logger.Level.WARNING, "{0}: the provider refused createTask ({1}), which it did not take; "
                    + "sending it again after {2}, and again until its deadline (said once until it is taken or "
                    + "given up)", job.id().display(), refusal, pause);
        } else {
            LOG.log(System.Logger.Level.DEBUG, "{0}: the provider refused createTask again ({1} since {2}): {3}; "
                    + "sending it again after {4}", job.id().display(), spell.count(), spell.since(), refusal, pause);
        }
    }

    /** The provider took the job's createTask at {@code now}: a spell of refusals it had is over, said once. */
    void taken(JobId id, Instant now) {
        ended(id).ifPresent(spell -> LOG.log(System.Logger.Level.INFO, "{0}: the provider took createTask after "
                + "{1} refused over {2}", id.display(), spell.count(), Duration.between(spell.since(), now)));
    }

    /** The job's sends are given up at {@code now} ({@code why}: its deadline, a refusal not sent again). */
    void givenUp(JobId id, String why, Instant now) {
        ended(id).ifPresent(spell -> LOG.log(System.Logger.Level.WARNING, "{0}: createTask given up after {1} "
                + "refused over {2}: {3}", id.display(), spell.count(), Duration.between(spell.since(), now), why));
    }

    /** The job no longer waits to be sent (a Cancel, an admin's refund, another worker's send): no more resends. */
    void left(JobId id, Instant now) {
        ended(id).ifPresent(spell -> LOG.log(System.Logger.Level.INFO, "{0}: the resends of createTask end with "
                + "the job no longer waiting to be sent, after {1} refused over {2}", id.display(), spell.count(),
                Duration.between(spell.since(), now)));
    }

    /** How many spells this worker keeps (for tests). */
    int kept() {
        return spells.kept();
    }

    private Optional<JobSpells.Spell> ended(JobId id) {
        return spells.end(id);
    }
}
