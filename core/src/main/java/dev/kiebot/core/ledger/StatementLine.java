package dev.kiebot.core.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * One money movement of a wallet, as its owner sees it.
 *
 * @param amount    signed minor units: positive when the wallet got money
 * @param reference the job or payment it belongs to ({@code gen_12}, a charge id, {@code #7}); may be empty
 * @param reserved  a hold of a running generation: not spent yet, not available either
 */
public record StatementLine(Instant at, long amount, TransferKind kind, String reference, boolean reserved) {
    /** @throws NullPointerException naming the component left null ({@code ""} for no reference) */
    public StatementLine {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reference, "reference");
    }
}
