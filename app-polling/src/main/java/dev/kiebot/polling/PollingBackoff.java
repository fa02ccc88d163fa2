package dev.kiebot.polling;

import java.time.Duration;

/**
 * The polling loop's pauses after a round that got no updates recorded (Telegram or the database failed, the token
 * was refused, another poller holds getUpdates): from {@code first}, doubling, at most {@code max}.
 *
 * @param first the first pause
 * @param max   the longest pause (how soon a token put right is noticed)
 */
record PollingBackoff(Duration first, Duration max) {
    /** Telegram's pace: 1, 2, 4, 8 … 30 s. */
    static final PollingBackoff TELEGRAM = new PollingBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    PollingBackoff {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("PollingBackoff: first > 0, max >= first; got " + first + ", " + max);
        }
    }

    /** The pause after {@code pause}: doubled, at most {@link #max()}. */
    Duration after(Duration pause) {
        Duration next = pause.multipliedBy(2);
        return next.compareTo(max) > 0 ? max : next;
    }

    /** The same sequence {@code divisor} times faster: tests that go through failures need not wait Telegram's pace. */
    PollingBackoff faster(int divisor) {
        return new PollingBackoff(first.dividedBy(divisor), max.dividedBy(divisor));
    }
}
