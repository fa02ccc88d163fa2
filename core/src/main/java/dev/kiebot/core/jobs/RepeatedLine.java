package dev.kiebot.core.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A log line about something that may come thousands of times a minute (a provider's callback refused, of a task no
 * job holds, not queued): said at once the first time, then at most once {@code every}, with how many came since it
 * was last said. One line per callback before: 13,000 callbacks with the callback token gave 12,278 lines (review R3).
 * What came after the last line said is counted in the next. Thread-safe.
 */
public final class RepeatedLine {
    /** What most callers give: once a minute. */
    public static final Duration MINUTE = Duration.ofMinutes(1);

    private final Clock clock;
    private final Duration every;
    private Instant saidAt;
    private int since;

    /**
     * A line not said yet: the first that comes is said at once.
     *
     * @param clock the clock the interval is kept by
     * @param every the least time between two lines said
     */
    public RepeatedLine(Clock clock, Duration every) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.every = Objects.requireNonNull(every, "every");
    }

    /**
     * One more came.
     *
     * @return when the line is to be said now, how many came since it was last said, this one included (1 the first
     *         time); empty when it was said less than {@code every} ago
     */
    public synchronized OptionalInt came() {
        since++;
        Instant now = clock.instant();
        if (saidAt != null && now.isBefore(saidAt.plus(every)) && !now.isBefore(saidAt)) {
            return OptionalInt.empty();
        }
        saidAt = now;
        int count = since;
        since = 0;
        return OptionalInt.of(count);
    }
}
