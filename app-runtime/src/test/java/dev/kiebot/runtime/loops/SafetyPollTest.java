package dev.kiebot.runtime.loops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Idle looks fall on one beat: loops that went idle at any instant look within the first second after the same
 * beat, so the rest of the minute the instance leaves the database alone.
 */
class SafetyPollTest {
    private final SafetyPoll poll = new SafetyPoll(Duration.ofSeconds(60));

    @Test
    void loopsIdleSinceAnyInstantOfABeatLookAtTheStartOfTheNext() {
        long now = System.nanoTime();
        long beatStart = now + poll.untilLook(now, 0).toNanos();
        long periodNanos = poll.period().toNanos();
        long offset = poll.lookWindow().toNanos() / 2;
        for (int i = 0; i < 200; i++) {
            long idleSince = beatStart + ThreadLocalRandom.current().nextLong(periodNanos);
            assertThat(idleSince + poll.untilLook(idleSince, offset).toNanos())
                    .as("idle since %d ns into the beat", idleSince - beatStart)
                    .isEqualTo(beatStart + periodNanos + offset);
        }
    }

    @Test
    void aWholeRestEndsWithinTheLookWindowAfterTheNextBeat() {
        for (int i = 0; i < 200; i++) {
            long before = System.nanoTime();
            Duration rest = poll.rest(poll.period());
            long after = System.nanoTime();
            long beatStart = before + poll.untilLook(before, 0).toNanos();
            assertThat(rest).isPositive().isLessThanOrEqualTo(poll.period().plus(poll.lookWindow()));
            // rest() reads the clock itself, at an instant between before and after: its rest is shorter by as much
            // as this thread waited in between (a fixed millisecond allowed for that failed whenever the thread was
            // descheduled longer there and the look's random place fell early in its window)
            assertThat(before + rest.toNanos()).isBetween(beatStart - (after - before),
                    beatStart + poll.lookWindow().toNanos());
        }
    }

    @Test
    void aLooksPlaceInTheWindowIsItsOffsetFromTheBeat() {
        long now = System.nanoTime();
        long offset = poll.lookWindow().toNanos() / 3;
        long look = now + poll.untilLook(now, offset).toNanos();
        long beatStart = look - offset;
        assertThat(poll.beat(beatStart)).isEqualTo(poll.beat(now) + 1);
        assertThat(poll.beat(beatStart - 1)).isEqualTo(poll.beat(now));
        assertThat(poll.lookWindow()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aPeriodicTaskStartsOnTheBeatsGridSoonAndOneOfItsRunsFallsOnEachBeat() {
        long now = System.nanoTime();
        long beatStart = now + poll.untilLook(now, 0).toNanos();
        Duration tick = Duration.ofSeconds(5);
        long first = now + poll.untilFirstRun(now, tick, Duration.ZERO).toNanos();
        assertThat(first - now).as("a 5 s task runs within 5 s of its start, not at the next beat")
                .isPositive().isLessThanOrEqualTo(tick.toNanos());
        assertThat((beatStart - first) % tick.toNanos()).as("a run falls on the beat").isZero();
        long hourly = now + poll.untilFirstRun(now, Duration.ofHours(1), Duration.ofMillis(300)).toNanos();
        assertThat(hourly).as("a task of a beat or longer starts at the next beat").isEqualTo(beatStart + 300_000_000L);
    }

    @Test
    void workFallingDueIsAwaitedExactly() {
        assertThat(poll.rest(Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
        assertThat(poll.rest(poll.until(Duration.ofSeconds(59)))).isEqualTo(Duration.ofMillis(59_001));
    }
}
