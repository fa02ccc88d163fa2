package dev.kiebot.core.intake;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The per-user inbound limit (a token bucket: {@code perMinute} actions a minute on average, bursts up to
 * {@code burst}) and the repeated-press window. The rule lives here, once; stores only keep the
 * {@link AdmissionState} and apply {@link #decide} atomically per user.
 *
 * @param perMinute    refill rate; 0 turns the limit off (admins, or RATE_LIMIT_PER_MINUTE=0)
 * @param burst        bucket size, at least 1
 * @param repeatWindow a press of the same button data within this time after the last admitted one is
 *                     answered and ignored; zero turns it off
 */
public record AdmissionPolicy(int perMinute, int burst, Duration repeatWindow) {
    /** Tokens are fractional; a whole token may show as 0.9999999 after many refills. */
    private static final double ROUNDING = 1e-6;

    public AdmissionPolicy {
        if (perMinute < 0 || burst < 1 || repeatWindow.isNegative()) {
            throw new IllegalArgumentException("perMinute >= 0, burst >= 1, repeatWindow >= 0");
        }
    }

    /** 20 a minute, bursts of 30, repeated presses within 2 s ignored (the earlier bots' defaults). */
    public static AdmissionPolicy defaults() {
        return new AdmissionPolicy(20, 30, Duration.ofSeconds(2));
    }

    /** No limit and no repeated-press rule (RATE_LIMIT_PER_MINUTE=0, CALLBACK_DEDUP_MS=0). */
    public static AdmissionPolicy off() {
        return new AdmissionPolicy(0, 1, Duration.ZERO);
    }

    /** The same repeat window without a rate limit: admins are never throttled. */
    public AdmissionPolicy unlimited() {
        return new AdmissionPolicy(0, burst, repeatWindow);
    }

    /** A user never seen before starts with a full bucket. */
    public AdmissionState fresh(Instant at) {
        Instant now = stored(at);
        return new AdmissionState(burst, now, now, Optional.empty(), now);
    }

    /**
     * Times are kept to the microsecond, as PostgreSQL stores them: a stored time rounded up past the
     * moment it was taken would make "now" look earlier than itself.
     */
    private static Instant stored(Instant at) {
        return at.truncatedTo(ChronoUnit.MICROS);
    }

    /** The next state and the decision for one action at {@code at}. */
    public Decision decide(AdmissionState state, Instant at, Optional<String> pressed) {
        Instant now = stored(at);
        double tokens = refill(state, now);
        boolean repeat = pressed.isPresent() && pressed.equals(state.lastPress())
                && Duration.between(state.lastPressAt(), now).compareTo(repeatWindow) < 0;
        if (repeat) {
            return new Decision(state.withTokens(tokens, now), new Admission.RepeatedPress());
        }
        if (perMinute > 0 && tokens < 1 - ROUNDING) {
            Duration wait = Duration.ofSeconds((long) Math.ceil((1 - tokens) * 60.0 / perMinute - ROUNDING));
            boolean tell = !now.isBefore(state.quietUntil());
            AdmissionState next = state.withTokens(tokens, now);
            return new Decision(tell ? next.quietUntil(now.plus(wait)) : next, new Admission.TooFast(wait, tell));
        }
        AdmissionState next = state.withTokens(perMinute > 0 ? tokens - 1 : tokens, now);
        return new Decision(pressed.isPresent() ? next.pressed(pressed.get(), now) : next, new Admission.Admitted());
    }

    private double refill(AdmissionState state, Instant now) {
        double seconds = Math.max(0, Duration.between(state.refilledAt(), now).toMillis() / 1000.0);
        return Math.min(burst, state.tokens() + seconds * perMinute / 60.0);
    }

    /** What {@link #decide} concluded, and the state to store. */
    public record Decision(AdmissionState state, Admission admission) {
    }
}
