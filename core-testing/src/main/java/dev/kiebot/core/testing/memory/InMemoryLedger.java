package dev.kiebot.core.testing.memory;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Balance;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult.Reason;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.Phase;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.shop.KeptInMemory;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** The ledger in memory: one lock, so every request is atomic. For tests and partners' tests. */
public final class InMemoryLedger implements Ledger, KeptInMemory {
    private final Clock clock;
    private final Map<String, Transfer> transfers = new LinkedHashMap<>();
    private final Map<String, Transfer> failed = new HashMap<>();
    private final Map<String, Transfer> resolutionOfHold = new HashMap<>();
    private final Map<AccountId, Balance> balances = new LinkedHashMap<>();

    /**
     * An empty ledger.
     *
     * @param clock the time of each transfer as it is recorded (a test's {@code MutableClock}, moved by the test)
     */
    public InMemoryLedger(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized LedgerResult transfer(String id, AccountId debit, AccountId credit, long amount,
                                              TransferKind kind) {
        Transfer t = new Transfer(id, debit, credit, amount, kind, Phase.POSTED, Optional.empty(),
                Optional.empty(), clock.instant());
        return record(t, amount);
    }

    @Override
    public synchronized LedgerResult hold(String id, AccountId debit, AccountId credit, long amount,
                                          TransferKind kind, Instant timeoutAt) {
        Transfer t = new Transfer(id, debit, credit, amount, kind, Phase.PENDING, Optional.empty(),
                Optional.of(timeoutAt), clock.instant());
        return record(t, amount);
    }

    @Override
    public synchronized LedgerResult post(String id, String holdId, long amount) {
        return resolve(id, holdId, Phase.POST_PENDING, amount);
    }

    @Override
    public synchronized LedgerResult voidHold(String id, String holdId) {
        return resolve(id, holdId, Phase.VOID_PENDING, 0);
    }

    @Override
    public synchronized List<String> expire(Instant now, int limit) {
        // as PostgreSQL's sweep: the first limit due holds, earliest deadline first, then id (one whose expiry is
        // refused still counts); each expiry dated now, not this ledger's clock
        List<Transfer> due = due(now).limit(Math.max(0, limit)).toList();
        List<String> expired = new ArrayList<>();
        for (Transfer t : due) {
            if (resolve(Ledger.expireId(t.id()), t.id(), Phase.EXPIRE_PENDING, 0, now).succeeded()) {
                expired.add(t.id());
            }
        }
        return expired;
    }

    @Override
    public synchronized Optional<Transfer> oldestDueHold(Instant now) {
        return due(now).findFirst();
    }

    /** The open holds whose deadline is at or before {@code now}, in the order the sweep takes them. */
    private Stream<Transfer> due(Instant now) {
        return transfers.values().stream()
                .filter(t -> t.phase() == Phase.PENDING && !resolutionOfHold.containsKey(t.id())
                        && !t.timeoutAt().orElseThrow().isAfter(now))
                .sorted(Comparator.comparing((Transfer t) -> t.timeoutAt().orElseThrow())
                        .thenComparing(Transfer::id, InMemoryLedger::byCodePoints));
    }

    /** PostgreSQL's {@code COLLATE "C"}: UTF-8 bytes, which order as code points (UTF-16 units may not). */
    private static int byCodePoints(String a, String b) {
        return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    private LedgerResult resolve(String id, String holdId, Phase phase, long amount) {
        return resolve(id, holdId, phase, amount, clock.instant());
    }

    private LedgerResult resolve(String id, String holdId, Phase phase, long amount, Instant at) {
        Transfer hold = transfers.get(holdId);
        AccountId debit = hold == null ? new AccountId("unknown") : hold.debit();
        AccountId credit = hold == null ? new AccountId("unknown") : hold.credit();
        TransferKind kind = hold == null ? TransferKind.GENERATION : hold.kind();
        Transfer t = new Transfer(id, debit, credit, amount, kind, phase, Optional.of(holdId), Optional.empty(),
                at);
        return record(t, amount);
    }

    private LedgerResult record(Transfer t, long amount) {
        Transfer existing = transfers.get(t.id());
        if (existing != null) {
            return existing.sameRequest(t) ? new LedgerResult.Exists(existing)
                    : rejected(Reason.EXISTS_WITH_DIFFERENT_FIELDS, t.id());
        }
        Transfer failedBefore = failed.get(t.id());
        if (failedBefore != null) {
            return failedBefore.sameRequest(t) ? rejected(Reason.ID_ALREADY_FAILED, t.id())
                    : rejected(Reason.EXISTS_WITH_DIFFERENT_FIELDS, t.id());
        }
        boolean resolving = t.phase().resolvesHold();
        if (resolving ? amount < 0 || amount > Ledger.MAX_AMOUNT : amount <= 0 || amount > Ledger.MAX_AMOUNT) {
            return rejected(Reason.INVALID_AMOUNT, Long.toString(amount));
        }
        long holdAmount = 0;
        if (resolving) {
            String holdId = t.pendingId().orElseThrow();
            Transfer hold = transfers.get(holdId);
            if (hold == null || hold.phase() != Phase.PENDING) {
                failed.put(t.id(), t);
                return rejected(Reason.HOLD_NOT_FOUND, holdId);
            }
            Transfer resolution = resolutionOfHold.get(holdId);
            if (resolution != null) {
                return rejected(Reason.alreadyResolved(HoldState.of(resolution.phase())), holdId);
            }
            if (amount > hold.amount()) {
                return rejected(Reason.EXCEEDS_HOLD_AMOUNT, amount + " > " + hold.amount());
            }
            holdAmount = hold.amount();
        } else {
            if (t.debit().equals(t.credit())) {
                return rejected(Reason.SAME_ACCOUNT, t.debit().value());
            }
            if (t.debit().isWallet() && balance(t.debit()).available() < amount) {
                failed.put(t.id(), t);
                return rejected(Reason.INSUFFICIENT_FUNDS, t.debit().value());
            }
        }
        transfers.put(t.id(), t);
        if (resolving) {
            resolutionOfHold.put(t.pendingId().orElseThrow(), t);
        }
        apply(t, holdAmount);
        return new LedgerResult.Created(t);
    }

    private void apply(Transfer t, long holdAmount) {
        for (AccountId a : List.of(t.debit(), t.credit())) {
            Balance before = balances.getOrDefault(a, Balance.zero(a));
            balances.put(a, before.after(t, holdAmount));
        }
    }

    private static LedgerResult rejected(Reason reason, String detail) {
        return new LedgerResult.Rejected(reason, detail);
    }

    @Override
    public synchronized Balance balance(AccountId account) {
        return balances.getOrDefault(account, Balance.zero(account));
    }

    @Override
    public synchronized Optional<Transfer> find(String id) {
        return Optional.ofNullable(transfers.get(id));
    }

    /**
     * {@link #find}: each request is seen the moment it is made (no transaction holds it back, nor is undone), so none
     * is in flight to wait for. Nor does it make a caller wait its turn on {@code id}, as {@code PgLedger}'s lock does:
     * a test of a turn plays what another committed meanwhile in a ledger of its own
     * ({@code RefundAgainstALossTakesItsTurnTest}).
     */
    @Override
    public Optional<Transfer> findAwaiting(String id) {
        return find(id);
    }

    @Override
    public synchronized Optional<HoldState> holdState(String holdId) {
        Transfer hold = transfers.get(holdId);
        if (hold == null || hold.phase() != Phase.PENDING) {
            return Optional.empty();
        }
        Transfer r = resolutionOfHold.get(holdId);
        if (r == null) {
            return Optional.of(HoldState.PENDING);
        }
        return Optional.of(HoldState.of(r.phase()));
    }

    @Override
    public synchronized List<Transfer> transfers(AccountId account) {
        return transfers.values().stream()
                .filter(t -> t.debit().equals(account) || t.credit().equals(account))
                .toList();
    }

    @Override
    public synchronized List<Transfer> withIdPrefix(String idPrefix) {
        return transfers.values().stream().filter(t -> t.id().startsWith(idPrefix)).toList();
    }

    @Override
    public synchronized List<AccountId> accounts() {
        return List.copyOf(balances.keySet());
    }

    /**
     * Every recorded transfer, for {@link InMemoryShopFigures}.
     *
     * @return the transfers, oldest first
     */
    public synchronized List<Transfer> all() {
        return List.copyOf(transfers.values());
    }
}
