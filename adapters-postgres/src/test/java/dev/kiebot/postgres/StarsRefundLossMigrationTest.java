package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The migration that lets the ledger book a Stars refund's unrecovered part as a kind of its own: the loss is
 * recorded and read back as {@link TransferKind#STARS_REFUND_LOSS}, and the migration applied again changes nothing.
 */
class StarsRefundLossMigrationTest {
    private static final String SCRIPT = "V43__stars_refund_loss.sql";
    private static final String SCHEMA = "kiebot_starsloss_" + System.nanoTime() % 100_000;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);

    @AfterEach
    void dropSchema() {
        TestDatabase.jdbi().useHandle(h -> h.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE"));
    }

    @Test
    void aStarsRefundLossIsBookedAndTheMigrationAppliedAgainChangesNothing() {
        DatabaseSettings settings = TestDatabase.settings().withPoolSize(2).withSchema(SCHEMA);
        try (Database db = Database.connect(settings)) {
            PgLedger ledger = new PgLedger(db, CLOCK);
            assertThat(ledger.transfer("stars-loss:ch-1", AccountId.STARS_REFUND_LOSS, AccountId.STARS_CLEARING, 7_500,
                    TransferKind.STARS_REFUND_LOSS).succeeded()).isTrue();
            db.jdbi().useHandle(h -> TestDatabase.forgetMigrationsFrom(h, SCRIPT));
        }
        try (Database db = Database.connect(settings)) {
            PgLedger ledger = new PgLedger(db, CLOCK);
            assertThat(ledger.find("stars-loss:ch-1")).hasValueSatisfying(t -> {
                assertThat(t.kind()).isEqualTo(TransferKind.STARS_REFUND_LOSS);
                assertThat(t.amount()).isEqualTo(7_500);
            });
            assertThat(ledger.transfer("stars-loss:ch-2", AccountId.STARS_REFUND_LOSS, AccountId.STARS_CLEARING, 100,
                    TransferKind.STARS_REFUND_LOSS).succeeded()).as("applied again").isTrue();
        }
    }
}
