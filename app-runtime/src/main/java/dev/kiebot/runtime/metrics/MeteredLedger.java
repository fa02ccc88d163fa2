package dev.kiebot.runtime.metrics;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.PostedTotal;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Set;

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

    /*
     * The reads the ledger answers from an index or with one aggregate (PgLedger), forwarded: ForwardingLedger leaves
     * them to Ledger's defaults, which read through transfers() — every transfer of the account (a user's statement),
     * or of every account (the dashboard's welcome bonuses, /export) — and this decorator watches no read.
     */

    @Override
    public List<Transfer> recent(AccountId account, int limit) {
        return real.recent(account, limit);
    }

    @Override
    public List<Transfer> withIdPrefix(String idPrefix) {
        return real.withIdPrefix(idPrefix);
    }

    @Override
    public List<Transfer> posted(Set<TransferKind> kinds, Instant from, Instant to) {
        return real.posted(kinds, from, to);
    }

    @Override
    public List<Transfer> posted(Set<TransferKind> kinds, Instant from, Instant to, int limit) {
        return real.posted(kinds, from, to, limit);
    }

    @Override
    public PostedTotal postedTotal(Set<TransferKind> kinds, Instant from, Instant to) {
        return real.postedTotal(kinds, from, to);
    }

    @Override
    public long postedNet(AccountId account, Set<TransferKind> kinds) {
        return real.postedNet(account, kinds);
    }

    @Override
    public Set<TransferKind> postedDebitKinds(AccountId account, Set<TransferKind> kinds, Instant until) {
        return real.postedDebitKinds(account, kinds, until);
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
