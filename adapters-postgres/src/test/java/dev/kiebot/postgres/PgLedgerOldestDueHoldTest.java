package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.postgres.testing.StatementsSeen;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.junit.jupiter.api.Test;

/**
 * {@link PgLedger#oldestDueHold}, which the shop's sweep of expired holds reads every minute, is one indexed statement
 * however many holds and wallets there are. {@code LedgerContract} cannot see a missing override: the port's default
 * gives the same answer, reading the list of accounts and then every account's transfers (a statement per account
 * ever touched, on tables never purged), so the cost is pinned here.
 */
class PgLedgerOldestDueHoldTest {
    private static final int WALLETS = 30;

    @Test
    void theOldestDueHoldIsOneStatementWhateverTheHoldsAndWallets() {
        TestDatabase.truncateAll();
        Database db = TestDatabase.get();
        MutableClock clock = MutableClock.at("2026-12-07T12:00:00Z");
        PgLedger ledger = new PgLedger(db, clock);
        for (int i = 0; i < WALLETS; i++) {
            AccountId wallet = AccountId.wallet(7_000 + i);
            assertThat(ledger.transfer("topup:" + i, AccountId.STARS_CLEARING, wallet, 1_000,
                    TransferKind.TOP_UP_STARS).succeeded()).isTrue();
            assertThat(ledger.hold("gen_" + (100 + i), wallet, AccountId.REVENUE, 100, TransferKind.GENERATION,
                    clock.instant().plusSeconds(i)).succeeded()).isTrue();
        }
        clock.advance(Duration.ofHours(1));

        Thread reading = Thread.currentThread();
        List<String> statements = new CopyOnWriteArrayList<>();
        SqlLogger kept = StatementsSeen.by(db.jdbi(), context -> {
            if (Thread.currentThread() == reading) {
                statements.add(context.getRenderedSql());
            }
        });
        try {
            assertThat(ledger.oldestDueHold(clock.instant())).map(Transfer::id).contains("gen_100");
        } finally {
            db.jdbi().getConfig(SqlStatements.class).setSqlLogger(kept);
        }
        assertThat(statements).as("one read of ledger_open_holds by its deadline index, not the port's default")
                .singleElement().asString().contains("ledger_open_holds");
    }
}
