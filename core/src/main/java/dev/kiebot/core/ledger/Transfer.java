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
 * @param timeoutAt the hold's deadline (pending transfers only)
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

    /** @throws NullPointerException naming the component left null ({@code Optional.empty()} for none) */
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

    /** Equal in every field the caller chose, i.e. a replay of the same request. */
    public boolean sameRequest(Transfer other) {
        return id.equals(other.id) && debit.equals(other.debit) && credit.equals(other.credit)
                && amount == other.amount && kind == other.kind && phase == other.phase
                && pendingId.equals(other.pendingId) && timeoutAt.equals(other.timeoutAt);
    }
}
