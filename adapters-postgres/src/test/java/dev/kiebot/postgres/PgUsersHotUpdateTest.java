package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every update a bot handles refreshes its user's row ({@link PgUsers#seen}: last seen, names). That write changes no
 * indexed column, so PostgreSQL keeps the new version on the row's page and adds no index entry (a HOT update):
 * with {@code last_seen_at} indexed (before V39) each of them wrote a new entry into every index of users.
 */
class PgUsersHotUpdateTest {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private static final long ID = 7_000_000_042L;
    private Jdbi jdbi;
    private PgUsers users;

    @BeforeEach
    void emptyDatabase() {
        TestDatabase.truncateAll();
        jdbi = TestDatabase.jdbi();
        users = new PgUsers(jdbi);
    }

    @Test
    void aKnownUsersUpdatesRewriteNoIndexEntry() {
        users.seen(ID, "Анна", Optional.of("anna"), Optional.of("ru"), T0);
        int updates = 20;
        long[] counted = jdbi.inTransaction(h -> {
            // the connection's figures not yet reported (PostgreSQL 15+ keeps a backend's counts pending up to a
            // second, and this view shows them with the transaction's): read before and after, the difference is
            // this loop's alone (it failed with 25 of 20 when an earlier test's updates on this connection were pending)
            long[] before = xactUpdates(h);
            for (int i = 1; i <= updates; i++) {
                users.seen(ID, "Анна", Optional.of("anna"), Optional.of("ru"), T0.plus(Duration.ofMinutes(i)));
            }
            long[] after = xactUpdates(h);
            return new long[]{after[0] - before[0], after[1] - before[1]};
        });

        assertThat(counted[0]).as("updates of users").isEqualTo(updates);
        assertThat(counted[1]).as("of them HOT").isEqualTo(updates);
        assertThat(new PgShopFigures(jdbi).activity(ID).lastSeen()).as("last seen is still the newest update's")
                .hasValue(T0.plus(Duration.ofMinutes(updates)));
    }

    private static long[] xactUpdates(org.jdbi.v3.core.Handle h) {
        return h.createQuery("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables "
                        + "WHERE schemaname = current_schema() AND relname = 'users'")
                .map((rs, ctx) -> new long[]{rs.getLong(1), rs.getLong(2)}).one();
    }
}
