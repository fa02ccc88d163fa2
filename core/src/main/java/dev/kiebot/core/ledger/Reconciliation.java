package dev.kiebot.core.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the ledger's invariants (listed in core-testing's {@code LedgerContract}) from the outside, using only the
 * port. Used by the property and concurrency tests, and by the admin reconciliation report.
 */
public final class Reconciliation {
    private Reconciliation() {
    }

    /**
     * Checks every account and transfer of the ledger; it reads them all, so it is for tests and reports, not for
     * every request.
     *
     * @param ledger the ledger to check
     * @return one line per violated invariant; empty when the ledger is consistent
     */
    public static List<String> check(Ledger ledger) {
        List<String> violations = new ArrayList<>();
        long dPend = 0;
        long cPend = 0;
        long dPost = 0;
        long cPost = 0;
        Map<String, Transfer> all = new HashMap<>();
        Set<AccountId> accounts = new LinkedHashSet<>(ledger.accounts());
        for (AccountId a : accounts) {
            List<Transfer> ts = ledger.transfers(a);
            ts.forEach(t -> all.put(t.id(), t));
            Balance stored = ledger.balance(a);
            Balance folded = Balance.fold(a, ts);
            if (!stored.equals(folded)) {
                violations.add("inv10 balance != fold(entries) for " + a + ": " + stored + " vs " + folded);
            }
            if (a.isWallet() && stored.available() < 0) {
                violations.add("inv4 negative available on " + a + ": " + stored.available());
            }
            if (stored.debitsPending() < 0 || stored.creditsPending() < 0) {
                violations.add("negative pending on " + a + ": " + stored);
            }
            dPend += stored.debitsPending();
            cPend += stored.creditsPending();
            dPost += stored.debitsPosted();
            cPost += stored.creditsPosted();
        }
        if (dPend != cPend || dPost != cPost) {
            violations.add("inv2 conservation: debits_pending=" + dPend + " credits_pending=" + cPend
                    + " debits_posted=" + dPost + " credits_posted=" + cPost);
        }
        Map<String, Integer> resolutions = new HashMap<>();
        for (Transfer t : all.values()) {
            if (t.amount() < 0 || (!t.phase().resolvesHold() && t.amount() == 0)) {
                violations.add("inv13 bad amount on " + t.id() + ": " + t.amount());
            }
            if (t.phase().resolvesHold()) {
                String holdId = t.pendingId().orElse("?");
                resolutions.merge(holdId, 1, Integer::sum);
                Transfer hold = all.get(holdId);
                if (hold == null || hold.phase() != Phase.PENDING) {
                    violations.add("resolution " + t.id() + " names no hold " + holdId);
                } else {
                    if (t.amount() > hold.amount()) {
                        violations.add("inv7 post " + t.id() + " exceeds hold " + holdId);
                    }
                    if (!t.debit().equals(hold.debit()) || !t.credit().equals(hold.credit())) {
                        violations.add("resolution " + t.id() + " accounts differ from hold " + holdId);
                    }
                }
            }
        }
        resolutions.forEach((hold, n) -> {
            if (n > 1) {
                violations.add("inv6 hold " + hold + " resolved " + n + " times");
            }
        });
        return violations;
    }
}
