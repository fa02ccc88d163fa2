package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
                .hasMessageContaining("set DATA_DIR to a directory the bot's user (" + System.getProperty("user.name")
                        + ", uid " + ProcessUser.UID + ") may write");
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

    @Test
    void aDataDirThatOthersMayChangeIsRefusedBeforeTheBotPutsItsDatabaseThere() throws IOException {
        // another user who may write to DATA_DIR moves the bot's pg away (the next start makes an empty database) or
        // puts another in its place: a directory under /tmp itself, a chmod 777 mount
        Path shared = Files.createDirectory(temp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> DataDirectoryLock.acquire(shared.resolve("pg")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DATA_DIR " + shared + " cannot hold the bot's database: others may write to it "
                        + "(rwxrwxrwx)")
                .hasMessageContaining("Give it to the bot's user alone: chmod o-w " + shared + " (a Docker bind mount: "
                        + "the host's directory)");
        assertThat(shared.resolve("pg.lock")).as("nothing made there").doesNotExist();
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        DataDirectoryLock.acquire(shared.resolve("pg")).close();
    }

    /**
     * A DATA_DIR in a directory others may write to (no sticky bit) is moved away as a whole by any of them, and the
     * next start makes it anew, empty: a new database with no users and no balances, as when its pg is moved away
     * (review Q8 of c812c6bf: only DATA_DIR itself was looked at). A sticky one ({@code /tmp}) lets nobody but its
     * owner move it; a symlinked DATA_DIR is looked at where it leads too.
     */
    @Test
    void aDataDirInADirectoryOthersMayChangeIsRefused() throws IOException {
        Path open = Files.createDirectory(temp.resolve("open"));
        Path data = Files.createDirectory(open.resolve("data"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Files.setAttribute(open, "unix:mode", 0777);

        assertThatThrownBy(() -> DataDirectoryLock.acquire(data.resolve("pg")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DATA_DIR " + data + " cannot hold the bot's database: others may write to "
                        + open)
                .hasMessageContaining("chmod o-w " + open + " (or +t), or set DATA_DIR to a directory elsewhere");
        assertThat(data.resolve("pg.lock")).as("nothing made there").doesNotExist();
        Path link = Files.createSymbolicLink(temp.resolve("link"), data);
        assertThatThrownBy(() -> DataDirectoryLock.acquire(link.resolve("pg")))
                .as("through a symlink").hasMessageContaining("others may write to " + open);

        Files.setAttribute(open, "unix:mode", 01777);
        DataDirectoryLock.acquire(data.resolve("pg")).close();
        DataDirectoryLock.acquire(link.resolve("pg")).close();
    }

    @Test
    void aDataDirOfAnotherUserIsRefused() throws IOException {
        assumeTrue(ProcessUser.UID == 0, "only root can give a directory to another user");
        Path theirs = Files.createDirectory(temp.resolve("theirs"));
        Files.setAttribute(theirs, "unix:uid", 65534);

        assertThatThrownBy(() -> DataDirectoryLock.acquire(theirs.resolve("pg")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("it belongs to user id 65534, not to this process's 0")
                .hasMessageContaining("Give it to the bot's user alone: chown 0 " + theirs + " (a Docker");
        Files.setAttribute(theirs, "unix:mode", 0777); // a bind mount opened to make it writable: both to undo
        assertThatThrownBy(() -> DataDirectoryLock.acquire(theirs.resolve("pg")))
                .hasMessageContaining("chown 0 " + theirs + " && chmod o-w " + theirs + " (a Docker");
    }

    /**
     * Group-write is accepted, on DATA_DIR and its parents: the decision, pinned on the trees that rely on it. Who may
     * write through the group is what matters, and the tree does not tell: Kubernetes' {@code fsGroup} volume
     * (root's, group {@code fsGroup}, {@code rwxrwsr-x}) is written through its group by the pod's own containers
     * alone; OpenShift's images open their directories to group 0 ({@code chmod g=u}), which in a container is the
     * random uid's own group; a checkout under a user-private group and umask 002 ({@code rwxrwxr-x}) is its user's
     * alone; Debian's {@code /var/local} ({@code root:staff}, {@code rwxrwsr-x}) is its local administrators'.
     * Refusing group-write refused those deploys; opening a directory to a group of other people (a shared
     * {@code users}) is the operator's own grant, while others' write grants every user of the box and stays refused.
     */
    @Test
    void aGroupWritableDataDirOrParentIsAccepted() throws IOException {
        assumeTrue(ProcessUser.UID == 0, "only root gives a directory to another group");
        Path app = Files.createDirectory(temp.resolve("app"));
        Path volume = Files.createDirectory(app.resolve("data"));
        Files.setAttribute(volume, "unix:gid", 2000); // fsGroup: 2000
        Files.setAttribute(volume, "unix:mode", 02775);
        DataDirectoryLock.acquire(volume.resolve("pg")).close();

        Path openShift = Files.createDirectory(temp.resolve("openshift"));
        Files.setAttribute(openShift, "unix:gid", 0);
        Files.setAttribute(openShift, "unix:mode", 0775); // chmod g=u, group 0
        Path data = Files.createDirectory(openShift.resolve("data"));
        Files.setAttribute(data, "unix:mode", 0770);
        DataDirectoryLock.acquire(data.resolve("pg")).close();

        Files.setAttribute(app, "unix:mode", 02777);
        assertThatThrownBy(() -> DataDirectoryLock.acquire(volume.resolve("pg")))
                .as("others' write still refused").hasMessageContaining("others may write to " + app);
    }

    @Test
    void aDataDirEveryUserSharesIsRefusedWithoutAskingToCloseItToThem() throws IOException {
        // DATA_DIR=/tmp (or /var/tmp, /dev/shm): the refusal said "chmod o-w /tmp", which takes /tmp from every user
        Path likeTmp = Files.createDirectory(temp.resolve("like-tmp"));
        Files.setAttribute(likeTmp, "unix:mode", 01777);

        assertThatThrownBy(() -> DataDirectoryLock.acquire(likeTmp.resolve("pg")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DATA_DIR " + likeTmp + " cannot hold the bot's database: it is a directory every "
                        + "user shares (rwxrwxrwx, sticky)")
                .hasMessageContaining("Set DATA_DIR to a directory of its own, such as " + likeTmp.resolve("kiebot-data"))
                .message().doesNotContain("chmod");
        assertThat(likeTmp.resolve("pg.lock")).as("nothing made there").doesNotExist();
        DataDirectoryLock.acquire(likeTmp.resolve("kiebot-data").resolve("pg")).close();
    }

    @Test
    void aDataDirNotMadeYetUnderASymlinkIsLookedAtWhereTheLinkLeads() throws IOException {
        // the first start made the database there, and only the next, DATA_DIR made, looked where the link leads
        Path open = Files.createDirectory(temp.resolve("open"));
        Path target = Files.createDirectory(open.resolve("target"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path link = Files.createSymbolicLink(temp.resolve("to-target"), target);

        assertThatThrownBy(() -> DataDirectoryLock.acquire(link.resolve("data").resolve("pg")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("others may write to " + open + " (no sticky bit)");
        assertThat(target.resolve("data")).as("nothing made there").doesNotExist();
    }
}
