package dev.kiebot.core.jobs;

/** A job was asked to move along an edge the state machine does not have. */
public final class IllegalTransitionException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * A refused transition.
     *
     * @param id   the job
     * @param from its state
     * @param to   the state it was asked to go to
     */
    public IllegalTransitionException(JobId id, JobState from, String to) {
        super(id.display() + ": cannot go from " + from + " to " + to);
    }
}
