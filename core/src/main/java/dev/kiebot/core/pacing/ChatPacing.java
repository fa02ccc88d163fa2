package dev.kiebot.core.pacing;

import java.time.Duration;
import java.time.Instant;

/**
 * How fast one chat may receive messages: one every {@code interval} on average, with bursts of up to
 * {@code burst} (Telegram allows about one a second per chat; a short burst is fine). The sender keeps a
 * {@link TokenBucket} per chat and asks {@link #afterSending} when the chat may get its next message.
 */
public record ChatPacing(Duration interval, int burst) {

    public ChatPacing {
        if (interval.isNegative() || burst < 1) {
            throw new IllegalArgumentException("ChatPacing: interval must be zero (no pace) or more and burst at least "
                    + "1, e.g. ChatPacing.telegramDefaults(); were " + interval + ", " + burst);
        }
    }

    /** Telegram's advice: about one message a second per chat; three may go at once. */
    public static ChatPacing telegramDefaults() {
        return new ChatPacing(Duration.ofSeconds(1), 3);
    }

    private double perSecond() {
        return interval.isZero() ? Double.POSITIVE_INFINITY : 1e9 / interval.toNanos();
    }

    public TokenBucket fresh(Instant at) {
        return TokenBucket.full(burst, at);
    }

    /** After one message at {@code at}: the bucket to keep and when the chat's next message may go. */
    public Paced afterSending(TokenBucket bucket, Instant at) {
        if (interval.isZero()) {
            return new Paced(fresh(at), TokenBucket.stored(at));
        }
        TokenBucket now = bucket.at(at, perSecond(), burst);
        TokenBucket next = now.hasToken() ? now.take() : now;
        return new Paced(next, now.refilledAt().plus(next.untilToken(perSecond())));
    }

    /** The bucket after a message, and the earliest moment of the chat's next one. */
    public record Paced(TokenBucket bucket, Instant dueAt) {
    }
}
