package dev.kiebot.core.pacing;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How fast one chat may receive messages: one every {@code interval} on average, with bursts of up to
 * {@code burst} (Telegram allows about one a second per chat; a short burst is fine). The sender keeps a
 * {@link TokenBucket} per chat and asks {@link #afterSending} when the chat may get its next message; a chat action
 * is not a message and takes no turn ({@link #afterAction}).
 *
 * @param interval the average time between two messages to one chat; zero: no pace
 * @param burst    how many may go at once, at least 1
 */
public record ChatPacing(Duration interval, int burst) {
    /**
     * The longest {@code interval}, so the longest a chat ever waits for its next turn: an outbox may take a due time
     * further ahead than this for one set before the machine's clock stepped back ({@code PendingReplies.append}).
     */
    public static final Duration INTERVAL_MAX = Duration.ofMinutes(1);

    /**
     * Checks the values.
     *
     * @param interval zero or more, at most {@link #INTERVAL_MAX}
     * @param burst    at least 1
     * @throws IllegalArgumentException for a value out of range
     * @throws NullPointerException     for a null interval, saying what to give
     */
    public ChatPacing {
        Objects.requireNonNull(interval, "ChatPacing: interval, the average time between two messages to one "
                + "chat (Duration.ZERO for no pace), or ChatPacing.telegramDefaults()");
        if (interval.isNegative() || interval.compareTo(INTERVAL_MAX) > 0 || burst < 1) {
            throw new IllegalArgumentException("ChatPacing: interval must be zero (no pace) to " + INTERVAL_MAX
                    + " and burst at least 1, e.g. ChatPacing.telegramDefaults(); were " + interval + ", " + burst);
        }
    }

    /**
     * Telegram's advice: about one message a second per chat; three may go at once.
     *
     * @return one a second, bursts of 3
     */
    public static ChatPacing telegramDefaults() {
        return new ChatPacing(Duration.ofSeconds(1), 3);
    }

    private double perSecond() {
        return interval.isZero() ? Double.POSITIVE_INFINITY : 1e9 / interval.toNanos();
    }

    /**
     * A chat's bucket before its first message.
     *
     * @param at the pacing clock's instant
     * @return a full bucket
     */
    public TokenBucket fresh(Instant at) {
        return TokenBucket.full(burst, at);
    }

    /**
     * After one message at {@code at}: the bucket to keep and when the chat's next message may go.
     *
     * @param bucket the chat's bucket as kept
     * @param at     the pacing clock's instant of the send
     * @return the bucket to keep and the chat's next due time
     */
    public Paced afterSending(TokenBucket bucket, Instant at) {
        if (interval.isZero()) {
            return new Paced(fresh(at), TokenBucket.stored(at));
        }
        TokenBucket now = bucket.at(at, perSecond(), burst);
        TokenBucket next = now.hasToken() ? now.take() : now;
        return new Paced(next, now.refilledAt().plus(next.untilToken(perSecond())));
    }

    /**
     * After a chat action at {@code at} («uploading a photo…»): it takes no token, so the bucket and the chat's next
     * turn are what they were. Telegram limits the messages a chat receives; an action is not one, and taking a turn
     * it cost every finished image a turn more (the action before its file), and the user's next answer waited a
     * second more behind it. It still waits for the bot's turn ({@link BotPacing}) and goes in its chat's
     * order.
     *
     * @param bucket the chat's bucket as kept
     * @param at     the pacing clock's instant of the action
     * @return the bucket to keep (refilled to {@code at}) and the chat's next due time, never later than before
     */
    public Paced afterAction(TokenBucket bucket, Instant at) {
        if (interval.isZero()) {
            return new Paced(fresh(at), TokenBucket.stored(at));
        }
        TokenBucket now = bucket.at(at, perSecond(), burst);
        return new Paced(now, now.refilledAt().plus(now.untilToken(perSecond())));
    }

    /**
     * The bucket after a message, and the earliest moment of the chat's next one.
     *
     * @param bucket the chat's bucket to keep
     * @param dueAt  when its next message may go
     */
    public record Paced(TokenBucket bucket, Instant dueAt) {
    }
}
