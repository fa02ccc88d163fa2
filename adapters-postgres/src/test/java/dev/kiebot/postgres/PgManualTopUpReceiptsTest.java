package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiebot.core.payments.ManualTopUp;
import dev.kiebot.core.payments.ManualTopUpDraft;
import dev.kiebot.postgres.testing.QueryPlans;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lookup of one receipt sent for several card / SBP requests ({@link PgManualTopUps#sharingAReceipt}) among a
 * shop's years of receipts: it finds the requests that share a receipt by its content id through the index on it
 * ({@code V32__manual_topup_receipts.sql}), never by reading every receipt, as each admin's message about a request
 * runs it. Nothing is timed: the plan PostgreSQL chose and the rows it read are checked.
 */
class PgManualTopUpReceiptsTest {
    private static final int RECEIPTS = 50_000;
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private static Jdbi jdbi;
    private static PgManualTopUps store;

    @BeforeAll
    static void yearsOfReceipts() {
        TestDatabase.truncateAll();
        jdbi = TestDatabase.jdbi();
        store = new PgManualTopUps(jdbi);
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO manual_topups (request_key, user_id, chat_id, amount, reference, state, created_at, "
                    + "expires_at, decided_by, decided_at, receipt_file_id) SELECT 'k' || i, i, i, 10000, 'R' || i, "
                    + "'APPROVED', now() - interval '10 days', now() - interval '8 days', 1, now() - interval '9 days', "
                    + "'f' || i FROM generate_series(1, " + RECEIPTS + ") i");
            h.execute("INSERT INTO manual_topup_receipts (request_id, unique_id) SELECT id, 'u' || id "
                    + "FROM manual_topups");
            h.execute("VACUUM ANALYZE manual_topups, manual_topup_receipts");
        });
    }

    @AfterAll
    static void empty() {
        TestDatabase.truncateAll();
    }

    private static ManualTopUp request(String key, long user) {
        return store.create(new ManualTopUpDraft(key, user, user, 50_000, "Q" + key.hashCode(), T0,
                T0.plusSeconds(86_400))).orElseThrow();
    }

    @Test
    void theRequestsSharingAReceiptAreFoundThroughTheIndexOnItsContent() {
        ManualTopUp first = request("first", 42);
        ManualTopUp second = request("second", 42);
        ManualTopUp other = request("other", 43);
        store.claimPaid(first.id());
        store.claimPaid(second.id());
        store.attachReceipt(first.id(), "file-1", Optional.of("AQADsame"));
        store.attachReceipt(second.id(), "file-2", Optional.of("AQADsame"));
        store.attachReceipt(other.id(), "file-3", Optional.of("AQADother"));

        assertThat(store.sharingAReceipt(second.id(), 3)).extracting(ManualTopUp::id).containsExactly(first.id());
        assertThat(store.sharingAReceipt(first.id(), 3)).extracting(ManualTopUp::id).containsExactly(second.id());
        assertThat(store.sharingAReceipt(other.id(), 3)).isEmpty();

        List<JsonNode> scans = new ArrayList<>();
        QueryPlans.scans(plan(second.id()), scans);
        assertThat(scans).isNotEmpty();
        for (JsonNode s : scans) {
            assertThat(s.path("Node Type").asText()).as(s.path("Relation Name").asText() + ": " + s)
                    .isIn("Index Scan", "Index Only Scan", "Bitmap Heap Scan");
            assertThat(QueryPlans.touched(s)).as("rows read of " + s.path("Relation Name").asText()).isLessThanOrEqualTo(10);
        }
    }

    private static JsonNode plan(long id) {
        return QueryPlans.plan(jdbi, PgManualTopUps.SHARING_A_RECEIPT, Map.of("id", id, "n", 3));
    }
}
