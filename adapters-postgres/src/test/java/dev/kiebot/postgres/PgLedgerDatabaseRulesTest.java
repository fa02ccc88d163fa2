package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.postgres.testing.LedgerInvariants;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the database enforces by itself, even against SQL written around kb_ledger_record. */
class PgLedgerDatabaseRulesTest {
    private static final AccountId ALICE = AccountId.wallet(1001);
    private Jdbi jdbi;
    private PgLedger ledger;

    @BeforeEach
    void setUp() {
        TestDatabase.truncateAll();
        jdbi = TestDatabase.jdbi();
        MutableClock clock = MutableClock.at("2026-11-21T10:00:00Z");
        ledger = new PgLedger(TestDatabase.get(), clock);
        ledger.transfer("t1", AccountId.STARS_CLEARING, ALICE, 1_000, TransferKind.TOP_UP_STARS);
        ledger.hold("gen_1", ALICE, AccountId.REVENUE, 300, TransferKind.GENERATION,
                clock.instant().plus(Duration.ofMinutes(10)));
    }

    private void sql(String statement) {
        jdbi.useHandle(h -> h.execute(statement));
    }

    @Test
    void transfersAndEntriesCannotBeUpdatedOrDeleted() {
        assertThatThrownBy(() -> sql("UPDATE ledger_transfers SET amount = 1 WHERE id = 't1'"))
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> sql("DELETE FROM ledger_transfers WHERE id = 't1'"))
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> sql("UPDATE ledger_entries SET amount = amount + 1"))
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> sql("DELETE FROM ledger_entries")).hasMessageContaining("append-only");
        assertThatThrownBy(() -> sql("DELETE FROM ledger_failed_transfers")).hasMessageContaining("append-only");
        assertThat(ledger.balance(ALICE).available()).isEqualTo(700);
    }

    @Test
    void aWalletCannotGoNegativeEvenBehindTheFunctionsBack() {
        assertThatThrownBy(() -> sql("UPDATE ledger_balances SET debits_posted = debits_posted + 701 "
                + "WHERE account_id = 'wallet:1001'"))
                .hasMessageContaining("ledger_balances_wallet_available_not_negative");
        assertThatThrownBy(() -> sql("INSERT INTO ledger_balances (account_id, shard, debits_posted) "
                + "VALUES ('wallet:2002', 0, 5)"))
                .hasMessageContaining("ledger_balances_wallet_available_not_negative");
        // a wallet has a single balance row
        assertThatThrownBy(() -> sql("INSERT INTO ledger_balances (account_id, shard, credits_posted) "
                + "VALUES ('wallet:1001', 3, 5)"))
                .hasMessageContaining("ledger_balances_wallet_available_not_negative");
        // system accounts may go negative
        sql("UPDATE ledger_balances SET debits_posted = debits_posted + 1 WHERE account_id = 'clearing:stars' "
                + "AND shard = (SELECT min(shard) FROM ledger_balances WHERE account_id = 'clearing:stars')");
    }

    @Test
    void unbalancedEntriesAreRefused() {
        sql("INSERT INTO ledger_transfers (id, debit_account, credit_account, amount, kind, phase, created_at) "
                + "VALUES ('x', 'clearing:stars', 'wallet:1001', 5, 'TOP_UP_STARS', 'POSTED', now())");
        assertThatThrownBy(() -> sql("INSERT INTO ledger_entries (transfer_id, account_id, direction, status, "
                + "amount) VALUES ('x', 'clearing:stars', 'D', 'posted', 5), ('x', 'wallet:1001', 'C', 'posted', 4)"))
                .hasMessageContaining("do not sum to zero");
        assertThatThrownBy(() -> sql("INSERT INTO ledger_entries (transfer_id, account_id, direction, status, "
                + "amount) VALUES ('x', 'clearing:stars', 'D', 'posted', 5)"))
                .hasMessageContaining("do not sum to zero");
        assertThatThrownBy(() -> sql("INSERT INTO ledger_entries (transfer_id, account_id, direction, status, "
                + "amount) VALUES ('x', 'clearing:stars', 'D', 'posted', 5), ('x', 'wallet:1001', 'C', 'pending', 5)"))
                .hasMessageContaining("do not sum to zero");
    }

    @Test
    void aHoldCanBeResolvedOnlyOnceAndTransferIdsAreUnique() {
        assertThat(ledger.post(Ledger.postId("gen_1"), "gen_1", 300).succeeded()).isTrue();
        assertThatThrownBy(() -> sql("INSERT INTO ledger_transfers (id, debit_account, credit_account, amount, kind, "
                + "phase, pending_id, created_at) VALUES ('v2', 'wallet:1001', 'revenue:generation', 0, 'GENERATION', "
                + "'VOID_PENDING', 'gen_1', now())"))
                .hasMessageContaining("ledger_transfers_resolves_once");
        assertThatThrownBy(() -> sql("INSERT INTO ledger_transfers (id, debit_account, credit_account, amount, kind, "
                + "phase, created_at) VALUES ('t1', 'clearing:stars', 'wallet:1001', 5, 'TOP_UP_STARS', 'POSTED', "
                + "now())"))
                .hasMessageContaining("ledger_transfers_pkey");
    }

    @Test
    void malformedTransfersAreRefused() {
        assertThatThrownBy(() -> sql("INSERT INTO ledger_transfers (id, debit_account, credit_account, amount, kind, "
                + "phase, created_at) VALUES ('m1', 'wallet:1001', 'wallet:1001', 5, 'GRANT', 'POSTED', now())"))
                .hasMessageContaining("ledger_transfers_shape");
        assertThatThrownBy(() -> sql("INSERT INTO ledger_transfers (id, debit_account, credit_account, amount, kind, "
                + "phase, created_at) VALUES ('m2', 'clearing:stars', 'wallet:1001', 0, 'GRANT', 'POSTED', now())"))
                .hasMessageContaining("ledger_transfers_shape");
        assertThatThrownBy(() -> sql("INSERT INTO ledger_transfers (id, debit_account, credit_account, amount, kind, "
                + "phase, created_at) VALUES ('m3', 'wallet:1001', 'revenue:generation', 5, 'GENERATION', 'PENDING', "
                + "now())"))
                .hasMessageContaining("ledger_transfers_shape");
        assertThatThrownBy(() -> sql("INSERT INTO ledger_transfers (id, debit_account, credit_account, amount, kind, "
                + "phase, created_at) VALUES ('m4', 'clearing:stars', 'wallet:1001', 5, 'BONUS', 'POSTED', now())"))
                .hasMessageContaining("ledger_kind");
        assertThat(LedgerInvariants.violations(jdbi)).isEmpty();
    }
}
