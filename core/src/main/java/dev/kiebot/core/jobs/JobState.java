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
    CREATED, HELD, SUBMITTING, SUBMITTED, RUNNING, SUCCEEDED, DELIVERED, FAILED;

    public boolean isTerminal() {
        return this == DELIVERED || this == FAILED;
    }

    /** States a worker still has to move forward. */
    public static Set<JobState> active() {
        return EnumSet.of(HELD, SUBMITTING, SUBMITTED, RUNNING, SUCCEEDED);
    }

    /** At the provider: its task exists, and its status is what to read. */
    public boolean awaitsResult() {
        return this == SUBMITTED || this == RUNNING;
    }

    /** States the user's money is held in (post on success, void on failure). */
    public boolean moneyHeld() {
        return this == HELD || this == SUBMITTING || this == SUBMITTED || this == RUNNING;
    }
}
