package dev.kiebot.core.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * One money movement of a wallet, as its owner sees it.
 *
 * @param at        when it was recorded
 * @param amount    signed minor units: positive when the wallet got money
 * @param kind      what it was (a top-up, a generation, a refund)
 * @param reference the job or payment it belongs to ({@code gen_12}, a charge id, {@code #7}); may be empty
 * @param reserved  a hold of a running generation: not spent yet, not available either
 */
public record StatementLine(Instant at, long amount, TransferKind kind, String reference, boolean reserved) {
    /**
     * Checks that nothing is null.
     *
     * @param at        never null
     * @param amount    signed minor units
     * @param kind      never null
     * @param reference {@code ""} for none
     * @param reserved  whether it is a running generation's hold
     * @throws NullPointerException naming the component left null ({@code ""} for no reference)
     */
    public StatementLine {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reference, "reference");
    }
}
