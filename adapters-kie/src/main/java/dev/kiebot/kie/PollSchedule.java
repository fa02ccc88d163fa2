package dev.kiebot.kie;

import dev.kiebot.core.catalog.Category;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * When to poll a Kie task again and when to give up; pure functions of the poll count and the time
 * since submission. Follows Kie's recommendation: every 2–3 s for the first 30 s, then 5–10 s until
 * 2 min, then 15–30 s. Deadlines per category: image 10 min, video/audio/music 30 min (configurable).
 */
public final class PollSchedule {
    public static final Duration FAST_PHASE = Duration.ofSeconds(30);
    public static final Duration MEDIUM_PHASE = Duration.ofMinutes(2);
    /** Elapsed time at which the slow phase reaches its longest delay. */
    public static final Duration SLOW_RAMP_END = Duration.ofMinutes(10);

    private final Map<Category, Duration> deadlines;

    /** @param deadlines a deadline for every category */
    public PollSchedule(Map<Category, Duration> deadlines) {
        EnumMap<Category, Duration> m = new EnumMap<>(Category.class);
        for (Category c : Category.values()) {
            Duration d = Objects.requireNonNull(deadlines.get(c), "no deadline for " + c);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("deadline for " + c.key() + " must be > 0");
            }
            m.put(c, d);
        }
        this.deadlines = m;
    }

    /** The shop's default deadlines (image 10 min; video, audio and music 30 min): one source for both. */
    public static PollSchedule defaults() {
        return new PollSchedule(dev.kiebot.core.conversation.ShopSettings.defaults().deadlines());
    }

    public PollSchedule withDeadline(Category category, Duration deadline) {
        Map<Category, Duration> m = new EnumMap<>(deadlines);
        m.put(category, deadline);
        return new PollSchedule(m);
    }

    public Duration deadline(Category category) {
        return deadlines.get(category);
    }

    public Instant deadlineAt(Category category, Instant submittedAt) {
        return submittedAt.plus(deadline(category));
    }

    public boolean expired(Category category, Duration elapsed) {
        return elapsed.compareTo(deadline(category)) >= 0;
    }

    /**
     * The pause before the next status read.
     *
     * @param polls   status reads done so far (0 = none yet: the first read comes after 2 s)
     * @param elapsed time since the task was submitted
     * @return 2 s first, then 3 s while under 30 s; 5 s rising linearly to 10 s until 2 min; 15 s rising
     *         linearly to 30 s at 10 min, then 30 s
     */
    public static Duration delayAfter(int polls, Duration elapsed) {
        long ms = Math.max(0, elapsed.toMillis());
        if (ms < FAST_PHASE.toMillis()) {
            return polls <= 0 ? Duration.ofSeconds(2) : Duration.ofSeconds(3);
        }
        if (ms < MEDIUM_PHASE.toMillis()) {
            return Duration.ofMillis(ramp(ms, FAST_PHASE.toMillis(), MEDIUM_PHASE.toMillis(), 5_000, 10_000));
        }
        return Duration.ofMillis(ramp(Math.min(ms, SLOW_RAMP_END.toMillis()), MEDIUM_PHASE.toMillis(),
                SLOW_RAMP_END.toMillis(), 15_000, 30_000));
    }

    private static long ramp(long x, long x0, long x1, long y0, long y1) {
        return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
    }

    /**
     * The pause before the next read of a task of this category, never past its deadline; empty
     * once the deadline has passed (the job should fail and its hold be voided).
     */
    public Optional<Duration> nextDelay(Category category, int polls, Duration elapsed) {
        if (expired(category, elapsed)) {
            return Optional.empty();
        }
        Duration left = deadline(category).minus(elapsed);
        Duration d = delayAfter(polls, elapsed);
        return Optional.of(d.compareTo(left) > 0 ? left : d);
    }

    @Override
    public String toString() {
        return "PollSchedule" + deadlines;
    }
}
