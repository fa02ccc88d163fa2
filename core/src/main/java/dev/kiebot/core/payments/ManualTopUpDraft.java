package dev.kiebot.core.payments;

import java.time.Instant;
import java.util.Objects;

/**
 * A new manual top-up request.
 *
 * @param key       the update that asked for it and its user: asking again in the same update finds the same request
 * @param userId    who asks
 * @param chatId    his chat
 * @param amount    minor units, more than 0
 * @param reference the code for the transfer's comment, unique among requests
 * @param createdAt when asked
 * @param expiresAt when it expires unless decided, after {@code createdAt}
 */
public record ManualTopUpDraft(String key, long userId, long chatId, long amount, String reference,
                               Instant createdAt, Instant expiresAt) {
    /**
     * Checks the values.
     *
     * @param key       never null
     * @param userId    who asks
     * @param chatId    his chat
     * @param amount    more than 0 minor units
     * @param reference never null
     * @param createdAt when asked
     * @param expiresAt after {@code createdAt}
     * @throws IllegalArgumentException for an amount of 0 or less, or an expiry not after the creation
     */
    public ManualTopUpDraft {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(reference, "reference");
        if (amount <= 0 || !expiresAt.isAfter(createdAt)) {
            throw new IllegalArgumentException("a positive amount and an expiry after creation required");
        }
    }
}
