package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only a postgres whose command line names the very directory is ever stopped; everything else is left alone. */
class LeftoverPostmasterTest {

    @Test
    void aPostmasterIsAPostgresProgramWithMinusDNamingTheDirectory(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("pg");
        Files.createDirectories(dir);
        assertThat(LeftoverPostmaster.isPostmasterOf(List.of("/opt/pg/bin/postgres", "-D", dir.toString(), "-p",
                "5432"), dir)).isTrue();
        assertThat(LeftoverPostmaster.isPostmasterOf(List.of("postgres", "-D", dir + "/../pg/"), dir)).isTrue();

        assertThat(LeftoverPostmaster.isPostmasterOf(List.of("/opt/pg/bin/postgres", "-D", tmp.toString()), dir))
                .as("another directory").isFalse();
        assertThat(LeftoverPostmaster.isPostmasterOf(List.of("/usr/bin/java", "-D", dir.toString()), dir))
                .as("another program").isFalse();
        assertThat(LeftoverPostmaster.isPostmasterOf(List.of("postgres: checkpointer "), dir))
                .as("a server's child process").isFalse();
        assertThat(LeftoverPostmaster.isPostmasterOf(List.of("/opt/pg/bin/postgres", dir.toString(), "-D"), dir))
                .as("the directory is not the -D argument").isFalse();
    }

    @Test
    void aPidFileNamingTheServerOfAnotherDirectoryIsLeftAloneWithItsServer(@TempDir Path tmp) throws Exception {
        try (EmbeddedDatabase other = EmbeddedDatabase.startIn(tmp.resolve("other"), false)) {
            String otherPid = Files.readAllLines(other.directory().resolve("postmaster.pid"),
                    StandardCharsets.UTF_8).get(0);
            Path dir = tmp.resolve("pg");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("postmaster.pid"), otherPid + "\n" + dir + "\n");

            assertThat(LeftoverPostmaster.clear(dir)).isEqualTo(LeftoverPostmaster.Finding.UNKNOWN);

            assertThat(dir.resolve("postmaster.pid")).exists();
            try (Connection c = DriverManager.getConnection(other.jdbcUrl(), other.user(), other.password())) {
                assertThat(c.isValid(10)).isTrue();
            }
        }
    }

    @Test
    void noPidFileMeansTheLastServerStoppedCleanly(@TempDir Path dir) {
        assertThat(LeftoverPostmaster.clear(dir)).isEqualTo(LeftoverPostmaster.Finding.NO_PID_FILE);
    }
}
