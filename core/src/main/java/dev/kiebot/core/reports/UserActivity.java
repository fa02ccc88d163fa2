package dev.kiebot.core.reports;

import java.time.Instant;
import java.util.Optional;

/**
 * What a user spent and when he was last seen ({@code /find}).
 *
 * @param spent    what the user's generations cost, net of admin refunds (minor units)
 * @param lastSeen the last update from the user
 */
public record UserActivity(long spent, Optional<Instant> lastSeen) {
}
