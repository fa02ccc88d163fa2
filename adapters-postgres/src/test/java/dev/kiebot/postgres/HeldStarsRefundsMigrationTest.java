package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.payments.HeldStarsRefund;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The migration that keeps what a reported Stars refund is owed from a running hold: a record kept before the
 * migration is applied again stays (settled or not), and the table takes new ones after it.
 */
class HeldStarsRefundsMigrationTest {
    private static final String SCRIPT = "V44__held_stars_refunds.sql";
    private static final String SCHEMA = "kiebot_starsheld_" + System.nanoTime() % 100_000;
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    @AfterEach
    void dropSchema() {
        TestDatabase.jdbi().useHandle(h -> h.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE"));
    }

    @Test
    void aRecordKeptBeforeStaysAndTheMigrationAppliedAgainChangesNothing() {
        DatabaseSettings settings = TestDatabase.settings().withPoolSize(2).withSchema(SCHEMA);
        HeldStarsRefund first = new HeldStarsRefund("ch-1", "gen_1", 42, 300, T0);
        try (Database db = Database.connect(settings)) {
            PgPayments payments = new PgPayments(db.jdbi());
            assertThat(payments.recordHeldRefund(first)).isTrue();
            assertThat(payments.heldRefundSettled("ch-1", "gen_1")).isTrue();
            db.jdbi().useHandle(h -> TestDatabase.forgetMigrationsFrom(h, SCRIPT));
        }
        try (Database db = Database.connect(settings)) {
            PgPayments payments = new PgPayments(db.jdbi());
            assertThat(payments.heldRefundsOnHold("gen_1")).containsExactly(first);
            assertThat(payments.openHeldRefunds(10)).as("settled before: still").isEmpty();
            HeldStarsRefund second = new HeldStarsRefund("ch-2", "gen_1", 42, 200, T0.plusSeconds(1));
            assertThat(payments.recordHeldRefund(second)).as("applied again").isTrue();
            // listed once its hold is resolved (openHeldRefunds reads the ledger's holds)
            PgLedger ledger = new PgLedger(db, java.time.Clock.systemUTC());
            dev.kiebot.core.ledger.AccountId wallet = dev.kiebot.core.ledger.AccountId.wallet(42);
            assertThat(ledger.transfer("fund", dev.kiebot.core.ledger.AccountId.STARS_CLEARING, wallet, 500,
                    dev.kiebot.core.ledger.TransferKind.TOP_UP_STARS).succeeded()).isTrue();
            assertThat(ledger.hold("gen_1", wallet, dev.kiebot.core.ledger.AccountId.REVENUE, 500,
                    dev.kiebot.core.ledger.TransferKind.GENERATION, java.time.Instant.now().plusSeconds(3600))
                    .succeeded()).isTrue();
            assertThat(ledger.voidHold(dev.kiebot.core.ledger.Ledger.voidId("gen_1"), "gen_1").succeeded()).isTrue();
            assertThat(payments.openHeldRefunds(10)).containsExactly(second);
        }
    }
}
