package dev.kiebot.core.jobs;

import java.time.Duration;

/**
 * How long to wait before the next status read of a running task. Asked by the job worker after every read of a task
 * not yet done (and once after its submission); the job is leased again when the delay has passed. Zero reads again
 * at once, which only suits a provider whose tasks are done at once (the console example's): against a real service
 * it is a read after every other, for as long as the task runs. For Kie, its adapter's {@code PollSchedule::delayAfter}.
 */
@FunctionalInterface
public interface PollPolicy {
    /**
     * How long until the next status read. Called on a job worker thread: answer at once, from the arguments alone.
     *
     * @param polls   status reads made so far (0 right after the submission)
     * @param elapsed since the job was created
     * @return the delay before the next read: zero or more, never {@code null}
     */
    Duration nextDelay(int polls, Duration elapsed);

    /**
     * The same delay every time; the Kie adapter's PollSchedule follows Kie's documented backoff.
     *
     * @param delay zero or more
     * @return a policy answering {@code delay} always
     * @throws IllegalArgumentException when {@code delay} is negative or {@code null}
     */
    static PollPolicy every(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("PollPolicy.every: a delay of zero or more, e.g. Duration.ofSeconds(5); "
                    + "was " + delay);
        }
        return (polls, elapsed) -> delay;
    }
}
