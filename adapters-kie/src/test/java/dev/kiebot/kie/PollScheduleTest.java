package dev.kiebot.kie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.catalog.Category;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PollScheduleTest {
    private static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    @Test
    void firstThirtySecondsEveryTwoToThreeSeconds() {
        assertThat(PollSchedule.delayAfter(0, Duration.ZERO)).isEqualTo(s(2));
        assertThat(PollSchedule.delayAfter(1, s(2))).isEqualTo(s(3));
        assertThat(PollSchedule.delayAfter(9, Duration.ofMillis(29_999))).isEqualTo(s(3));
    }

    @Test
    void untilTwoMinutesFiveToTenSeconds() {
        assertThat(PollSchedule.delayAfter(10, s(30))).isEqualTo(s(5));
        assertThat(PollSchedule.delayAfter(15, s(75))).isEqualTo(Duration.ofMillis(7_500));
        assertThat(PollSchedule.delayAfter(20, Duration.ofMillis(119_999))).isBetween(s(9), s(10));
    }

    @Test
    void afterTwoMinutesFifteenToThirtySeconds() {
        assertThat(PollSchedule.delayAfter(25, s(120))).isEqualTo(s(15));
        assertThat(PollSchedule.delayAfter(40, s(360))).isEqualTo(Duration.ofMillis(22_500));
        assertThat(PollSchedule.delayAfter(60, s(600))).isEqualTo(s(30));
        assertThat(PollSchedule.delayAfter(99, Duration.ofHours(2))).isEqualTo(s(30));
    }

    @Test
    void delaysNeverShrinkAndStayInTheDocumentedBands() {
        Duration previous = Duration.ZERO;
        for (long ms = 0; ms <= 40 * 60_000; ms += 500) {
            Duration d = PollSchedule.delayAfter(1, Duration.ofMillis(ms));
            assertThat(d).isGreaterThanOrEqualTo(previous);
            if (ms < 30_000) {
                assertThat(d).isBetween(s(2), s(3));
            } else if (ms < 120_000) {
                assertThat(d).isBetween(s(5), s(10));
            } else {
                assertThat(d).isBetween(s(15), s(30));
            }
            previous = d;
        }
    }

    @Test
    void pollsAFullImageDeadlineAtAReasonableRate() {
        PollSchedule schedule = PollSchedule.defaults();
        Duration elapsed = Duration.ZERO;
        int polls = 0;
        Optional<Duration> next;
        while ((next = schedule.nextDelay(Category.IMAGE, polls, elapsed)).isPresent()) {
            elapsed = elapsed.plus(next.get());
            polls++;
            assertThat(polls).isLessThan(200);
        }
        assertThat(elapsed).isEqualTo(Duration.ofMinutes(10));
        assertThat(polls).isBetween(30, 60);
    }

    @Test
    void deadlinesPerCategory() {
        PollSchedule d = PollSchedule.defaults();
        assertThat(d.deadline(Category.IMAGE)).isEqualTo(Duration.ofMinutes(10));
        assertThat(d.deadline(Category.VIDEO)).isEqualTo(Duration.ofMinutes(30));
        assertThat(d.deadline(Category.AUDIO)).isEqualTo(Duration.ofMinutes(30));
        assertThat(d.deadline(Category.MUSIC)).isEqualTo(Duration.ofMinutes(30));
        assertThat(d.expired(Category.IMAGE, Duration.ofMinutes(10))).isTrue();
        assertThat(d.expired(Category.VIDEO, Duration.ofMinutes(10))).isFalse();
        assertThat(d.deadlineAt(Category.IMAGE, Instant.parse("2026-01-01T00:00:00Z")))
                .isEqualTo(Instant.parse("2026-01-01T00:10:00Z"));
        PollSchedule custom = d.withDeadline(Category.VIDEO, Duration.ofMinutes(45));
        assertThat(custom.deadline(Category.VIDEO)).isEqualTo(Duration.ofMinutes(45));
        assertThat(d.deadline(Category.VIDEO)).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void nextDelayNeverOvershootsTheDeadline() {
        PollSchedule d = PollSchedule.defaults();
        assertThat(d.nextDelay(Category.IMAGE, 50, Duration.ofMinutes(10).minusSeconds(4))).contains(s(4));
        assertThat(d.nextDelay(Category.IMAGE, 50, Duration.ofMinutes(11))).isEmpty();
    }

    @Test
    void everyCategoryNeedsAPositiveDeadline() {
        assertThatThrownBy(() -> new PollSchedule(Map.of(Category.IMAGE, s(1))))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> PollSchedule.defaults().withDeadline(Category.IMAGE, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
