package dev.kiebot.runtime.metrics;

import dev.kiebot.core.intake.Admission;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.intake.Admissions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Optional;

/**
 * The per-user inbound limit's store, counted for /metrics: users who hit the limit (once per window: the first
 * refusal, the one the user is told about) and every action refused.
 */
public final class MeteredAdmissions implements Admissions {
    private final Admissions delegate;
    private final Counter usersLimited;
    private final Counter actionsRefused;
    private final Counter repeatedPresses;

    public MeteredAdmissions(Admissions delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.usersLimited = Counter.builder("kiebot.rate.limited.users").register(registry);
        this.actionsRefused = Counter.builder("kiebot.rate.limited.actions").tag("reason", "too_fast")
                .register(registry);
        this.repeatedPresses = Counter.builder("kiebot.rate.limited.actions").tag("reason", "repeated_press")
                .register(registry);
    }

    @Override
    public Admission admit(long userId, Optional<String> pressed, Instant now, AdmissionPolicy policy) {
        Admission a = delegate.admit(userId, pressed, now, policy);
        if (a instanceof Admission.TooFast tooFast) {
            actionsRefused.increment();
            if (tooFast.tell()) {
                usersLimited.increment();
            }
        } else if (a instanceof Admission.RepeatedPress) {
            repeatedPresses.increment();
        }
        return a;
    }
}
