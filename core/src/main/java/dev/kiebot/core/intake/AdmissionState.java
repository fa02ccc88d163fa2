package dev.kiebot.core.intake;

import java.time.Instant;
import java.util.Optional;

/**
 * What the inbound limit remembers of one user: the bucket's tokens when last refilled, until when
 * refusals stay quiet, and the last admitted button press.
 */
public record AdmissionState(double tokens, Instant refilledAt, Instant quietUntil, Optional<String> lastPress,
                             Instant lastPressAt) {

    AdmissionState withTokens(double t, Instant at) {
        return new AdmissionState(t, at, quietUntil, lastPress, lastPressAt);
    }

    AdmissionState quietUntil(Instant until) {
        return new AdmissionState(tokens, refilledAt, until, lastPress, lastPressAt);
    }

    AdmissionState pressed(String data, Instant at) {
        return new AdmissionState(tokens, refilledAt, quietUntil, Optional.of(data), at);
    }
}
