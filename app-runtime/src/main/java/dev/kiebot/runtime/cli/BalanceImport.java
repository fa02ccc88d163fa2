package dev.kiebot.runtime.cli;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.TransferKind;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Credits carried-over balances through the ledger, each row once: from {@code clearing:manual} (money the
 * earlier bot received) to the user's wallet, under the row's hash as the transfer id, as
 * {@link TransferKind#CARRIED_OVER}: not a top-up, which would count as the user's first payment when a friend's
 * link brings him later (and his inviter would never earn the bonus). A second run finds every id recorded and
 * credits nothing.
 */
final class BalanceImport {
    /**
     * What one run did.
     *
     * @param credited         rows credited now, and their total (minor units)
     * @param alreadyImported  rows whose credit an earlier run (or an earlier identical row) recorded
     * @param refused          rows the ledger refused, each with its line and reason
     */
    record Summary(int rows, int credited, long creditedAmount, int alreadyImported, List<String> refused) {
        Summary {
            refused = List.copyOf(refused);
        }

        String text() {
            return rows + " row(s): credited " + credited + " (" + BigDecimal.valueOf(creditedAmount, 2)
                    .toPlainString() + " ₽), already imported " + alreadyImported + ", refused " + refused.size();
        }
    }

    private final Ledger ledger;

    BalanceImport(Ledger ledger) {
        this.ledger = ledger;
    }

    Summary credit(List<BalanceRows.Row> rows) {
        int credited = 0;
        long amount = 0;
        int already = 0;
        List<String> refused = new java.util.ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (BalanceRows.Row row : rows) {
            LedgerResult r = seen.add(row.id()) ? ledger.transfer(row.id(), AccountId.MANUAL_CLEARING,
                    AccountId.wallet(row.userId()), row.amount(), TransferKind.CARRIED_OVER) : null;
            if (r instanceof LedgerResult.Created) {
                credited++;
                amount += row.amount();
            } else if (r == null || r instanceof LedgerResult.Exists || creditedAsATopUp(row)) {
                already++;
            } else {
                refused.add("line " + row.line() + ": " + r);
            }
        }
        return new Summary(rows.size(), credited, amount, already, refused);
    }

    /** A row an import before {@link TransferKind#CARRIED_OVER} credited as a top-up: imported already. */
    private boolean creditedAsATopUp(BalanceRows.Row row) {
        return ledger.find(row.id()).filter(t -> t.kind() == TransferKind.TOP_UP_MANUAL && t.amount() == row.amount()
                && t.credit().equals(AccountId.wallet(row.userId()))).isPresent();
    }
}
