package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default without DATABASE_URL: data under DATA_DIR/pg survives a restart. */
class EmbeddedDatabaseTest {

    @Test
    void dataWrittenBeforeARestartIsReadBackAfterIt(@TempDir Path dataDir) {
        DatabaseSettings settings = DatabaseSettings.embedded(dataDir).withPoolSize(2);
        try (Database db = Database.connect(settings)) {
            assertThat(db.embedded()).isPresent();
            assertThat(db.readiness().ready()).isTrue();
            new PgUsers(db.jdbi()).seen(42, "Ann", Optional.of("ann"), Optional.of("en"),
                    Instant.parse("2026-11-21T10:00:00Z"));
        }
        assertThat(dataDir.resolve("pg").resolve("PG_VERSION")).exists();
        try (Database again = Database.connect(settings)) {
            assertThat(new PgUsers(again.jdbi()).find(42)).isPresent().get()
                    .extracting(u -> u.firstName()).isEqualTo("Ann");
            assertThat(again.readiness().ready()).isTrue();
        }
    }

    @Test
    void aSecondProcessCannotOpenTheSameDirectoryWhileTheFirstRuns(@TempDir Path dataDir) {
        try (EmbeddedDatabase first = EmbeddedDatabase.startIn(dataDir.resolve("pg"), false)) {
            assertThat(Files.exists(first.directory().resolve("postmaster.pid"))).isTrue();
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> EmbeddedDatabase.startIn(dataDir.resolve("pg"), false).close())
                    .isInstanceOf(RuntimeException.class);
        }
    }
}
