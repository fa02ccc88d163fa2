package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.postgres.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a start does with the schema it finds: migrates only when it is behind, refuses another application's
 * tables or Flyway history (naming them), adds kiebot's tables next to them with DATABASE_BASELINE, and keeps
 * kiebot in a schema of its own with DATABASE_SCHEMA.
 */
class SchemaUpgradeTest {
    private static final String EARLIER = "earlier_bot_" + System.nanoTime() % 100_000;
    private static final String OWN = "kiebot_own_" + System.nanoTime() % 100_000;

    @AfterEach
    void dropSchemas() {
        TestDatabase.jdbi().useHandle(h -> {
            h.execute("DROP SCHEMA IF EXISTS " + EARLIER + " CASCADE");
            h.execute("DROP SCHEMA IF EXISTS " + OWN + " CASCADE");
        });
    }

    private static void earlierBotTables() {
        TestDatabase.jdbi().useHandle(h -> {
            h.execute("CREATE SCHEMA " + EARLIER);
            h.execute("CREATE TABLE " + EARLIER + ".alembic_version (version_num text)");
            h.execute("CREATE TABLE " + EARLIER + ".generations (id serial, user_id bigint)");
            h.execute("CREATE TABLE " + EARLIER + ".balances (user_id bigint, rub numeric)");
        });
    }

    private static DatabaseSettings in(String schema) {
        return TestDatabase.settings().withPoolSize(2).withSchema(schema);
    }

    @Test
    void aSchemaHoldingAnotherApplicationsTablesIsRefusedNamingThemAndWhatToDo() {
        earlierBotTables();

        assertThatThrownBy(() -> Database.connect(in(EARLIER)))
                .isInstanceOf(ForeignSchemaException.class)
                .hasMessageContaining("alembic_version, balances, generations")
                .hasMessageContaining("DATABASE_SCHEMA")
                .hasMessageContaining("DATABASE_BASELINE")
                .hasMessageContaining("new, empty database");
        assertThat(tables(EARLIER)).containsExactly("alembic_version", "balances", "generations");
    }

    @Test
    void withBaselineKiebotsTablesGoNextToThemAndTheirsStay() {
        earlierBotTables();

        try (Database db = Database.connect(in(EARLIER).withBaseline(true))) {
            assertThat(db.readiness().ready()).isTrue();
        }
        assertThat(tables(EARLIER)).contains("alembic_version", "balances", "generations", "ledger_transfers",
                "jobs", "flyway_schema_history");
        // the next start finds kiebot's history (with its baseline mark) and starts without the option
        try (Database again = Database.connect(in(EARLIER))) {
            assertThat(again.readiness().ready()).isTrue();
        }
    }

    @Test
    void aSchemaOfItsOwnIsCreatedAndUsedByEveryConnection() throws Exception {
        try (Database db = Database.connect(in(OWN))) {
            assertThat(tables(OWN)).contains("ledger_transfers", "jobs", "flyway_schema_history");
            String current = db.jdbi().withHandle(h -> h.createQuery("SELECT current_schema()")
                    .mapTo(String.class).one());
            assertThat(current).isEqualTo(OWN);
            try (var c = db.openDedicatedConnection("schema-test"); var st = c.createStatement();
                 var rs = st.executeQuery("SELECT current_schema()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(OWN);
            }
            assertThat(db.readiness().ready()).isTrue();
        }
    }

    /**
     * An older build started on a schema a newer one migrated (a rollback) is refused, naming both versions and what
     * to do: Flyway only warned, and the old code would write rows the newer schema does not expect.
     */
    @Test
    void aSchemaNewerThanThisBuildIsRefusedNamingBothVersions() {
        try (Database db = Database.connect(in(OWN))) {
            db.jdbi().useHandle(h -> h.execute("INSERT INTO flyway_schema_history (installed_rank, version, "
                    + "description, type, script, checksum, installed_by, execution_time, success) VALUES "
                    + "(1000, '999', 'from a newer build', 'SQL', 'V999__newer.sql', 1, 'x', 1, true)"));
        }

        assertThatThrownBy(() -> Database.connect(in(OWN)))
                .isInstanceOf(SchemaNewerThanBuildException.class)
                .hasMessageContaining("at version 999, newer than this build's " + BundledMigrations.newest())
                .hasMessageContaining("restore the backup");
    }

    /**
     * An upgrade says in the log that it migrated, from which version to which (the version a rollback must compare
     * with), how many and how long: Flyway's own lines are held at WARN, and an upgrade left no trace. A start that
     * migrates nothing says nothing of it.
     */
    @Test
    void aMigrationLogsOneLineFromWhichVersionToWhichAndAStartWithNothingToMigrateNone() {
        String newest = BundledMigrations.newest();
        long after38 = BundledMigrations.versions().stream().filter(v -> BundledMigrations.compare(v, "38") > 0)
                .count();
        try (Database db = Database.connect(in(OWN))) {
            // the history cut as a build at V38 left it (its later migrations are applied again over themselves)
            db.jdbi().useHandle(h -> TestDatabase.forgetMigrationsFrom(h, "V39__users_seen_hot.sql"));
        }

        try (LoggedLines log = LoggedLines.of(SchemaUpgrade.class)) {
            try (Database upgraded = Database.connect(in(OWN))) {
                assertThat(upgraded.readiness().ready()).isTrue();
            }
            assertThat(log.messages()).singleElement().asString()
                    .startsWith("schema migrated from 38 to " + newest + ": " + after38 + " migrations in ")
                    .matches(".* in \\d+\\.\\d s");
            assertThat(log.levelsOf("schema migrated")).containsExactly(ch.qos.logback.classic.Level.INFO);

            try (Database again = Database.connect(in(OWN))) {
                assertThat(again.readiness().ready()).isTrue();
            }
            assertThat(log.levelsOf("schema migrated")).as("nothing migrated, nothing said").hasSize(1);
        }
    }

    @Test
    void anotherApplicationsFlywayHistoryIsRefused() {
        TestDatabase.jdbi().useHandle(h -> {
            h.execute("CREATE SCHEMA " + EARLIER);
            h.execute("CREATE TABLE " + EARLIER + ".flyway_schema_history (installed_rank int, version text, "
                    + "description text, type text, script text, checksum int, installed_by text, "
                    + "installed_on timestamp DEFAULT now(), execution_time int, success boolean)");
            h.execute("INSERT INTO " + EARLIER + ".flyway_schema_history VALUES (1, '1', 'init', 'SQL', "
                    + "'V1__init_shop.sql', 1, 'x', now(), 1, true)");
        });

        assertThatThrownBy(() -> Database.connect(in(EARLIER)))
                .isInstanceOf(ForeignSchemaException.class)
                .hasMessageContaining("V1__init_shop.sql")
                .hasMessageContaining("DATABASE_SCHEMA");
    }

    @Test
    void anUpToDateSchemaIsNotHandedToFlywayAtAllAndABehindOneIs() {
        try (Database first = Database.connect(in(OWN))) {
            assertThat(first.readiness().ready()).isTrue();
        }
        // Flyway validates checksums before migrating: had it run, this edited checksum would stop the start
        TestDatabase.jdbi().useHandle(h -> h.execute("UPDATE " + OWN + ".flyway_schema_history "
                + "SET checksum = checksum + 1 WHERE script = 'V1__ledger.sql'"));
        try (Database upToDate = Database.connect(in(OWN))) {
            assertThat(upToDate.readiness().ready()).isTrue();
        }
        String newest = BundledMigrations.newest();
        TestDatabase.jdbi().useHandle(h -> h.execute("DELETE FROM " + OWN + ".flyway_schema_history "
                + "WHERE version = '" + newest + "'"));
        assertThatThrownBy(() -> Database.connect(in(OWN)))
                .as("a schema behind this build goes through Flyway, which validates")
                .hasMessageContaining("checksum");
    }

    @Test
    void theBundledMigrationsAreFoundAndOrderedAsFlywayOrdersThem() {
        assertThat(BundledMigrations.versions()).contains("1", "2", "3", "4", "5");
        assertThat(BundledMigrations.newest()).isEqualTo(BundledMigrations.versions().stream()
                .max(BundledMigrations::compare).orElseThrow());
        assertThat(BundledMigrations.compare("9", "10")).isNegative();
        assertThat(BundledMigrations.compare("6", "6.1")).isNegative();
        assertThat(BundledMigrations.compare("6.0", "6")).isZero();
        assertThat(BundledMigrations.compare("12", "5")).isPositive();
    }

    private static List<String> tables(String schema) {
        return TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT tablename FROM pg_tables "
                + "WHERE schemaname = :s ORDER BY tablename").bind("s", schema).mapTo(String.class).list());
    }
}
