package dev.kiebot.core.jobs;

import java.time.Duration;

/** How long to wait before the next status read of a running task. */
@FunctionalInterface
public interface PollPolicy {
    Duration nextDelay(int polls, Duration elapsed);

    /** Kie's recommendation: every 2–3 s for 30 s, 5–10 s until 2 min, then 15–30 s. */
    static PollPolicy documented() {
        return (polls, elapsed) -> {
            if (elapsed.compareTo(Duration.ofSeconds(30)) < 0) {
                return Duration.ofSeconds(3);
            }
            if (elapsed.compareTo(Duration.ofMinutes(2)) < 0) {
                return Duration.ofSeconds(8);
            }
            return Duration.ofSeconds(20);
        };
    }
}
