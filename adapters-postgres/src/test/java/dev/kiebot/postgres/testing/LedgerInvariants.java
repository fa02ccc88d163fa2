package dev.kiebot.postgres.testing;

import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The ledger invariants (shared/reference/ledger.md §4.5) checked directly in SQL, next to the port-level
 * {@code Reconciliation.check}. Used by the concurrency tests and the benchmark.
 */
public final class LedgerInvariants {
    private LedgerInvariants() {
    }

    private record Check(String name, String sql) {
    }

    private static final List<Check> CHECKS = List.of(
            new Check("inv1 entries of a transfer do not sum to zero",
                    "SELECT transfer_id || '/' || status FROM ledger_entries GROUP BY transfer_id, status "
                            + "HAVING sum(CASE direction WHEN 'D' THEN amount ELSE -amount END) <> 0"),
            new Check("inv1 transfer without entries",
                    "SELECT t.id FROM ledger_transfers t WHERE NOT EXISTS "
                            + "(SELECT 1 FROM ledger_entries e WHERE e.transfer_id = t.id)"),
            new Check("inv1 entry without its transfer or on a foreign account",
                    "SELECT e.transfer_id FROM ledger_entries e LEFT JOIN ledger_transfers t ON t.id = e.transfer_id "
                            + "WHERE t.id IS NULL OR e.account_id <> CASE e.direction WHEN 'D' THEN t.debit_account "
                            + "ELSE t.credit_account END"),
            new Check("inv2 global conservation (balances)",
                    "SELECT 'pending ' || sum(debits_pending) || ' vs ' || sum(credits_pending) || ', posted ' "
                            + "|| sum(debits_posted) || ' vs ' || sum(credits_posted) FROM ledger_balances "
                            + "HAVING sum(debits_pending) <> sum(credits_pending) "
                            + "OR sum(debits_posted) <> sum(credits_posted)"),
            new Check("inv4 negative available balance on a wallet",
                    "SELECT account_id || ': ' || (credits_posted - debits_posted - debits_pending) "
                            + "FROM ledger_balances WHERE is_wallet "
                            + "AND credits_posted - debits_posted - debits_pending < 0"),
            new Check("negative pending balance",
                    "SELECT account_id || '#' || shard FROM ledger_balances "
                            + "WHERE debits_pending < 0 OR credits_pending < 0"),
            new Check("inv6 hold resolved more than once",
                    "SELECT pending_id FROM ledger_transfers WHERE pending_id IS NOT NULL GROUP BY pending_id "
                            + "HAVING count(*) > 1"),
            new Check("inv6 resolution of something that is not a hold, or with other accounts",
                    "SELECT r.id FROM ledger_transfers r LEFT JOIN ledger_transfers h ON h.id = r.pending_id "
                            + "WHERE r.pending_id IS NOT NULL AND (h.id IS NULL OR h.phase <> 'PENDING' "
                            + "OR h.debit_account <> r.debit_account OR h.credit_account <> r.credit_account)"),
            new Check("inv6 open-hold queue disagrees with the resolutions",
                    "SELECT h.id FROM ledger_transfers h WHERE h.phase = 'PENDING' "
                            + "AND EXISTS (SELECT 1 FROM ledger_transfers r WHERE r.pending_id = h.id) "
                            + "= EXISTS (SELECT 1 FROM ledger_open_holds o WHERE o.hold_id = h.id)"),
            new Check("inv7 post exceeds its hold",
                    "SELECT r.id FROM ledger_transfers r JOIN ledger_transfers h ON h.id = r.pending_id "
                            + "WHERE r.amount > h.amount"),
            new Check("inv9 id both failed and recorded",
                    "SELECT f.id FROM ledger_failed_transfers f JOIN ledger_transfers t ON t.id = f.id"),
            new Check("inv10 balance table differs from the fold of the entries",
                    "WITH b AS (SELECT account_id, sum(debits_pending) AS dp, sum(debits_posted) AS dpo, "
                            + "sum(credits_pending) AS cp, sum(credits_posted) AS cpo FROM ledger_balances "
                            + "GROUP BY account_id), "
                            + "e AS (SELECT account_id, "
                            + "coalesce(sum(amount) FILTER (WHERE direction = 'D' AND status = 'pending'), 0) AS dp, "
                            + "coalesce(sum(amount) FILTER (WHERE direction = 'D' AND status = 'posted'), 0) AS dpo, "
                            + "coalesce(sum(amount) FILTER (WHERE direction = 'C' AND status = 'pending'), 0) AS cp, "
                            + "coalesce(sum(amount) FILTER (WHERE direction = 'C' AND status = 'posted'), 0) AS cpo "
                            + "FROM ledger_entries GROUP BY account_id) "
                            + "SELECT coalesce(b.account_id, e.account_id) FROM b FULL JOIN e "
                            + "ON b.account_id = e.account_id "
                            + "WHERE coalesce(b.dp, 0) <> coalesce(e.dp, 0) OR coalesce(b.dpo, 0) <> coalesce(e.dpo, 0) "
                            + "OR coalesce(b.cp, 0) <> coalesce(e.cp, 0) OR coalesce(b.cpo, 0) <> coalesce(e.cpo, 0)"));

    /** @return one line per violation found; empty when every invariant holds */
    public static List<String> violations(Jdbi jdbi) {
        List<String> out = new ArrayList<>();
        jdbi.useHandle(h -> {
            for (Check c : CHECKS) {
                for (String row : h.createQuery(c.sql() + " LIMIT 20").mapTo(String.class).list()) {
                    out.add(c.name() + ": " + row);
                }
            }
        });
        return out;
    }

    /** How many checks {@link #violations} runs. */
    public static int checkCount() {
        return CHECKS.size();
    }
}
