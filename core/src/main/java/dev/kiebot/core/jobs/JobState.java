package dev.kiebot.core.jobs;

import java.util.EnumSet;
import java.util.Set;

/**
 * The persisted life of a generation (ARCHITECTURE §3.3). SUBMITTING is written before
 * {@code createTask} is sent: a job found in it after a crash may or may not exist at Kie, so it
 * is failed and refunded rather than submitted twice. SUBMITTING goes back to HELD only when the provider surely
 * never took the createTask ({@link Job#unsent}), to be sent again.
 */
public enum JobState {
    /** Stored, its payment not yet secured. */
    CREATED,
    /** Paid for (money held, or a free use taken), waiting to be sent. */
    HELD,
    /** Being sent to the provider: whether the task exists is not known yet. */
    SUBMITTING,
    /** The provider took the task and gave its id. */
    SUBMITTED,
    /** The provider is working on the task. */
    RUNNING,
    /** The result arrived and was charged for; it is being delivered. */
    SUCCEEDED,
    /** The result reached the user. Final. */
    DELIVERED,
    /** Failed, its money given back. Final. */
    FAILED;

    /**
     * Whether nothing more happens to the job.
     *
     * @return true for DELIVERED and FAILED
     */
    public boolean isTerminal() {
        return this == DELIVERED || this == FAILED;
    }

    /**
     * States a worker still has to move forward.
     *
     * @return HELD to SUCCEEDED; a new set on each call
     */
    public static Set<JobState> active() {
        return EnumSet.of(HELD, SUBMITTING, SUBMITTED, RUNNING, SUCCEEDED);
    }

    /**
     * At the provider: its task exists, and its status is what to read.
     *
     * @return true for SUBMITTED and RUNNING
     */
    public boolean awaitsResult() {
        return this == SUBMITTED || this == RUNNING;
    }

    /**
     * States the user's money is held in (post on success, void on failure).
     *
     * @return true from HELD to RUNNING
     */
    public boolean moneyHeld() {
        return this == HELD || this == SUBMITTING || this == SUBMITTED || this == RUNNING;
    }
}
