package dev.kiebot.core.payments;

import java.time.Instant;
import java.util.Objects;

/**
 * A new manual top-up request.
 *
 * @param key the update that asked for it and its user: asking again in the same update finds the same request
 */
public record ManualTopUpDraft(String key, long userId, long chatId, long amount, String reference,
                               Instant createdAt, Instant expiresAt) {
    public ManualTopUpDraft {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(reference, "reference");
        if (amount <= 0 || !expiresAt.isAfter(createdAt)) {
            throw new IllegalArgumentException("a positive amount and an expiry after creation required");
        }
    }
}
