package dev.kiebot.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings kiebot's schema to this build's newest migration, and only then loads Flyway: a restart on an
 * up-to-date schema reads Flyway's history with one query and goes on. A schema that holds another
 * application's tables (a database carried over from an earlier bot) is refused with their names, unless the
 * operator allows kiebot's tables next to them ({@code DATABASE_BASELINE}).
 */
final class SchemaUpgrade {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaUpgrade.class);

    private SchemaUpgrade() {
    }

    /**
     * @param pool a connection of it reads the schema's state; Flyway uses connections of its own
     * @return the schema version now in effect
     * @throws ForeignSchemaException when the schema belongs to something else
     * @throws SchemaNewerThanBuildException when a newer kiebot migrated it
     */
    static String toNewest(DataSource pool, DatabaseSettings s) {
        SchemaState state;
        try (Connection c = pool.getConnection()) {
            state = SchemaState.read(c, s.schema());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the schema's state: " + e.getMessage(), e);
        }
        String bundled = BundledMigrations.newest();
        if (state.upToDate(bundled)) {
            LOG.debug("schema {} is at version {}: nothing to migrate", state.schema(), bundled);
            return bundled;
        }
        if (state.hasHistory() && !state.historyIsOurs()) {
            throw new ForeignSchemaException(foreignHistory(state));
        }
        if (state.hasHistory() && !bundled.isEmpty()
                && BundledMigrations.compare(state.newestApplied(), bundled) > 0) {
            // an older build back on a schema a newer one migrated (a rollback): it would write rows the newer
            // schema does not expect (a column it does not know stays empty, a constraint it does not know refuses
            // its writes mid-payment). Flyway only warns of it; a bot that holds money refuses
            throw new SchemaNewerThanBuildException("the database's schema is at version " + state.newestApplied()
                    + ", newer than this build's " + bundled + ": a newer kiebot ran on it. Start that version or a "
                    + "newer one, or restore the backup taken before the upgrade (README: \"Backup, restore\")");
        }
        boolean baseline = state.holdsOtherTables();
        if (baseline && !s.baseline()) {
            throw new ForeignSchemaException(otherTables(state));
        }
        if (baseline) {
            LOG.warn("DATABASE_BASELINE: adding kiebot's tables to schema {}, which holds {} of something else",
                    state.schema(), named(state.otherTables()));
        }
        return migrate(s, baseline);
    }

    private static String migrate(DatabaseSettings s, boolean baseline) {
        // Flyway uses connections of its own (it may need two at once), not the pool's
        FluentConfiguration config = Flyway.configure()
                .dataSource(s.jdbcUrl().orElseThrow(), s.user().isEmpty() ? null : s.user(),
                        s.password().isEmpty() ? null : s.password())
                .locations("classpath:" + BundledMigrations.LOCATION)
                .connectRetries(3);
        s.schema().ifPresent(name -> config.schemas(name).defaultSchema(name).createSchemas(true));
        if (baseline) {
            config.baselineOnMigrate(true).baselineVersion(SchemaState.BASELINE_VERSION)
                    .baselineDescription("kiebot next to existing tables (DATABASE_BASELINE)");
        }
        Flyway flyway = config.load();
        MigrateResult result = flyway.migrate();
        if (result.migrationsExecuted > 0) {
            // the one trace of a migration in the log (Flyway's own lines are held at WARN): after an upgrade the
            // operator reads when the schema moved, from which version (the one a rollback needs), and how long
            // the start waited on it
            LOG.info("{}", migrated(result));
        }
        MigrationInfo current = flyway.info().current();
        return current == null || current.getVersion() == null ? "" : current.getVersion().getVersion();
    }

    /** «schema migrated from 38 to 45: 7 migrations in 0.2 s», or «schema created at version 45: …» when empty. */
    static String migrated(MigrateResult result) {
        String from = result.initialSchemaVersion == null || result.initialSchemaVersion.isEmpty()
                ? "schema created at version " + result.targetSchemaVersion
                : "schema migrated from " + result.initialSchemaVersion + " to " + result.targetSchemaVersion;
        int count = result.migrationsExecuted;
        return from + ": " + count + (count == 1 ? " migration" : " migrations") + " in "
                + String.format(java.util.Locale.ROOT, "%.1f s", result.getTotalMigrationTime() / 1000.0);
    }

    private static String foreignHistory(SchemaState state) {
        return "schema \"" + state.schema() + "\" has a Flyway history that is not kiebot's (it starts with "
                + state.scripts().get(0) + "): kiebot will not migrate another application's schema. "
                + whatToDo(false);
    }

    private static String otherTables(SchemaState state) {
        return "schema \"" + state.schema() + "\" already holds tables that are not kiebot's ("
                + named(state.otherTables()) + "), e.g. an earlier bot's: kiebot will not create its tables among "
                + "them unasked. " + whatToDo(true);
    }

    private static String whatToDo(boolean baselinePossible) {
        return "Point DATABASE_URL at a new, empty database, or set DATABASE_SCHEMA=kiebot to keep kiebot's tables "
                + "in a schema of their own in this database (created on first start)"
                + (baselinePossible ? ", or set DATABASE_BASELINE=1 to add kiebot's tables next to these (no "
                + "table name may clash)." : ".");
    }

    private static String named(List<String> tables) {
        List<String> shown = tables.stream().limit(SchemaState.TABLES_NAMED_MAX).toList();
        return String.join(", ", shown) + (tables.size() > shown.size() ? " and more" : "");
    }
}
