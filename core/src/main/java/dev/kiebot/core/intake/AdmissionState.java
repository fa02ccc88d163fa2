package dev.kiebot.core.intake;

import dev.kiebot.core.pacing.TokenBucket;
import java.time.Instant;
import java.util.Optional;

/**
 * What the inbound limit remembers of one user: the token bucket, until when refusals stay quiet, and the
 * last admitted button press. A store keeps its components as given and makes it again with the constructor.
 *
 * @param bucket      the user's token bucket
 * @param quietUntil  refusals before this are not told
 * @param lastPress   the last admitted button press's data
 * @param lastPressAt when it was admitted
 */
public record AdmissionState(TokenBucket bucket, Instant quietUntil, Optional<String> lastPress,
                             Instant lastPressAt) {

    AdmissionState with(TokenBucket b) {
        return new AdmissionState(b, quietUntil, lastPress, lastPressAt);
    }

    AdmissionState quietUntil(Instant until) {
        return new AdmissionState(bucket, until, lastPress, lastPressAt);
    }

    AdmissionState pressed(String data, Instant at) {
        return new AdmissionState(bucket, quietUntil, Optional.of(data), at);
    }
}
