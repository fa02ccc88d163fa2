package dev.kiebot.core.intake;

import dev.kiebot.core.pacing.TokenBucket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The per-user inbound limit (a token bucket: {@code perMinute} actions a minute on average, bursts up to
 * {@code burst}) and the repeated-press window. The rule lives here, once; stores only keep the
 * {@link AdmissionState} and apply {@link #decide} atomically per user.
 *
 * @param perMinute    refill rate; 0 turns the limit off (admins, or RATE_LIMIT_PER_MINUTE=0)
 * @param burst        bucket size, at least 1
 * @param repeatWindow a press of the same button data within this time after it was admitted is answered and
 *                     ignored; zero turns it off
 * @param repeatsKept  how many admitted presses (of different data) are remembered for that: 1, the last one, for a
 *                     user; a few for a group, where albums sent at once arrive with their parts interleaved (at most
 *                     {@value #MOST_REPEATS_KEPT})
 */
public record AdmissionPolicy(int perMinute, int burst, Duration repeatWindow, int repeatsKept) {
    /** The most presses a policy remembers: the store keeps them in one text with the state. */
    public static final int MOST_REPEATS_KEPT = 16;

    /**
     * Checks the values.
     *
     * @param perMinute    0 (no limit) or more
     * @param burst        at least 1
     * @param repeatWindow zero (off) or more
     * @param repeatsKept  1 to {@value #MOST_REPEATS_KEPT}
     * @throws IllegalArgumentException for a value out of range
     */
    public AdmissionPolicy {
        if (perMinute < 0 || burst < 1 || repeatWindow.isNegative() || repeatsKept < 1
                || repeatsKept > MOST_REPEATS_KEPT) {
            throw new IllegalArgumentException("AdmissionPolicy: perMinute must be 0 (no limit) or more, burst at "
                    + "least 1, repeatWindow zero (off) or more and repeatsKept 1 to " + MOST_REPEATS_KEPT
                    + ", e.g. AdmissionPolicy.defaults(); were " + perMinute + ", " + burst + ", " + repeatWindow + ", "
                    + repeatsKept);
        }
    }

    /**
     * A policy that remembers the last admitted press alone (a user's).
     *
     * @param perMinute    0 (no limit) or more
     * @param burst        at least 1
     * @param repeatWindow zero (off) or more
     * @throws IllegalArgumentException for a value out of range
     */
    public AdmissionPolicy(int perMinute, int burst, Duration repeatWindow) {
        this(perMinute, burst, repeatWindow, 1);
    }

    /**
     * 20 a minute, bursts of 30, repeated presses within 2 s ignored (the earlier bots' defaults).
     *
     * @return the default policy
     */
    public static AdmissionPolicy defaults() {
        return new AdmissionPolicy(20, 30, Duration.ofSeconds(2));
    }

    /**
     * No limit and no repeated-press rule (RATE_LIMIT_PER_MINUTE=0, CALLBACK_DEDUP_MS=0).
     *
     * @return a policy that admits everything
     */
    public static AdmissionPolicy off() {
        return new AdmissionPolicy(0, 1, Duration.ZERO);
    }

    /**
     * The same repeat window without a rate limit: admins are never throttled.
     *
     * @return a new policy
     */
    public AdmissionPolicy unlimited() {
        return new AdmissionPolicy(0, burst, repeatWindow, repeatsKept);
    }

    /**
     * A user never seen before starts with a full bucket.
     *
     * @param at the shop's clock's instant
     * @return the state a store keeps for a user it has none for
     */
    public AdmissionState fresh(Instant at) {
        TokenBucket full = TokenBucket.full(burst, at);
        return new AdmissionState(full, full.refilledAt(), Optional.empty(), full.refilledAt());
    }

    private double perSecond() {
        return perMinute / 60.0;
    }

    /**
     * The next state and the decision for one action at {@code at}.
     *
     * @param state   the user's state as stored
     * @param at      the shop's clock's instant
     * @param pressed the button data when the action is a button press
     * @return the decision, and the state to store in its place
     */
    public Decision decide(AdmissionState state, Instant at, Optional<String> pressed) {
        TokenBucket bucket = state.bucket().at(at, perSecond(), burst);
        Instant now = bucket.refilledAt();
        // the presses kept are read only for a press: a message or a command, most of a burst, parses none
        List<AdmissionState.Press> kept = pressed.isPresent() ? keptAt(state, now) : List.of();
        boolean repeat = pressed.isPresent() && kept.stream()
                .anyMatch(p -> p.data().equals(AdmissionState.keptForm(pressed.get(), repeatsKept)));
        if (repeat) {
            return new Decision(state.with(bucket), new Admission.RepeatedPress());
        }
        if (perMinute > 0 && !bucket.hasToken()) {
            // whole seconds, rounded up: what the user is told to wait
            Duration wait = Duration.ofSeconds((bucket.untilToken(perSecond()).toMillis() + 999) / 1000);
            boolean tell = !now.isBefore(state.quietUntil());
            AdmissionState next = state.with(bucket);
            return new Decision(tell ? next.quietUntil(now.plus(wait)) : next, new Admission.TooFast(wait, tell));
        }
        AdmissionState next = state.with(perMinute > 0 ? bucket.take() : bucket);
        return new Decision(pressed.isPresent() ? next.pressed(pressed.get(), now, kept, repeatsKept) : next,
                new Admission.Admitted());
    }

    /** The presses {@code state} remembers that are still within the repeat window at {@code now}, newest first. */
    private List<AdmissionState.Press> keptAt(AdmissionState state, Instant now) {
        return state.presses(repeatsKept).stream()
                .filter(p -> Duration.between(p.at(), now).compareTo(repeatWindow) < 0).toList();
    }

    /**
     * What {@link #decide} concluded, and the state to store.
     *
     * @param state     the user's state after the action, to store whatever the decision
     * @param admission whether the action may act
     */
    public record Decision(AdmissionState state, Admission admission) {
    }
}
