package dev.kiebot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.postgres.Readiness;
import dev.kiebot.runtime.http.Health;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * /readyz said {@code db: false} and no reason: the runtime dropped the probe's {@code Readiness.detail()}. Its detail
 * (shown only to a caller {@code MetricsAccess} lets see it) now says why, as the probe said it: an exception's class,
 * never its message.
 */
class ReadinessDetailTest {
    private final AtomicReference<Readiness> database = new AtomicReference<>();
    private final AtomicReference<Optional<String>> schemaVersion = new AtomicReference<>(Optional.empty());
    private final AtomicReference<Optional<String>> failure = new AtomicReference<>(Optional.empty());

    private Health health() {
        Health h = new Health("polling", "lock", Kiebot.databaseProbe(database::get, schemaVersion, failure));
        h.migrated();
        h.telegramReady(true);
        h.schemaVersion(schemaVersion::get);
        h.databaseDetail(failure::get);
        return h;
    }

    @Test
    void anUnreachableDatabaseIsShownWithTheProbesReason() {
        database.set(new Readiness(false, false, "database unreachable: PSQLException", Optional.empty()));

        assertThat(health().report()).containsEntry("db", false).containsEntry("ready", false)
                .containsEntry("dbDetail", "database unreachable: PSQLException");
    }

    @Test
    void aSchemaBehindTheBuildIsShownWithBothVersions() {
        database.set(new Readiness(true, false, "schema version 47, expected 48", Optional.of("47")));

        assertThat(health().report()).containsEntry("db", false)
                .containsEntry("dbDetail", "schema version 47, expected 48").containsEntry("schemaVersion", 47);
    }

    @Test
    void aReadyDatabaseHasNoDetail() {
        database.set(new Readiness(true, true, "schema version 48", Optional.of("48")));

        assertThat(health().report()).containsEntry("db", true).containsEntry("dbDetail", null);
    }
}
