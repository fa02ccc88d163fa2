package dev.kiebot.webhook;

import static dev.kiebot.runtime.testing.E2eWorld.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.runtime.testing.E2eWorld;
import dev.kiebot.telegram.fake.FakeUpdates;
import java.time.Clock;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A read-only database (a replica after a failover, a provider's storage-quota lock) answers reads, so /readyz said
 * "db": true while no update could be recorded and no payment credited (review R1). Its {@code dbWrites} says the
 * database refuses writes, without taking the instance out of rotation, and says so no longer once writes are taken.
 */
class WebhookDatabaseWritesEndToEndTest {
    private static final long ALICE = 5_550_001;

    private E2eWorld world;
    private FakeUpdates updates;
    private WebhookServer server;

    @BeforeEach
    void start() {
        world = new E2eWorld();
        updates = world.telegram.updates();
        server = FreePortWebhook.startRegistered(world.env(Map.of()), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        try {
            writable(TestDatabase.jdbi());
        } finally {
            server.close();
            world.close();
        }
    }

    @Test
    void readyzTellsOfADatabaseRefusingWritesWhileItAnswersReads() {
        Jdbi db = TestDatabase.jdbi();
        assertThat(world.telegram.deliverToWebhook(updates.command(ALICE, "start", ""))).isEqualTo(200);
        world.awaitText(ALICE, "Balance: 1\u00A0₽");
        assertThat(server.bot().health().report()).containsEntry("db", true).containsEntry("dbWrites", true);

        db.useHandle(h -> {
            h.execute("ALTER SYSTEM SET default_transaction_read_only = on");
            h.execute("SELECT pg_reload_conf()");
        });
        // each session reads the setting again at its next command: a later update is refused once it is read
        await("an update refused by the read-only database",
                () -> world.telegram.deliverToWebhook(updates.command(ALICE, "balance", "")) == 503);
        assertThat(server.bot().health().report()).as("reads work, writes do not")
                .containsEntry("db", true).containsEntry("dbWrites", false);

        writable(db);
        String again = updates.command(ALICE, "balance", "");
        await("an update recorded again", () -> world.telegram.deliverToWebhook(again) == 200);
        await("dbWrites true again", () -> Boolean.TRUE.equals(server.bot().health().report().get("dbWrites")));
    }

    private static void writable(Jdbi db) {
        db.useHandle(h -> {
            h.execute("SET default_transaction_read_only = off");
            h.execute("ALTER SYSTEM RESET default_transaction_read_only");
            h.execute("SELECT pg_reload_conf()");
        });
    }
}
