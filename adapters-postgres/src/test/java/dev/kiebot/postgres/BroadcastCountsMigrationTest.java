package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.broadcast.Tally;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The migration that keeps a finished broadcast's figures on its row gives those the build before finished their
 * figures from their recipients, so they too can lose their recipients and still report the same; applied again after
 * that, it changes nothing.
 */
class BroadcastCountsMigrationTest {
    private static final String SCRIPT = "V37__broadcast_counts.sql";
    private static final String SCHEMA = "kiebot_bcounts_" + System.nanoTime() % 100_000;
    private static final Instant CREATED = Instant.parse("2026-01-10T09:00:00Z");

    @AfterEach
    void dropSchema() {
        TestDatabase.jdbi().useHandle(h -> h.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE"));
    }

    @Test
    void aBroadcastTheBuildBeforeFinishedKeepsItsFiguresAndLosesItsRecipientsLikeANewOne() {
        DatabaseSettings settings = TestDatabase.settings().withPoolSize(2).withSchema(SCHEMA);
        long id;
        // a schema as the build before left it: a broadcast done, its figures only in its recipients' rows
        try (Database before = Database.connect(settings)) {
            id = before.jdbi().withHandle(h -> {
                TestDatabase.forgetMigrationsFrom(h, SCRIPT);
                h.execute("ALTER TABLE broadcasts DROP COLUMN finished_at, DROP COLUMN sent, DROP COLUMN blocked, "
                        + "DROP COLUMN failed");
                long b = h.createQuery("INSERT INTO broadcasts (admin_id, chat_id, text, state, recipients, skipped, "
                                + "created_at) VALUES (1, 1, 'x', 'DONE', 4, 2, :at) RETURNING id")
                        .bind("at", Sql.ts(CREATED)).mapTo(Long.class).one();
                h.execute("INSERT INTO broadcast_recipients (broadcast_id, user_id, claimed_at, outcome) VALUES "
                        + "(?, 1, now(), 'SENT'), (?, 2, now(), 'BLOCKED'), (?, 3, now(), 'ABANDONED'), "
                        + "(?, 4, now(), 'SENT')", b, b, b, b);
                return b;
            });
        }
        Tally figures = new Tally(4, 0, 0, 2, 1, 1, 2);

        try (Database after = Database.connect(settings)) {
            PgBroadcasts broadcasts = new PgBroadcasts(after.jdbi());
            assertThat(broadcasts.tally(id)).isEqualTo(figures);
            assertThat(broadcasts.forgetRecipients(CREATED, 10)).as("its start stands for its end").isZero();
            assertThat(broadcasts.forgetRecipients(CREATED.plusSeconds(1), 10)).isEqualTo(4);
            assertThat(broadcasts.tally(id)).isEqualTo(figures);
            after.jdbi().useHandle(h -> TestDatabase.forgetMigrationsFrom(h, SCRIPT));
        }
        try (Database again = Database.connect(settings)) {
            assertThat(new PgBroadcasts(again.jdbi()).tally(id)).as("applied again, no rows to count").isEqualTo(figures);
        }
    }
}
