package dev.kiebot.runtime.metrics;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.TransferKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;

/**
 * The ledger, counted where it refuses: {@code kiebot_ledger_refused_total{reason}}. Each caller handles its
 * refusal (a user without the money is told so, a hold resolved twice is a retry), so none reached the log or
 * {@code /metrics}; but refusals that are not a wallet short of money — a hold not found, an id reused with other
 * fields — mean money that did not move where the shop meant it to: a payment not credited, a refund not made.
 * The one label is the ledger's reason (eleven, each at 0 from the start), never an id or an account.
 */
final class MeteredLedger extends ForwardingLedger {
    private final MeterRegistry registry;

    MeteredLedger(Ledger real, MeterRegistry registry) {
        super(real);
        this.registry = registry;
        // every reason shown from the start at 0: an alert on its increase sees the first refusal
        for (LedgerResult.Reason reason : LedgerResult.Reason.values()) {
            refused(reason);
        }
    }

    @Override
    public LedgerResult transfer(String id, AccountId debit, AccountId credit, long amount, TransferKind kind) {
        return counted(real.transfer(id, debit, credit, amount, kind));
    }

    @Override
    public LedgerResult hold(String id, AccountId debit, AccountId credit, long amount, TransferKind kind,
                             Instant timeoutAt) {
        return counted(real.hold(id, debit, credit, amount, kind, timeoutAt));
    }

    @Override
    public LedgerResult post(String id, String holdId, long amount) {
        return counted(real.post(id, holdId, amount));
    }

    @Override
    public LedgerResult voidHold(String id, String holdId) {
        return counted(real.voidHold(id, holdId));
    }

    private LedgerResult counted(LedgerResult result) {
        if (result instanceof LedgerResult.Rejected rejected) {
            refused(rejected.reason()).increment();
        }
        return result;
    }

    private Counter refused(LedgerResult.Reason reason) {
        return Counter.builder("kiebot.ledger.refused").tag("reason", reason.name())
                .description("ledger requests refused, nothing recorded (by the ledger's reason)").register(registry);
    }
}
