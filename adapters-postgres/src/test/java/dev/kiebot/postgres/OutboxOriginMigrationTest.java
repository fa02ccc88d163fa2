package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox's origin column (V48): applied again on a schema that has it, it keeps what its rows hold; a reply queued
 * before it (no origin) is claimed with none.
 */
class OutboxOriginMigrationTest {
    private static final String SCRIPT = "V48__outbox_origin.sql";
    private static final String SCHEMA = "kiebot_origin_" + System.nanoTime() % 100_000;
    private static final Instant T0 = Instant.parse("2026-12-07T04:00:00Z");

    @AfterEach
    void dropSchema() {
        TestDatabase.jdbi().useHandle(h -> h.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE"));
    }

    @Test
    void appliedAgainItKeepsTheOriginsAndARowWithoutOneIsClaimedWithNone() {
        DatabaseSettings settings = TestDatabase.settings().withPoolSize(2).withSchema(SCHEMA);
        try (Database db = Database.connect(settings)) {
            PgPendingReplies outbox = PgStores.create(db, java.time.Clock.systemUTC()).pendingReplies();
            outbox.append(List.of(Outgoing.plain(new Reply.SendText(1, "a", Keyboard.NONE))), T0,
                    Optional.of("upd_4711"));
            outbox.append(List.of(Outgoing.plain(new Reply.SendText(2, "b", Keyboard.NONE))), T0);
            db.jdbi().useHandle(h -> TestDatabase.forgetMigrationsFrom(h, SCRIPT));
        }
        try (Database db = Database.connect(settings)) {
            PgPendingReplies outbox = PgStores.create(db, java.time.Clock.systemUTC()).pendingReplies();
            PendingReplies.Queued first = outbox.claim(T0, Duration.ofMinutes(1)).orElseThrow();
            PendingReplies.Queued second = outbox.claim(T0, Duration.ofMinutes(1)).orElseThrow();
            assertThat(List.of(first, second)).extracting(q -> q.chatId() + " " + q.origin())
                    .containsExactlyInAnyOrder("1 Optional[upd_4711]", "2 Optional.empty");
        }
    }
}
