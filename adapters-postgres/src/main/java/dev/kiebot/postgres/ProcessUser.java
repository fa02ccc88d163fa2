package dev.kiebot.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's user id, read once: whether the server must run in a user namespace ({@link PostgresCommand}, as
 * root) and whose directories the bot may run programs from ({@link OwnDirectory}) ask the same question.
 */
final class ProcessUser {
    /** The id, or -1 where the file system tells no Unix ids. */
    static final int UID = uid();

    private ProcessUser() {
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
