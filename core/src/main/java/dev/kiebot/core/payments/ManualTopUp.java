package dev.kiebot.core.payments;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A request to top up by card or SBP, as stored.
 *
 * @param id        the store's number for it, shown as {@code #12}
 * @param userId    who asked
 * @param chatId    where he is told of the decision
 * @param amount    minor units to credit when approved
 * @param reference the code the user puts in the transfer's comment (unique)
 * @param state     where it stands
 * @param receipt   Telegram file id of the receipt photo, once sent
 * @param createdAt when it was asked for
 * @param expiresAt when it expires unless decided
 * @param decidedBy the admin who approved or declined it
 * @param decidedAt when it was decided
 */
public record ManualTopUp(long id, long userId, long chatId, long amount, String reference, ManualTopUpState state,
                          Optional<String> receipt, Instant createdAt, Instant expiresAt, Optional<Long> decidedBy,
                          Optional<Instant> decidedAt) {
    /**
     * Checks that nothing is null.
     *
     * @param id        the store's number
     * @param userId    who asked
     * @param chatId    his chat
     * @param amount    minor units
     * @param reference never null
     * @param state     never null
     * @param receipt   never null; empty until sent
     * @param createdAt when asked
     * @param expiresAt when it expires
     * @param decidedBy never null; empty until decided
     * @param decidedAt never null; empty until decided
     */
    public ManualTopUp {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(receipt, "receipt");
        Objects.requireNonNull(decidedBy, "decidedBy");
        Objects.requireNonNull(decidedAt, "decidedAt");
    }

    /**
     * {@code #12}: how users and admins name a request.
     *
     * @return {@code #} and its number
     */
    public String display() {
        return "#" + id;
    }

    /**
     * The ledger transfer that credits an approved request: keyed by the request, so it credits once.
     *
     * @return {@code manual-topup:<id>}
     */
    public String creditId() {
        return "manual-topup:" + id;
    }
}
