package dev.kiebot.kie;

import dev.kiebot.core.jobs.ErrorKind;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Behaviour of the offline {@link StubProvider}.
 *
 * @param delay           time from submit until a task succeeds (Running until then)
 * @param failRate        share of tasks (0..1) that fail, drawn from a {@code Random(seed)}; when
 *                        {@code forcedError} is set and failRate is 0, every task fails
 * @param seed            seed of the failure draw (deterministic runs)
 * @param forcedError     the kind injected failures carry (default GENERATION_FAILED)
 * @param failAt          whether injected failures are thrown by {@code submit} or reported by {@code status}
 * @param firstTaskNumber the counter of the first {@code stub-<n>} task id
 * @param clock           time source
 */
public record StubConfig(Duration delay, double failRate, long seed, Optional<ErrorKind> forcedError, FailAt failAt,
                         long firstTaskNumber, Clock clock) {

    public enum FailAt { SUBMIT, STATUS }

    public StubConfig {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("KIE_STUB_DELAY_MS must be >= 0");
        }
        if (!(failRate >= 0.0 && failRate <= 1.0)) {
            throw new IllegalArgumentException("KIE_STUB_FAIL_RATE must be between 0 and 1");
        }
        Objects.requireNonNull(forcedError, "forcedError");
        Objects.requireNonNull(failAt, "failAt");
        Objects.requireNonNull(clock, "clock");
    }

    /** 3 s delay, no failures, seed 42, ids from {@code stub-1}, system clock. */
    public static StubConfig defaults() {
        return new StubConfig(Duration.ofSeconds(3), 0.0, 42L, Optional.empty(), FailAt.STATUS, 1, Clock.systemUTC());
    }

    public StubConfig withDelay(Duration d) {
        return new StubConfig(d, failRate, seed, forcedError, failAt, firstTaskNumber, clock);
    }

    public StubConfig withFailures(double rate, Optional<ErrorKind> kind, FailAt at) {
        return new StubConfig(delay, rate, seed, kind, at, firstTaskNumber, clock);
    }

    public StubConfig withClock(Clock c) {
        return new StubConfig(delay, failRate, seed, forcedError, failAt, firstTaskNumber, c);
    }

    public StubConfig withSeed(long s) {
        return new StubConfig(delay, failRate, s, forcedError, failAt, firstTaskNumber, clock);
    }

    /** Every task fails when a kind is forced without a rate. */
    public double effectiveFailRate() {
        return forcedError.isPresent() && failRate == 0.0 ? 1.0 : failRate;
    }

    /**
     * The error a forced failure carries: a Kie code such as {@code 402} (mapped like Kie's answers) or an
     * {@link ErrorKind} name. Throws {@link IllegalArgumentException} naming {@code KIE_STUB_FAIL_CODE} otherwise.
     */
    public static ErrorKind errorKindOf(String s) {
        int code = KieErrors.parseCode(s);
        if (code > 0) {
            return KieErrors.kindFor(code);
        }
        try {
            return ErrorKind.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("KIE_STUB_FAIL_CODE must be a Kie code (e.g. 402) or an error kind name");
        }
    }
}
