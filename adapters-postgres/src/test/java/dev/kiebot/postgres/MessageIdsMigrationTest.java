package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.postgres.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The migration that makes message ids 64-bit (a Discord snowflake is past {@code integer}) keeps the rows the build
 * before wrote, and applies again over a schema it already changed.
 */
class MessageIdsMigrationTest {
    private static final String SCRIPT = "V34__message_ids_bigint.sql";
    private static final String SCHEMA = "kiebot_ids_" + System.nanoTime() % 100_000;
    private static final long SNOWFLAKE = 1_312_345_678_901_234_567L;

    @AfterEach
    void dropSchema() {
        TestDatabase.jdbi().useHandle(h -> h.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE"));
    }

    @Test
    void theIdsTheBuildBeforeWroteStayAndAnIdPastIntegerIsKeptWhole() {
        DatabaseSettings settings = TestDatabase.settings().withPoolSize(2).withSchema(SCHEMA);
        // a schema as the build before left it: integer message ids, a tag written by it
        try (Database before = Database.connect(settings)) {
            before.jdbi().useHandle(h -> {
                TestDatabase.forgetMigrationsFrom(h, SCRIPT);
                h.execute("ALTER TABLE jobs ALTER COLUMN status_message_id TYPE integer");
                h.execute("ALTER TABLE broadcasts ALTER COLUMN progress_message_id TYPE integer");
                h.execute("ALTER TABLE tagged_messages ALTER COLUMN message_id TYPE integer");
                h.execute("INSERT INTO tagged_messages (chat_id, tag, message_id) VALUES (5, 'status', 2147483647)");
            });
        }

        try (Database after = Database.connect(settings)) {
            assertThat(types(after)).hasSize(3).containsOnly("bigint");
            PgPendingReplies replies = new PgPendingReplies(after.jdbi());
            assertThat(replies.taggedMessage(5, "status")).as("the old build's tag").contains(2_147_483_647L);
            replies.tag(6, "status", SNOWFLAKE);
            assertThat(replies.taggedMessage(6, "status")).contains(SNOWFLAKE);
        }
        // and again over the changed schema: bigint to bigint changes nothing
        try (Database again = Database.connect(settings)) {
            again.jdbi().useHandle(h -> TestDatabase.forgetMigrationsFrom(h, SCRIPT));
        }
        try (Database again = Database.connect(settings)) {
            assertThat(types(again)).hasSize(3).containsOnly("bigint");
            assertThat(new PgPendingReplies(again.jdbi()).taggedMessage(6, "status")).contains(SNOWFLAKE);
        }
    }

    private static List<String> types(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT data_type FROM information_schema.columns "
                        + "WHERE table_schema = current_schema() AND (table_name, column_name) IN (('jobs', "
                        + "'status_message_id'), ('broadcasts', 'progress_message_id'), ('tagged_messages', "
                        + "'message_id'))")
                .mapTo(String.class).list());
    }
}
