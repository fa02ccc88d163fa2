package dev.kiebot.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * This process's user id, read once: whether the server must run in a user namespace ({@link PostgresCommand}, as
 * root) and whose directories the bot may run programs from ({@link OwnDirectory}) ask the same question.
 */
final class ProcessUser {
    /** The id, or -1 where the file system tells no Unix ids. */
    static final int UID = uid();
    /**
     * Whether this user id has no name ({@code getpwuid} finds no entry: OpenShift's random uid,
     * {@code DynamicUser=yes} without nss-systemd), which PostgreSQL's {@code initdb} and single-user
     * {@code postgres} need ({@link PostgresCommand}).
     */
    static final boolean NAMELESS = UID > 0 && !hasAName();

    private ProcessUser() {
    }

    /**
     * Whether a file showing {@code owner} belongs to someone outside this process's user namespace (rootless Podman,
     * {@code unshare -U}): the kernel shows such an owner as its overflow id ({@code /proc/sys/kernel/overflowuid},
     * 65534), and when that id is not mapped into the namespace no process in it can be that user, so none can change
     * the file as its owner. Where 65534 is mapped (a namespace with a full 65536 range, or none), it may be the real
     * {@code nobody} of this box: false.
     */
    static boolean isOwnerOutsideThisNamespace(int owner) {
        try {
            // read by lines: Files.readString of this file (size 0 to stat) gave "6" of "65534"
            int overflow = Integer.parseInt(String.join("", Files.readAllLines(Path.of("/proc/sys/kernel/overflowuid")))
                    .strip());
            return owner == overflow && !maps(Files.readAllLines(Path.of("/proc/self/uid_map")), owner);
        } catch (IOException | NumberFormatException e) {
            return false; // not Linux, or not readable: the owner is taken for what it shows
        }
    }

    /** Whether {@code uid} is inside one of the ranges of a {@code uid_map} ("inside outside count" a line). */
    static boolean maps(List<String> uidMap, long uid) {
        for (String line : uidMap) {
            // stripped first: no empty part at either end for split to drop (an empty line is one part, skipped)
            @SuppressWarnings("StringSplitter")
            String[] fields = line.strip().split("\\s+");
            if (fields.length == 3) {
                long first = Long.parseLong(fields[0]);
                if (uid >= first && uid < first + Long.parseLong(fields[2])) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * {@code log} (a PostgreSQL program's last lines), with what to do when it failed for want of an entry of this
     * user id in {@code /etc/passwd}: {@code initdb} and single-user {@code postgres} look the user's name up and stop
     * without one (OpenShift's random uid, a uid given to {@code docker run -u} or {@code runAsUser} that the image does
     * not know, {@code DynamicUser=yes} without nss-systemd); the server itself runs without it.
     */
    static String explainNoEntry(String log) {
        return !log.contains("could not look up effective user ID") ? log : log + "\nuser id " + UID + " has no name "
                + "(no entry in /etc/passwd), which PostgreSQL's initdb needs to make the embedded database: run the bot "
                + "as a user the system knows (OpenShift: add one for the random uid, as its guidelines for images say; "
                + "systemd: install nss-systemd for DynamicUser=yes), or set DATABASE_URL";
    }

    /**
     * Asks {@code getpwuid} as PostgreSQL does ({@code UnixSystem}, JDK 17 and 25 alike give no name for a uid without
     * an entry). Not {@code user.name}, which the JVM sets to {@code ?} then, but which an operator's
     * {@code -Duser.name} (in {@code JAVA_OPTS} or {@code JAVA_TOOL_OPTIONS}) replaces: the uid was taken for one with a
     * name and {@code initdb} stopped on «could not look up effective user ID». That property is the answer only on a
     * runtime without the module of {@code UnixSystem} (jdk.security.auth).
     */
    private static boolean hasAName() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUsername() != null;
        } catch (LinkageError | RuntimeException e) {
            return !"?".equals(System.getProperty("user.name"));
        }
    }

    static boolean isRoot() {
        return UID == 0 || (UID < 0 && "root".equals(System.getProperty("user.name")));
    }

    /** {@code /proc/self}'s owner on Linux; elsewhere the owner of a file this process creates. */
    private static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return ownerOfANewFile();
        }
    }

    private static int ownerOfANewFile() {
        try {
            Path probe = Files.createTempFile("kiebot-uid", ".probe");
            try {
                return (Integer) Files.getAttribute(probe, "unix:uid");
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tell this process's user id", e);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }
}
