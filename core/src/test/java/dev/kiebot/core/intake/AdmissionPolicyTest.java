package dev.kiebot.core.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdmissionPolicyTest {
    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
    private final AdmissionPolicy policy = AdmissionPolicy.defaults();

    /** Runs {@code n} actions at {@code at}; @return the state after them and the last decision. */
    private AdmissionPolicy.Decision run(AdmissionState state, int n, Instant at) {
        AdmissionPolicy.Decision d = null;
        for (int i = 0; i < n; i++) {
            d = policy.decide(state, at, Optional.empty());
            state = d.state();
        }
        return d;
    }

    @Test
    void aBurstOfThirtyIsAdmittedTheThirtyFirstWaitsAndIsToldOnce() {
        AdmissionPolicy.Decision d = run(policy.fresh(T0), 30, T0);
        assertThat(d.admission()).isInstanceOf(Admission.Admitted.class);
        AdmissionPolicy.Decision over = policy.decide(d.state(), T0, Optional.empty());
        // 20 a minute: one token every 3 s
        assertThat(over.admission()).isEqualTo(new Admission.TooFast(Duration.ofSeconds(3), true));
        AdmissionPolicy.Decision again = policy.decide(over.state(), T0.plusSeconds(1), Optional.empty());
        assertThat(again.admission()).isEqualTo(new Admission.TooFast(Duration.ofSeconds(2), false));
        AdmissionPolicy.Decision refilled = policy.decide(again.state(), T0.plusSeconds(3), Optional.empty());
        assertThat(refilled.admission()).isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void theSustainedRateIsTwentyAMinute() {
        AdmissionState state = run(policy.fresh(T0), 30, T0).state();
        int admitted = 0;
        for (int second = 1; second <= 600; second++) {
            AdmissionPolicy.Decision d = policy.decide(state, T0.plusSeconds(second), Optional.empty());
            state = d.state();
            if (d.admission() instanceof Admission.Admitted) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(200);
    }

    @Test
    void theSameButtonWithinTheWindowIsARepeatOtherButtonsAreNot() {
        AdmissionPolicy.Decision first = policy.decide(policy.fresh(T0), T0, Optional.of("*|t|50"));
        assertThat(first.admission()).isInstanceOf(Admission.Admitted.class);
        AdmissionPolicy.Decision repeat = policy.decide(first.state(), T0.plusMillis(1999), Optional.of("*|t|50"));
        assertThat(repeat.admission()).isInstanceOf(Admission.RepeatedPress.class);
        assertThat(policy.decide(repeat.state(), T0.plusMillis(2000), Optional.of("*|t|50")).admission())
                .as("the window counts from the admitted press").isInstanceOf(Admission.Admitted.class);
        assertThat(policy.decide(first.state(), T0.plusMillis(100), Optional.of("*|t|100")).admission())
                .isInstanceOf(Admission.Admitted.class);
        assertThat(policy.decide(first.state(), T0.plusMillis(100), Optional.empty()).admission())
                .isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void unlimitedKeepsTheRepeatRuleAndOffHasNeither() {
        AdmissionPolicy admin = policy.unlimited();
        AdmissionState state = admin.fresh(T0);
        for (int i = 0; i < 1000; i++) {
            AdmissionPolicy.Decision d = admin.decide(state, T0, Optional.empty());
            assertThat(d.admission()).isInstanceOf(Admission.Admitted.class);
            state = d.state();
        }
        AdmissionState pressed = admin.decide(state, T0, Optional.of("*|m")).state();
        assertThat(admin.decide(pressed, T0, Optional.of("*|m")).admission()).isInstanceOf(Admission.RepeatedPress.class);
        AdmissionPolicy off = AdmissionPolicy.off();
        AdmissionState o = off.decide(off.fresh(T0), T0, Optional.of("*|m")).state();
        assertThat(off.decide(o, T0, Optional.of("*|m")).admission()).isInstanceOf(Admission.Admitted.class);
    }
}
