package dev.kiebot.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A directory of this process's user alone, for what the bot runs from it: the PostgreSQL programs are unpacked
 * into the temporary directory, which every user of the machine may write to. Were the directory someone else's,
 * or writable by others, another user could put a {@code postgres} of his own there (or swap the bot's copy for it),
 * and the bot would run it with its own rights: its token, its keys, its database.
 */
final class OwnDirectory {
    private static final Set<PosixFilePermission> OTHERS_MAY_WRITE = Set.of(PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE);

    private OwnDirectory() {
    }

    /**
     * Creates {@code dir} readable by this user only, or checks that the one there is this user's and that nobody
     * else may write to it.
     *
     * @throws IllegalStateException when it is not, saying what to do
     */
    static void prepare(Path dir) {
        try {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rwx------")));
            } catch (FileAlreadyExistsException e) {
                // made by an earlier start (or by someone else: checked below)
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(dir);
            }
            check(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
    }

    private static void check(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw refused(dir, "it is not a plain directory");
        }
        Set<PosixFilePermission> permissions;
        int owner;
        try {
            permissions = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return; // not a POSIX file system: its own access rules apply
        }
        if (owner != ProcessUser.UID) {
            throw refused(dir, "it belongs to user id " + owner + ", not to this process's " + ProcessUser.UID);
        }
        if (permissions.stream().anyMatch(OTHERS_MAY_WRITE::contains)) {
            throw refused(dir, "others may write to it (" + PosixFilePermissions.toString(permissions) + ")");
        }
    }

    private static IllegalStateException refused(Path dir, String why) {
        return new IllegalStateException(dir + " cannot hold the programs the bot runs: " + why + ", so another "
                + "user of this machine could put his own there. Remove it (the bot makes it again, for this user "
                + "alone), or give the JVM another temporary directory: JAVA_OPTS=-Djava.io.tmpdir=<a directory of "
                + "yours>");
    }
}
