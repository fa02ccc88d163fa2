package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the inbox keeps of an update once it is handled: its id only (a re-delivery is known by it), not its body,
 * which was most of a row kept for a week; and handled updates are forgotten a bounded number per statement.
 */
class PgProcessedUpdatesRetentionTest {
    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
    private static final String BODY = "{\"update_id\":1,\"message\":{\"text\":\"" + "x".repeat(400) + "\"}}";

    private final PgProcessedUpdates inbox = new PgProcessedUpdates(TestDatabase.jdbi());

    @BeforeEach
    @AfterEach
    void empty() {
        TestDatabase.truncateAll();
    }

    @Test
    void aHandledUpdateKeepsNoBodyAndItsRedeliveryIsStillKnown() {
        inbox.record(1, 10, BODY, T0);
        inbox.record(2, 10, BODY, T0);
        inbox.done(inbox.claimNext().orElseThrow().updateId(), T0);

        assertThat(payload(1)).as("the handled update's body").isEmpty();
        assertThat(inbox.record(1, 10, BODY, T0.plusSeconds(60))).as("a re-delivery of the handled update").isFalse();
        assertThat(inbox.claimNext().orElseThrow().payload()).as("the next, not handled yet, whole").isEqualTo(BODY);
        assertThat(payload(2)).isEqualTo(BODY);
    }

    @Test
    void thePurgeForgetsTheOldestHandledUpdatesAtMostItsLimitAtATime() {
        Instant cutoff = T0.plus(Duration.ofDays(7));
        for (long id = 1; id <= 3; id++) {
            inbox.record(id, id, BODY, T0);
            inbox.done(id, T0);
        }
        inbox.record(4, 4, BODY, T0); // old, never handled
        inbox.record(5, 5, BODY, cutoff); // handled, young
        inbox.done(5, cutoff);

        assertThat(inbox.purge(cutoff, 2)).isEqualTo(2);
        assertThat(inbox.purge(cutoff, 2)).isEqualTo(1);
        assertThat(inbox.purge(cutoff, 2)).isZero();
        assertThat(ids()).containsExactly(4L, 5L);
    }

    private static String payload(long id) {
        return TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT payload FROM processed_updates "
                + "WHERE update_id = :id").bind("id", id).mapTo(String.class).one());
    }

    private static List<Long> ids() {
        return TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT update_id FROM processed_updates "
                + "ORDER BY update_id").mapTo(Long.class).list());
    }
}
