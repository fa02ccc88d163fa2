package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bot runs the PostgreSQL programs it unpacked into the machine's temporary directory: only from a directory
 * nobody else may write to, so another user of the machine cannot have it run a program of his.
 */
class PostgresBinariesTest {

    @Test
    void theProgramsAreUnpackedIntoADirectoryOfThisUsersAlone(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("embedded-pg-test");
        PostgresBinaries binaries = PostgresBinaries.unpackedUnder(cache);

        assertThat(binaries.program("postgres")).isExecutable().startsWith(cache);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");
        assertThat(PostgresBinaries.defaultCacheRoot().getFileName().toString())
                .as("one cache per user, not one for all").isEqualTo("embedded-pg-" + ProcessUser.UID);
    }

    @Test
    void aCacheOthersMayWriteToIsRefusedBeforeAnythingIsRunFromIt(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("embedded-pg-shared");
        Files.createDirectory(cache);
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> PostgresBinaries.unpackedUnder(cache))
                .as("another user could have swapped the programs in it: the bot would run his postgres")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("others may write to it").hasMessageContaining("java.io.tmpdir");
        try (Stream<Path> inside = Files.list(cache)) {
            assertThat(inside).as("nothing unpacked into it, nothing run").isEmpty();
        }
    }

    @Test
    void aCacheOfAnotherUserIsRefused(@TempDir Path tmp) throws Exception {
        assumeTrue(ProcessUser.UID == 0, "only root can give a directory to another user");
        Path cache = tmp.resolve("embedded-pg-theirs");
        Files.createDirectory(cache, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                "rwx------")));
        Files.setAttribute(cache, "unix:uid", 65_534);

        assertThatThrownBy(() -> PostgresBinaries.unpackedUnder(cache))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("belongs to user id 65534");
    }

    @Test
    void aSymbolicLinkToSomeoneElsesDirectoryIsRefused(@TempDir Path tmp) throws Exception {
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Path cache = Files.createSymbolicLink(tmp.resolve("embedded-pg-link"), elsewhere);

        assertThatThrownBy(() -> PostgresBinaries.unpackedUnder(cache))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a plain directory");
    }
}
