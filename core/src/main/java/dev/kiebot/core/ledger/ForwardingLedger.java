package dev.kiebot.core.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A ledger that hands every call to another: the base for a decorator that watches or changes a few calls (metrics,
 * a test's injected race or fault) and leaves the rest to the real ledger, as {@code ForwardingJobs} is for jobs.
 * Every method of {@link Ledger} is forwarded, also those with a default body ({@link #findAwaiting},
 * {@link #oldestDueHold}, {@link #stuckHoldHint}, {@link #withIdPrefix}, {@link #recent}, both {@link #posted},
 * {@link #postedTotal}, {@link #postedNet}, {@link #postedDebitKinds}): a store answers them from an index, one aggregate or its own lock ({@code PgLedger}),
 * where the defaults read every transfer of an account or of every account, or decide nothing against a request in
 * flight. A decorator must not change what, or at what cost, the store answers ({@code ForwardingStoresTest} checks
 * every method is declared here).
 *
 * <p>So a decorator of {@link #transfers} does not see those reads: override the ones it must watch too.
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

    /**
     * The ledger this one forwards to ({@link #real}): {@code Shop.Builder} reads it to refuse an in-memory ledger
     * behind a decorator beside a database's stores, as it refuses one given bare.
     *
     * @return {@link #real}
     */
    public final Ledger forwardsTo() {
        return real;
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
    public Optional<Transfer> oldestDueHold(Instant now) {
        return real.oldestDueHold(now);
    }

    @Override
    public Optional<String> stuckHoldHint() {
        return real.stuckHoldHint();
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
    public List<Transfer> withIdPrefix(String idPrefix) {
        return real.withIdPrefix(idPrefix);
    }

    @Override
    public List<Transfer> recent(AccountId account, int limit) {
        return real.recent(account, limit);
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

    @Override
    public List<AccountId> accounts() {
        return real.accounts();
    }
}
