package dev.kiebot.postgres;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A directory and everything in it, for the embedded database's own scratch directories only. */
final class DirectoryTree {
    private DirectoryTree() {
    }

    /** Deletes {@code root} and its content (symbolic links themselves, never their targets), if it exists. */
    static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Copies {@code from} to {@code to}, which must not exist: directories, regular files and symbolic links
     * (as links), with their permissions.
     */
    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    /**
     * Forces every regular file of {@code root} to the disk, then every directory (so that their entries are there
     * too), deepest first: what {@code initdb} does before it reports a new data directory made.
     */
    static void sync(Path root) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                force(p);
            }
        }
        for (Path p : paths) {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                force(p);
            }
        }
        if (root.getParent() != null) {
            force(root.getParent());
        }
    }

    /** Read-only is enough: Linux syncs a file, or a directory's entries, through any descriptor of it. */
    private static void force(Path p) throws IOException {
        try (FileChannel channel = FileChannel.open(p, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
