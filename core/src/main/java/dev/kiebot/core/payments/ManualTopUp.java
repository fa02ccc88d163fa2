package dev.kiebot.core.payments;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A request to top up by card or SBP, as stored.
 *
 * @param amount    minor units to credit when approved
 * @param reference the code the user puts in the transfer's comment (unique)
 * @param receipt   Telegram file id of the receipt photo, once sent
 * @param decidedBy the admin who approved or declined it
 */
public record ManualTopUp(long id, long userId, long chatId, long amount, String reference, ManualTopUpState state,
                          Optional<String> receipt, Instant createdAt, Instant expiresAt, Optional<Long> decidedBy,
                          Optional<Instant> decidedAt) {
    public ManualTopUp {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(receipt, "receipt");
        Objects.requireNonNull(decidedBy, "decidedBy");
        Objects.requireNonNull(decidedAt, "decidedAt");
    }

    /** {@code #12}: how users and admins name a request. */
    public String display() {
        return "#" + id;
    }

    /** The ledger transfer that credits an approved request: keyed by the request, so it credits once. */
    public String creditId() {
        return "manual-topup:" + id;
    }
}
