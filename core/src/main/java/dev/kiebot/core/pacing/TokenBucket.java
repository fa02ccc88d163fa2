package dev.kiebot.core.pacing;

import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket's state: {@code tokens} as of {@code refilledAt}. Refilled at {@code perSecond} tokens a second
 * up to {@code capacity}; an action takes one whole token. Pure values: stores keep them, rules compute the
 * next one. Times are kept to the microsecond, as PostgreSQL stores them.
 *
 * <p>For a store: a bucket reaches yours through {@code PendingReplies} (a chat's pacing) and {@code Admissions}
 * ({@code AdmissionState}). Keep its two components as given and make it again with the constructor; the methods are
 * the rules {@link ChatPacing} and the inbound limit ({@code AdmissionPolicy}, in {@code intake}, hence public)
 * apply to it: core's to call, not yours.
 *
 * @param tokens     the tokens left at {@code refilledAt}, fractional, from 0 up to the rule's capacity
 * @param refilledAt when the tokens were last counted (the pacing clock's instant)
 */
public record TokenBucket(double tokens, Instant refilledAt) {
    /** Tokens are fractional; a whole token may show as 0.9999999 after many refills. */
    private static final double ROUNDING = 1e-6;

    /**
     * A bucket with every token, as a chat or user first seen gets.
     *
     * @param capacity the most tokens
     * @param at       when it is made
     * @return a full bucket
     */
    public static TokenBucket full(double capacity, Instant at) {
        return new TokenBucket(capacity, stored(at));
    }

    /**
     * Kept to the microsecond: a stored time rounded up past the moment it was taken would run ahead of now.
     *
     * @param at an instant
     * @return it, truncated to the microsecond
     */
    public static Instant stored(Instant at) {
        return at.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    /**
     * The bucket at {@code at}, after refilling since {@link #refilledAt}.
     *
     * @param at        the instant to refill to
     * @param perSecond tokens added a second
     * @param capacity  the most tokens
     * @return the refilled bucket
     */
    public TokenBucket at(Instant at, double perSecond, double capacity) {
        Instant now = stored(at);
        double seconds = Math.max(0, Duration.between(refilledAt, now).toNanos() / 1e9);
        return new TokenBucket(Math.min(capacity, tokens + seconds * perSecond), now);
    }

    /**
     * Whether a whole token is there (allowing for the rounding of fractional tokens).
     *
     * @return true with at least one token
     */
    public boolean hasToken() {
        return tokens >= 1 - ROUNDING;
    }

    /**
     * Takes one token (the caller checked {@link #hasToken()}).
     *
     * @return the bucket with one token less
     */
    public TokenBucket take() {
        return new TokenBucket(tokens - 1, refilledAt);
    }

    /**
     * How long until a whole token is there again, at {@code perSecond}; zero when there is one.
     *
     * @param perSecond tokens added a second
     * @return the wait
     */
    public Duration untilToken(double perSecond) {
        if (hasToken() || perSecond <= 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) Math.ceil((1 - tokens) / perSecond * 1e9));
    }
}
