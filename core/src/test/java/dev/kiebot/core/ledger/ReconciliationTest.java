package dev.kiebot.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The checker itself must catch broken ledgers, or the property tests prove nothing. */
class ReconciliationTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");

    /** A ledger that reports whatever balances and transfers the test says. */
    private record Frozen(java.util.Map<AccountId, Balance> balances, List<Transfer> all) implements Ledger {
        public LedgerResult transfer(String id, AccountId d, AccountId c, long a, TransferKind k) {
            throw new UnsupportedOperationException();
        }

        public Optional<Transfer> findAwaiting(String id) {
            return find(id); // frozen: nothing in flight
        }

        public LedgerResult hold(String id, AccountId d, AccountId c, long a, TransferKind k, Instant t) {
            throw new UnsupportedOperationException();
        }

        public LedgerResult post(String id, String holdId, long amount) {
            throw new UnsupportedOperationException();
        }

        public LedgerResult voidHold(String id, String holdId) {
            throw new UnsupportedOperationException();
        }

        public List<String> expire(Instant now, int limit) {
            return List.of();
        }

        public Balance balance(AccountId a) {
            return balances.getOrDefault(a, Balance.zero(a));
        }

        public Optional<Transfer> find(String id) {
            return all.stream().filter(t -> t.id().equals(id)).findFirst();
        }

        public Optional<HoldState> holdState(String holdId) {
            return Optional.empty();
        }

        public List<Transfer> transfers(AccountId a) {
            return all.stream().filter(t -> t.debit().equals(a) || t.credit().equals(a)).toList();
        }

        public List<AccountId> accounts() {
            return List.copyOf(balances.keySet());
        }
    }

    @Test
    void detectsEachKindOfCorruption() {
        AccountId w = AccountId.wallet(1);
        Transfer top = new Transfer("t", AccountId.STARS_CLEARING, w, 100, TransferKind.TOP_UP_STARS, Phase.POSTED,
                Optional.empty(), Optional.empty(), T);
        Transfer hold = new Transfer("h", w, AccountId.REVENUE, 300, TransferKind.GENERATION, Phase.PENDING,
                Optional.empty(), Optional.of(T), T);
        Transfer post1 = new Transfer("p1", w, AccountId.REVENUE, 300, TransferKind.GENERATION, Phase.POST_PENDING,
                Optional.of("h"), Optional.empty(), T);
        Transfer post2 = new Transfer("p2", w, AccountId.REVENUE, 400, TransferKind.GENERATION, Phase.POST_PENDING,
                Optional.of("h"), Optional.empty(), T);
        List<Transfer> all = List.of(top, hold, post1, post2);
        java.util.Map<AccountId, Balance> balances = new java.util.HashMap<>();
        balances.put(w, new Balance(w, 0, 700, 0, 100));
        balances.put(AccountId.STARS_CLEARING, new Balance(AccountId.STARS_CLEARING, 0, 100, 0, 0));
        balances.put(AccountId.REVENUE, new Balance(AccountId.REVENUE, 0, 0, 0, 555));
        List<String> v = Reconciliation.check(new Frozen(balances, all));
        assertThat(v).anyMatch(s -> s.startsWith("inv10"));
        assertThat(v).anyMatch(s -> s.startsWith("inv4"));
        assertThat(v).anyMatch(s -> s.startsWith("inv2"));
        assertThat(v).anyMatch(s -> s.startsWith("inv6"));
        assertThat(v).anyMatch(s -> s.startsWith("inv7"));
    }

    @Test
    void foldSeesEveryPhase() {
        AccountId w = AccountId.wallet(1);
        Transfer top = new Transfer("t", AccountId.STARS_CLEARING, w, 1000, TransferKind.TOP_UP_STARS, Phase.POSTED,
                Optional.empty(), Optional.empty(), T);
        Transfer hold = new Transfer("h", w, AccountId.REVENUE, 300, TransferKind.GENERATION, Phase.PENDING,
                Optional.empty(), Optional.of(T), T);
        Transfer post = new Transfer("p", w, AccountId.REVENUE, 200, TransferKind.GENERATION, Phase.POST_PENDING,
                Optional.of("h"), Optional.empty(), T);
        assertThat(Balance.fold(w, List.of(top, hold)).available()).isEqualTo(700);
        Balance after = Balance.fold(w, List.of(top, hold, post));
        assertThat(after.available()).isEqualTo(800);
        assertThat(after.debitsPending()).isZero();
        assertThat(Balance.fold(AccountId.REVENUE, List.of(top, hold, post)).creditsPosted()).isEqualTo(200);
    }
}
