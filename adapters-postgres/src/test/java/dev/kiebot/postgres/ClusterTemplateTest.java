package dev.kiebot.postgres;

import static dev.kiebot.postgres.EmbeddedDatabasePasswordTest.select;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new data directory copied from the template is what initdb and the migrations would have made, with a password
 * of its own; a template that is not whole, or not this build's, is never used.
 */
class ClusterTemplateTest {
    @TempDir
    static Path cacheRoot;
    private static PostgresBinaries binaries;
    private static Path template;

    @BeforeAll
    static void makeTheTemplate() {
        binaries = PostgresBinaries.unpackedUnder(cacheRoot);
        template = ClusterTemplate.make(binaries, cacheRoot);
    }

    @Test
    void aNewDataDirectoryIsAMigratedCopyWithAPasswordOfItsOwn(@TempDir Path tmp) throws Exception {
        assertThat(template.resolve(ClusterPassword.FILE)).as("the template keeps no password").doesNotExist();
        try (EmbeddedDatabase first = startIn(tmp.resolve("first"), true, true);
             EmbeddedDatabase second = startIn(tmp.resolve("second"), false, true)) {
            assertThat(select(first, first.password(), "SELECT max(version::int) FROM flyway_schema_history"))
                    .as("migrated before any pool connected").isEqualTo(BundledMigrations.newest());
            assertThat(select(second, second.password(), "SELECT count(*) FROM ledger_entries")).isEqualTo("0");
            assertThat(first.password()).isNotEqualTo(second.password());
            assertThatThrownBy(() -> select(first, second.password(), "SELECT 1"))
                    .as("a copy's password opens only that copy").isInstanceOf(SQLException.class);
            assertThat(ClusterPassword.read(first.directory())).contains(first.password());
            assertThat(first.directory().resolve(ClusterTemplate.MARKER)).doesNotExist();
        }
        assertThat(ClusterTemplate.find(binaries, cacheRoot)).as("untouched by the copies").contains(template);
    }

    @Test
    void aDatabaseOnACopyStartsWithoutMigrating(@TempDir Path tmp) throws Exception {
        try (EmbeddedDatabase db = startIn(tmp.resolve("pg"), true, true);
             Database connected = Database.connect(db, DatabaseSettings.embedded(tmp).withPoolSize(1))) {
            assertThat(select(db, db.password(), "SELECT count(*) FROM flyway_schema_history WHERE success"))
                    .isEqualTo(Integer.toString(BundledMigrations.versions().size()));
            assertThat(connected.dataSource()).isNotNull();
        }
    }

    @Test
    void withoutTheTemplateOrWithoutBeingAskedInitdbMakesTheDirectory(@TempDir Path tmp) throws Exception {
        try (EmbeddedDatabase notAsked = startIn(tmp.resolve("not-asked"), false, false)) {
            assertThat(select(notAsked, notAsked.password(), "SELECT count(*) FROM pg_tables WHERE tablename = "
                    + "'flyway_schema_history'")).isEqualTo("0");
        }
        Path emptyRoot = tmp.resolve("no-template");
        Files.createDirectories(emptyRoot);
        Path unfinished = ClusterTemplate.location(binaries, emptyRoot);
        Files.createDirectories(unfinished);
        assertThat(ClusterTemplate.find(binaries, emptyRoot)).as("no marker: cut short or being made").isEmpty();
    }

    @Test
    void aTemplateThatCannotServeFallsBackToInitdb(@TempDir Path tmp) throws Exception {
        Path broken = tmp.resolve("broken");
        DirectoryTree.copy(template, broken);
        Files.delete(broken.resolve("global").resolve("pg_control"));
        Path cluster = tmp.resolve("pg").toAbsolutePath();
        DataDirectoryLock lock = DataDirectoryLock.acquire(cluster);
        try {
            DatabaseCluster.createIfAbsent(binaries, cluster, false, java.util.Optional.of(broken));
        } finally {
            lock.close();
        }
        assertThat(cluster.resolve("global").resolve("pg_control")).exists();
        assertThat(cluster.resolveSibling("pg.initdb")).doesNotExist();
        try (EmbeddedDatabase db = EmbeddedDatabase.startIn(cluster, new ServerSettings(false, 10), false,
                cacheRoot)) {
            assertThat(select(db, db.password(), "SELECT 1")).isEqualTo("1");
            // initdb under this JVM's environment (the image's LANG=C.UTF-8, say) made a cluster of that locale,
            // unlike the template made at the image's build without one
            assertThat(select(db, db.password(), LOCALE_OF_THE_DATABASE)).isEqualTo(localeOfACopy());
            assertThat(select(db, db.password(), LOCALE_OF_THE_DATABASE)).isEqualTo("C C UTF8");
        }
    }

    private static final String LOCALE_OF_THE_DATABASE = "SELECT datcollate || ' ' || datctype || ' ' || "
            + "pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()";

    private static String localeOfACopy() throws Exception {
        Path copy = Files.createTempDirectory(cacheRoot, "copy").resolve("pg");
        try (EmbeddedDatabase db = EmbeddedDatabase.startIn(copy, new ServerSettings(false, 10), true, cacheRoot)) {
            return select(db, db.password(), LOCALE_OF_THE_DATABASE);
        }
    }

    @Test
    void makingAgainKeepsTheTemplateAndRemovesOtherBuilds() throws Exception {
        Path other = cacheRoot.resolve("template-PG-0-0000000000000000");
        Files.createDirectories(other);
        Files.writeString(other.resolve(ClusterTemplate.MARKER), "another build's\n");
        var made = Files.getLastModifiedTime(template.resolve(ClusterTemplate.MARKER));

        assertThat(ClusterTemplate.make(binaries, cacheRoot)).isEqualTo(template);

        assertThat(Files.getLastModifiedTime(template.resolve(ClusterTemplate.MARKER))).isEqualTo(made);
        assertThat(other).doesNotExist();
        assertThat(template.getFileName().toString()).contains(binaries.home().getFileName().toString())
                .endsWith(BundledMigrations.fingerprint());
    }

    private static EmbeddedDatabase startIn(Path dir, boolean durable, boolean fromTemplate) {
        return EmbeddedDatabase.startIn(dir, new ServerSettings(durable, 10), fromTemplate, cacheRoot);
    }
}
