package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kiebot.core.payments.ExternalRefundDue;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The migration that makes refunds' dues durable keeps those of the refunds taken back before it, read from their audit
 * lines not purged yet: without them, a refund that found the wallet short before the upgrade would be forgotten at
 * its line's purge, and a later refund of its payment could take back more than the payment.
 */
class ExternalRefundDuesMigrationTest {
    private static final String SCRIPT = "V29__external_refund_dues.sql";
    private static final String SCHEMA = "kiebot_dues_" + System.nanoTime() % 100_000;
    private static final Instant AT = Instant.parse("2026-11-21T10:00:00Z");

    @AfterEach
    void dropSchema() {
        TestDatabase.jdbi().useHandle(h -> h.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE"));
    }

    @Test
    void theRefundsAuditedBeforeTheMigrationKeepWhatEachWasDue() {
        DatabaseSettings settings = TestDatabase.settings().withPoolSize(2).withSchema(SCHEMA);
        // a schema as the build before left it: no dues, refunds' audit lines in the trail
        try (Database before = Database.connect(settings)) {
            before.jdbi().useHandle(h -> {
                // and none after it: Flyway applies no migration below the schema's latest
                TestDatabase.forgetMigrationsFrom(h, SCRIPT);
                h.execute("DROP TABLE external_refund_dues");
                String line = "INSERT INTO audit_events (at, actor, action, detail, correlation_id) VALUES (?, 'u', ?, "
                        + "?, ?)";
                h.execute(line, Sql.ts(AT), "topup.external_refund", "stripe pi_1: refund re_1 of 60000, took back 0; "
                        + "60000 was spent before the refund: the shop's loss", "external:stripe:pi_1");
                h.execute(line, Sql.ts(AT.plusSeconds(1)), "topup.external_refund", "stripe pi_1: refund re_2 of "
                        + "5000, took back 5000", "external:stripe:pi_1");
                h.execute(line, Sql.ts(AT.plusSeconds(2)), "topup.external_refund", "yookassa 2c5f:11: took back "
                        + "20000 of 50000; 30000 was spent before the refund: the shop's loss",
                        "external:yookassa:2c5f:11");
                h.execute(line, Sql.ts(AT.plusSeconds(3)), "topup.external_refund", "stripe pi_2: took back 7000 of "
                        + "7000", "external:stripe:pi_2");
                h.execute(line, Sql.ts(AT.plusSeconds(4)), "topup.external", "stripe pi_3 -> 1000",
                        "external:stripe:pi_3");
                h.execute(line, Sql.ts(AT.plusSeconds(5)), "topup.external_refund", "a line of no known form",
                        "external:stripe:pi_4");
            });
        }

        try (Database after = Database.connect(settings)) {
            PgExternalRefundDues dues = new PgExternalRefundDues(after.jdbi());

            assertThat(dues.of("external:stripe:pi_1")).extracting(ExternalRefundDue::refundId, ExternalRefundDue::due,
                    ExternalRefundDue::at).containsExactly(
                    tuple("external-refund:stripe:pi_1 re_1", 60_000L, AT),
                    tuple("external-refund:stripe:pi_1 re_2", 5_000L, AT.plusSeconds(1)));
            assertThat(dues.of("external:yookassa:2c5f:11")).extracting(ExternalRefundDue::refundId,
                    ExternalRefundDue::due).containsExactly(tuple("external-refund:yookassa:2c5f:11", 50_000L));
            assertThat(dues.of("external:stripe:pi_2")).extracting(ExternalRefundDue::refundId, ExternalRefundDue::due)
                    .containsExactly(tuple("external-refund:stripe:pi_2", 7_000L));
            assertThat(dues.of("external:stripe:pi_3")).isEmpty();
            assertThat(dues.of("external:stripe:pi_4")).isEmpty();
        }
    }
}
