package dev.kiebot.runtime.loops;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long an idle worker sleeps, with no wake-up, before it looks at the database on its own. Work is found by
 * wake-ups (committed here, or announced by another instance's NOTIFY); this poll is only the net under them.
 *
 * <p>Every idle look of an instance falls on one beat: the instants {@code origin + k × period} of this process,
 * each look within the first {@link #LOOK_WINDOW_PARTS}th of a period after its beat (a second of the default
 * poll). So an idle instance uses the database during about a second a minute, and the pooled connection those
 * looks opened can be let go for the rest of the minute (the background work does it two look windows after each
 * beat): looks at the instants each loop happened to go idle kept one PostgreSQL backend of 15-19 MB resident for
 * good.
 *
 * @param period the longest sleep of an idle worker, and the beat's period
 */
public record SafetyPoll(Duration period) {
    /**
     * The poll on any database. Work is found by wake-ups: this instance's writes wake its workers in process, and
     * on a shared database the listener hears the other instances (it wakes everyone when it listens again, and its
     * ping finds a connection that died without a word). So the poll only guards against a lost wake-up — a bug, an
     * operator's psql. A shared database kept 5 s while an end-to-end test met a lost wake-up about once in two
     * runs at 60 s; that loss was an idle sender asking "what is due?" and "how long until the next?" at two
     * instants (fixed: one instant for both).
     */
    public static final SafetyPoll DEFAULT = new SafetyPoll(Duration.ofSeconds(60));
    /**
     * The looks of one beat are spread over this part of a period after it, at random: looks at one instant would
     * each need a connection at once, and the pool would open a second PostgreSQL backend for the one finding the
     * first busy. A look takes a millisecond or two, so a second holds the five loops' looks one after another.
     */
    static final int LOOK_WINDOW_PARTS = 60;
    /** The beat's origin: the same for every loop of this process, on the clock the loops' sleeps are timed by. */
    private static final long ORIGIN_NANOS = System.nanoTime();

    public SafetyPoll {
        Objects.requireNonNull(period, "period");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("a safety poll must be positive, got " + period);
        }
    }

    /** How long an idle worker sleeps when work falls {@code due}: until just after it, at most the poll. */
    public Duration until(Instant due, Instant now) {
        return until(Duration.between(now, due));
    }

    /** The same, for work due in {@code untilDue}. */
    public Duration until(Duration untilDue) {
        Duration wait = untilDue.plusMillis(1);
        return wait.compareTo(period) < 0 ? wait : period;
    }

    /**
     * A rest of {@code wait}; when it is the whole safety poll, until this worker's look at the next beat instead.
     */
    public Duration rest(Duration wait) {
        return wait.compareTo(period) < 0 ? wait : untilLook(System.nanoTime(), randomLookOffsetNanos());
    }

    /** From {@code nowNanos} until the first beat after it, plus {@code offsetNanos} (a look's place in its window). */
    Duration untilLook(long nowNanos, long offsetNanos) {
        return untilGrid(nowNanos, period.toNanos(), offsetNanos);
    }

    /**
     * From now until a periodic task of period {@code every} first runs, {@code afterBeat} past an instant of the
     * beat's grid: the next beat for a task of a beat or longer, the next of the beat's {@code every}-long steps for
     * a shorter one (which should divide the beat, as 5 s does a minute, for one of its runs to fall on each beat).
     */
    public Duration untilFirstRun(Duration every, Duration afterBeat) {
        return untilFirstRun(System.nanoTime(), every, afterBeat);
    }

    Duration untilFirstRun(long nowNanos, Duration every, Duration afterBeat) {
        return untilGrid(nowNanos, Math.min(every.toNanos(), period.toNanos()), afterBeat.toNanos());
    }

    private static Duration untilGrid(long nowNanos, long stepNanos, long offsetNanos) {
        long next = ORIGIN_NANOS + (Math.floorDiv(nowNanos - ORIGIN_NANOS, stepNanos) + 1) * stepNanos;
        return Duration.ofNanos(next - nowNanos + offsetNanos);
    }

    /** The number of the beat {@code nowNanos} falls in (0 from this process's start). */
    public long beat(long nowNanos) {
        return Math.floorDiv(nowNanos - ORIGIN_NANOS, period.toNanos());
    }

    /** The part of a period after each beat within which the idle looks fall. */
    public Duration lookWindow() {
        return period.dividedBy(LOOK_WINDOW_PARTS);
    }

    private long randomLookOffsetNanos() {
        return ThreadLocalRandom.current().nextLong(lookWindow().toNanos() + 1);
    }
}
