package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory the bot cannot use is named as such at the start, not as a lock another process holds; one the bot
 * makes is its user's alone.
 */
class DataDirectoryLockTest {
    @TempDir
    Path temp;

    @Test
    void aDataDirectoryThatCannotBeCreatedSaysWhyAndWhatToSet() throws IOException {
        // a file where the directory's parent should be: refused whoever runs the test (root writes anywhere)
        Path file = Files.writeString(temp.resolve("not-a-directory"), "x");
        Path dataDir = file.resolve("data");

        assertThatThrownBy(() -> DataDirectoryLock.acquire(dataDir)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(dataDir + " cannot be created or written (FileAlreadyExistsException on " + file)
                .hasMessageContaining("set DATA_DIR to a directory the bot's user");
    }

    @Test
    void aDataDirThatTheBotMakesIsItsUsersAloneAndOneThatIsThereKeepsItsMode() throws IOException {
        // the usual umask (022) gave rwxr-xr-x: every local user could list it, and cp -a kept that in a backup
        Path dataDir = temp.resolve("made-by-the-bot").resolve("data");
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(dataDir.resolve("pg"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
        }

        Path chosen = Files.createDirectory(temp.resolve("chosen"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(chosen.resolve("pg"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(chosen))).isEqualTo("rwxr-x---");
        }
    }
}
