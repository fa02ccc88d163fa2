package dev.kiebot.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who owns an embedded data directory: the process holding an exclusive lock on {@code <directory>.lock} (next
 * to the directory, so that {@code initdb} finds the directory itself empty). The operating system releases the
 * lock when its holder dies, even by {@code kill -9}, while the PostgreSQL server it started may live on; so a
 * server found on a directory whose lock is free was left behind, and one whose lock is held belongs to a
 * running bot and must not be touched.
 *
 * <p>Versions before this lock held zonky's {@code epg-lock} inside the directory; it is checked too, so that a
 * server of a still running older version is never taken for a leftover.
 *
 * <p>Before taking it, the lock sees to who may change {@code DATA_DIR}: made by the bot, it is {@code rwx------};
 * another user's (root's aside), one others may write to, or one in a directory (up to {@code /}, also where a
 * symlink leads) that is another user's or others may write to without its sticky bit is refused, as that user could
 * move the database away and the next start would make an empty one.
 */
final class DataDirectoryLock implements AutoCloseable {
    private static final String LEGACY_LOCK = "epg-lock";
    /**
     * Lock files held by this JVM. Checked before opening the file at all: on Linux, closing any channel of a
     * locked file (say, of a failed second attempt) silently drops the lock held through another channel.
     */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of {@code directory}. */
    static Path fileOf(Path directory) {
        return directory.resolveSibling(directory.getFileName() + ".lock");
    }

    /**
     * Takes the lock of {@code directory} (which need not exist yet).
     *
     * @throws IllegalStateException when another process, or another database in this JVM, holds it
     */
    static DataDirectoryLock acquire(Path directory) {
        Path file = fileOf(directory);
        if (!HELD_HERE.add(file)) {
            throw inUse(directory);
        }
        FileChannel channel = null;
        try {
            refuseAncestorsOthersMayChange(file.getParent());
            createForThisUserAlone(file.getParent());
            refuseOneOthersMayChange(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null || heldByAnotherProcess(directory.resolve(LEGACY_LOCK))) {
                throw inUse(directory);
            }
            return new DataDirectoryLock(file, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            HELD_HERE.remove(file);
            throw new UncheckedIOException(unusable(directory, e), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            HELD_HERE.remove(file);
            throw e instanceof OverlappingFileLockException ? inUse(directory) : e;
        }
    }

    /**
     * {@code DATA_DIR}, when the bot makes it, for its user alone ({@code rwx------}): with the usual umask 022 every
     * local user could list it, and a backup copied with {@code cp -a} kept that. One that is there keeps its mode
     * (the operator's choice; the server's own directory inside is {@code rwx------} whatever it is).
     */
    private static void createForThisUserAlone(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e; // a file where the directory should be
            }
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir); // not a POSIX file system: its own access rules apply
        }
    }

    /**
     * Refuses a {@code DATA_DIR} that another user may change: whoever may write to it may move the server's directory
     * away while the bot is stopped (seen: a user without rights renamed it and left an empty one, on which the next
     * start makes a new database, with no users and no balances), or put another copy in its place. Someone else's
     * directory (root's aside, who may do anything anyway), or one that others may write to (a directory under
     * {@code /tmp} itself, a {@code chmod 777} mount), is refused with what to do.
     */
    private static void refuseOneOthersMayChange(Path dir) throws IOException {
        Set<PosixFilePermission> permissions;
        int owner;
        try {
            permissions = Files.getPosixFilePermissions(dir);
            owner = (Integer) Files.getAttribute(dir, "unix:uid");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return; // not a POSIX file system: its own access rules apply
        }
        boolean theirs = owner != ProcessUser.UID && owner != 0;
        boolean open = permissions.contains(PosixFilePermission.OTHERS_WRITE);
        if (open && !theirs && isSticky(dir)) {
            // /tmp, /var/tmp or /dev/shm itself: "chmod o-w" would take it from every user of the box
            throw new IllegalStateException("DATA_DIR " + dir + " cannot hold the bot's database: it is a directory "
                    + "every user shares (" + PosixFilePermissions.toString(permissions) + ", sticky), where another "
                    + "user could put a file or directory of his own in the bot's way. Set DATA_DIR to a directory of "
                    + "its own, such as " + dir.resolve("kiebot-data") + " (the bot makes it, for its user alone)");
        }
        if (theirs || open) {
            throw new IllegalStateException("DATA_DIR " + dir + " cannot hold the bot's database: " + (theirs
                    ? "it belongs to user id " + owner + ", not to this process's " + ProcessUser.UID
                    : "others may write to it (" + PosixFilePermissions.toString(permissions) + ")")
                    + ", so another user of this machine could move the database away or put another in its place. "
                    + "Give it to the bot's user alone: " + (theirs ? "chown " + ProcessUser.UID + " " + dir : "")
                    + (theirs && open ? " && " : "") + (open ? "chmod o-w " + dir : "")
                    + " (a Docker bind mount: the host's directory), or set DATA_DIR to a directory of that user");
        }
    }

    private static boolean isSticky(Path dir) throws IOException {
        try {
            return ((Integer) Files.getAttribute(dir, "unix:mode") & 01000) != 0;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Refuses a {@code DATA_DIR} in a directory another user may change: whoever may write to a directory above it
     * moves it away as a whole, and the next start makes it anew, empty. One others may write to is safe only with its
     * sticky bit ({@code /tmp}: only an entry's owner moves it). Looked at along the path as given (a symlink is
     * replaced by whoever may write where it is) and, when it is there, along where it leads. A directory whose owner
     * is outside the bot's user namespace (rootless Podman's bind mount of a host directory, shown as 65534 while no
     * one in the namespace can be 65534) is not refused: nobody the bot shares its namespace with can change it, only
     * its real owner on the host (mostly root: a host directory of another user is the operator's choice to mount).
     */
    private static void refuseAncestorsOthersMayChange(Path dir) throws IOException {
        Path given = dir.toAbsolutePath().normalize();
        for (Path p = given.getParent(); p != null; p = p.getParent()) {
            refuseAncestorOthersMayChange(dir, p);
        }
        // where the nearest one there leads: DATA_DIR not made yet under a symlink was let through at its first start
        // (and its database made) and refused at the next, once made
        Path there = given;
        while (there != null && !Files.exists(there)) {
            there = there.getParent();
        }
        if (there != null) {
            Path real = there.toRealPath();
            for (Path p = there.equals(given) ? real.getParent() : real; p != null; p = p.getParent()) {
                refuseAncestorOthersMayChange(dir, p);
            }
        }
    }

    private static void refuseAncestorOthersMayChange(Path dir, Path ancestor) throws IOException {
        if (!Files.exists(ancestor)) {
            return; // made by the bot, its user's
        }
        int mode;
        int owner;
        try {
            mode = (Integer) Files.getAttribute(ancestor, "unix:mode");
            owner = (Integer) Files.getAttribute(ancestor, "unix:uid");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return; // not a POSIX file system: its own access rules apply
        }
        boolean theirs = owner != ProcessUser.UID && owner != 0 && !ProcessUser.isOwnerOutsideThisNamespace(owner);
        if (theirs || (mode & 0002) != 0 && (mode & 01000) == 0) {
            throw new IllegalStateException("DATA_DIR " + dir + " cannot hold the bot's database: " + (theirs
                    ? ancestor + " belongs to user id " + owner + ", not to this process's " + ProcessUser.UID
                    : "others may write to " + ancestor + " (no sticky bit)")
                    + ", so another user of this machine could move it away, and the next start would make an empty "
                    + "database. " + (theirs ? "Set DATA_DIR to a directory" : "chmod o-w " + ancestor + " (or +t), "
                    + "or set DATA_DIR to a directory elsewhere") + " whose parents are the bot's user's or root's and "
                    + "others may not write to");
        }
    }

    private static boolean heldByAnotherProcess(Path legacyLock) throws IOException {
        if (!Files.exists(legacyLock)) {
            return false;
        }
        try (FileChannel c = FileChannel.open(legacyLock, StandardOpenOption.WRITE); FileLock l = c.tryLock()) {
            return l == null;
        }
    }

    /**
     * Why the directory cannot hold the lock, for the start's one line: "cannot lock" alone read like another process
     * holding it, when the directory was one the bot's user may not write (a root-owned ./data, a read-only mount).
     */
    private static String unusable(Path directory, IOException e) {
        String why = e instanceof AccessDeniedException ? "permission denied" : e.getClass().getSimpleName();
        if (e instanceof FileSystemException f && f.getFile() != null) {
            why += " on " + f.getFile();
        }
        return "the embedded PostgreSQL directory " + directory + " cannot be created or written (" + why + "): set "
                + "DATA_DIR to a directory the bot's user (" + System.getProperty("user.name") + ", uid " + ProcessUser.UID
                + ") may write";
    }

        private static IllegalStateException inUse(Path directory) {
        return new IllegalStateException("the embedded PostgreSQL directory " + directory + " is in use by another "
                + "bot process: run only one process per DATA_DIR (or set DATABASE_URL to share a PostgreSQL)");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was locked
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it as well
        }
        closeQuietly(channel);
        HELD_HERE.remove(file);
    }
}
