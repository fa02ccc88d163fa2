package dev.kiebot.core.shop;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import java.time.Duration;
import java.time.Instant;

/**
 * Jobs at the provider whose status reads fail (Kie down or answering 5xx), each read again every
 * {@link JobWorker#RETRY}: since when and how many reads failed. Each failed read logged a WARNING, 120 for one job in
 * ten minutes of Kie's outage (drill R2); now a job's spell is one WARNING at its start, DEBUG for the reads after,
 * and one INFO line when a read answers again. Kept per worker (a process started anew begins a spell again), at most
 * {@link #KEPT} (a job ended meanwhile by other means, its deadline, is dropped so). Thread-safe.
 */
final class FailingStatusReads {
    /** Under the worker's name, as every other line of a job's reads. */
    private static final System.Logger LOG = System.getLogger(JobWorker.class.getName());
    static final int KEPT = JobSpells.KEPT;

    private final JobSpells spells = new JobSpells();

    /** A status read of {@code job} failed at {@code now} with {@code why}; it is read again after a retry. */
    void failed(Job job, String why, Instant now) {
        JobSpells.Spell spell = spells.failed(job.id(), now);
        if (spell.first()) {
            LOG.log(System.Logger.Level.WARNING, "{0}: status read failed: {1}; reading it again every {2} (said once "
                    + "until a read answers)", job.id().display(), why, JobWorker.RETRY);
        } else {
            LOG.log(System.Logger.Level.DEBUG, "{0}: status read failed again ({1} since {2}): {3}",
                    job.id().display(), spell.count(), spell.since(), why);
        }
    }

    /** A status read of {@code job} answered at {@code now}: a spell of failed reads it had is over, said once. */
    void answered(Job job, Instant now) {
        spells.end(job.id()).ifPresent(spell -> LOG.log(System.Logger.Level.INFO, "{0}: the status read answers "
                + "again after {1} failed over {2}", job.id().display(), spell.count(),
                Duration.between(spell.since(), now)));
    }
}
