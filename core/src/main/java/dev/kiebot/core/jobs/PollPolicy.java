package dev.kiebot.core.jobs;

import java.time.Duration;

/** How long to wait before the next status read of a running task. */
@FunctionalInterface
public interface PollPolicy {
    Duration nextDelay(int polls, Duration elapsed);

    /** The same delay every time; the Kie adapter's PollSchedule follows Kie's documented backoff. */
    static PollPolicy every(Duration delay) {
        return (polls, elapsed) -> delay;
    }
}
