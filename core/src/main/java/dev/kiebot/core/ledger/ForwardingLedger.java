package dev.kiebot.core.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A ledger that hands every call to another: the base for a decorator that watches or changes a few calls (metrics,
 * a test's injected race or fault) and leaves the rest to the real ledger, as {@code ForwardingJobs} is for jobs.
 * {@link #recent} is not forwarded: its default reads through {@link #transfers}, so a decorator of that sees it.
 * That default reads every transfer of the account: in front of a store that answers {@code recent} from an index
 * ({@code PgLedger} does, for {@code /payments}), override {@code recent} to forward it unless you watch
 * {@code transfers}.
 */
public abstract class ForwardingLedger implements Ledger {
    /** The ledger every call not overridden goes to. */
    protected final Ledger real;

    /**
     * A ledger that forwards every call to {@code real}.
     *
     * @param real the ledger to forward to, e.g. {@code PgStores}' ledger
     */
    protected ForwardingLedger(Ledger real) {
        this.real = Objects.requireNonNull(real, "real");
    }

    @Override
    public LedgerResult transfer(String id, AccountId debit, AccountId credit, long amount, TransferKind kind) {
        return real.transfer(id, debit, credit, amount, kind);
    }

    @Override
    public LedgerResult hold(String id, AccountId debit, AccountId credit, long amount, TransferKind kind,
                             Instant timeoutAt) {
        return real.hold(id, debit, credit, amount, kind, timeoutAt);
    }

    @Override
    public LedgerResult post(String id, String holdId, long amount) {
        return real.post(id, holdId, amount);
    }

    @Override
    public LedgerResult voidHold(String id, String holdId) {
        return real.voidHold(id, holdId);
    }

    @Override
    public List<String> expire(Instant now, int limit) {
        return real.expire(now, limit);
    }

    @Override
    public Balance balance(AccountId account) {
        return real.balance(account);
    }

    @Override
    public Optional<Transfer> findAwaiting(String id) {
        return real.findAwaiting(id);
    }

    @Override
    public Optional<Transfer> find(String id) {
        return real.find(id);
    }

    @Override
    public Optional<HoldState> holdState(String holdId) {
        return real.holdState(holdId);
    }

    @Override
    public List<Transfer> transfers(AccountId account) {
        return real.transfers(account);
    }

    @Override
    public List<AccountId> accounts() {
        return real.accounts();
    }
}
