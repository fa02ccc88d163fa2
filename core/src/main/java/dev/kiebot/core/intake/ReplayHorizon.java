package dev.kiebot.core.intake;

import dev.kiebot.core.shop.Upkeep;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How old, by its own date, an update may be when it arrives: one dated earlier is refused at the door, not recorded
 * ({@link Inbox#record(long, long, String, Instant)}, and kiebot's runtime's {@code UpdateInbox}, webhook or polling).
 *
 * <p>The store forgets a handled update's id {@link Upkeep#UPDATE_RETENTION} after it was recorded, and a captured body
 * posted again after that (with the webhook's secret: a leaked proxy log, an old operator's script) was new again and
 * handled a second time. It was recorded at its date at the earliest: so an update whose id may be forgotten is dated
 * a retention ago at least, and is refused; the day left is for the platform's clock and this machine's to disagree.
 * Telegram delivers nothing older than a day (it keeps an update 24 hours at most), so none of its own comes near
 * this. Not the highest id seen: Telegram's ids turn random after a week without updates. A kind without a date of
 * its own (a button press, a pre-checkout) cannot be told old by it: README's Security section says what makes each
 * single-use.
 */
public final class ReplayHorizon {
    /** The most an update may be dated before it arrives: {@link Upkeep#UPDATE_RETENTION} less a day (6 days). */
    public static final Duration AGE = Upkeep.UPDATE_RETENTION.minus(Duration.ofDays(1));

    private ReplayHorizon() {
    }

    /**
     * Whether an update dated {@code sentAt} that arrives at {@code now} is refused: dated before {@code now} less
     * {@link #AGE}. One dated exactly at the horizon, or later, is taken.
     *
     * @param sentAt the update's own date (Telegram: a message's {@code date}, an edit's {@code edit_date}, a
     *               membership change's {@code date})
     * @param now    the shop's clock's instant, when it arrives
     * @return true when it is too old to be recorded
     */
    public static boolean refuses(Instant sentAt, Instant now) {
        Objects.requireNonNull(sentAt, "ReplayHorizon.refuses: sentAt, the update's own date, never null (a kind "
                + "without one is recorded without this check)");
        return sentAt.isBefore(now.minus(AGE));
    }
}
