package dev.kiebot.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.postgres.Database;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.runtime.config.Settings;
import dev.kiebot.runtime.testing.E2eWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rollback refused: an older build started on a schema a newer one migrated stops with a status of its own, which
 * the systemd unit does not restart on. With the start-failure status (2) it was started again every 10 s, each start
 * meeting the same schema and refusing it again.
 */
class SchemaNewerStartTest {
    private static final String SCHEMA = "kiebot_newer_" + System.nanoTime() % 100_000;

    @AfterEach
    void dropSchema() {
        TestDatabase.jdbi().useHandle(h -> h.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE"));
    }

    @Test
    void aSchemaANewerBuildMigratedStopsTheStartWithItsOwnStatusThatTheUnitDoesNotRestart() throws Exception {
        try (Database db = Database.connect(TestDatabase.settings().withPoolSize(2).withSchema(SCHEMA))) {
            db.jdbi().useHandle(h -> h.execute("INSERT INTO flyway_schema_history (installed_rank, version, "
                    + "description, type, script, checksum, installed_by, execution_time, success) VALUES "
                    + "(1000, '999', 'from a newer build', 'SQL', 'V999__newer.sql', 1, 'x', 1, true)"));
        }
        try (E2eWorld world = new E2eWorld()) {
            Settings settings = Settings.fromEnv(world.env(Map.of("DATABASE_SCHEMA", SCHEMA)));
            assertThatThrownBy(() -> Kiebot.assemble(settings, Clock.systemUTC(), "lock").close())
                    .isInstanceOfSatisfying(StartFailure.class, e -> assertThat(e.status())
                            .isEqualTo(ProcessEnd.SCHEMA_NEWER_THAN_BUILD).isNotEqualTo(StartFailure.STATUS))
                    .hasMessageContaining("the database's schema is at version 999, newer than this build's");
        }
        assertThat(Files.readAllLines(Path.of("..", "deploy", "kiebot.service")))
                .as("the unit does not restart on it").anyMatch(l -> l.startsWith("RestartPreventExitStatus=")
                        && java.util.List.of(l.substring(l.indexOf('=') + 1).split(" "))
                        .contains(Integer.toString(ProcessEnd.SCHEMA_NEWER_THAN_BUILD)));
    }
}
