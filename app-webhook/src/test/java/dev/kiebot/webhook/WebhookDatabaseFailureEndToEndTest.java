package dev.kiebot.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.postgres.testing.FirstUpdateRecordingRefused;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.runtime.testing.CleanLogs;
import dev.kiebot.runtime.testing.E2eWorld;
import dev.kiebot.telegram.fake.FakeUpdates;
import java.time.Clock;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An update the database cannot record (it is down, or refuses the write) is refused with 503, so Telegram delivers
 * it again; nothing about it is logged but the failure's type (the database's error would quote the update); and the
 * next delivery is recorded and answered once.
 */
@ExtendWith(CleanLogs.class)
class WebhookDatabaseFailureEndToEndTest {
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
        server.close();
        world.close();
    }

    @Test
    void anUpdateTheDatabaseRefusesIs503AndTheNextDeliveryIsAnsweredOnce() {
        Jdbi db = TestDatabase.jdbi();
        FirstUpdateRecordingRefused refused = FirstUpdateRecordingRefused.install();
        try {
            String start = updates.command(ALICE, "start", "");
            assertThat(world.telegram.deliverToWebhook(start)).as("refused: Telegram delivers it again").isEqualTo(503);
            assertThat(world.telegram.deliverToWebhook(start)).isEqualTo(200);
            world.awaitText(ALICE, "Balance: 1\u00A0₽");
            assertThat(world.telegram.deliverToWebhook(start)).as("a third delivery is a duplicate").isEqualTo(200);
            E2eWorld.awaitSettled("the three deliveries", db);
            assertThat(world.telegram.textsTo(ALICE).stream().filter(t -> t.contains("Balance: 1\u00A0₽")))
                    .hasSize(1);
            assertThat(world.telegram.webhookUrl()).isNotEmpty();
        } finally {
            refused.close();
        }
    }
}
