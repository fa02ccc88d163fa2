package dev.kiebot.core.ledger;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable movement of {@code amount} minor units from {@code debit} to {@code credit}.
 * Resolving transfers ({@link Phase#resolvesHold()}) repeat the hold's accounts and name it in
 * {@code pendingId}; their amount is what gets posted (0 for void/expire).
 *
 * @param id        the caller-chosen idempotency key
 * @param debit     where the money left
 * @param credit    where it arrived
 * @param amount    minor units; for a resolving transfer, what was posted (0 for a void or an expiry)
 * @param kind      what the movement is
 * @param phase     what it did to the balances
 * @param pendingId the hold it resolves (resolving transfers only)
 * @param timeoutAt the hold's deadline (pending transfers only)
 * @param createdAt when it was recorded, by the shop's clock
 */
public record Transfer(
        String id,
        AccountId debit,
        AccountId credit,
        long amount,
        TransferKind kind,
        Phase phase,
        Optional<String> pendingId,
        Optional<Instant> timeoutAt,
        Instant createdAt) {

    /**
     * Checks that nothing is null.
     *
     * @param id        never null
     * @param debit     never null
     * @param credit    never null
     * @param amount    minor units
     * @param kind      never null
     * @param phase     never null
     * @param pendingId never null; {@code Optional.empty()} unless resolving a hold
     * @param timeoutAt never null; {@code Optional.empty()} unless a hold
     * @param createdAt never null
     * @throws NullPointerException naming the component left null ({@code Optional.empty()} for none)
     */
    public Transfer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(debit, "debit");
        Objects.requireNonNull(credit, "credit");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(pendingId, "pendingId");
        Objects.requireNonNull(timeoutAt, "timeoutAt");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /**
     * Equal in every field the caller chose, i.e. a replay of the same request.
     *
     * @param other the transfer recorded under the same id
     * @return true when only {@code createdAt} may differ
     */
    public boolean sameRequest(Transfer other) {
        return id.equals(other.id) && debit.equals(other.debit) && credit.equals(other.credit)
                && amount == other.amount && kind == other.kind && phase == other.phase
                && pendingId.equals(other.pendingId) && timeoutAt.equals(other.timeoutAt);
    }
}
