package dev.kiebot.core.testing.memory;

import dev.kiebot.core.intake.Admission;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.intake.AdmissionState;
import dev.kiebot.core.intake.Admissions;
import dev.kiebot.core.shop.KeptInMemory;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@code Admissions} in memory, for tests only: nothing survives the process. */
public final class InMemoryAdmissions implements Admissions, KeptInMemory {
    private final Map<Long, AdmissionState> states = new HashMap<>();

    /** An empty store: nobody admitted or refused yet. */
    public InMemoryAdmissions() {
    }

    @Override
    public synchronized Admission admit(long userId, Optional<String> pressed, Instant now, AdmissionPolicy policy) {
        AdmissionState state = states.getOrDefault(userId, policy.fresh(now));
        AdmissionPolicy.Decision d = policy.decide(state, now, pressed);
        states.put(userId, d.state());
        return d.admission();
    }
}
