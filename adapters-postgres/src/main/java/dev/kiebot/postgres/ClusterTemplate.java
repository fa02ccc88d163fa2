package dev.kiebot.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data directory made once by {@code initdb} and this build's migrations, copied for every new one: a fresh
 * start then costs a copy of about 40 MB and a password of its own instead of {@code initdb} and twenty migrations
 * (two of a fresh start's three seconds on a 2-core box; BENCHMARKS.md section 24).
 *
 * <p>It is kept in the binaries' cache ({@link OwnDirectory}: this user's alone, like the programs the bot runs),
 * named after the binaries and the migrations' {@link BundledMigrations#fingerprint() fingerprint}, so that a build
 * with other migrations or another PostgreSQL never uses it. It appears whole or not at all: made aside, marked,
 * forced to the disk, then renamed into place. It keeps no password: each copy gets a new one before its server
 * first listens ({@link DatabaseCluster}). It is made on purpose, not as a side effect of a start:
 * {@code EmbeddedDatabase unpack}, which the Docker image's build and {@code ./kiebot} after a build run.
 */
final class ClusterTemplate {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterTemplate.class);
    /** Written last: a directory without it is a template being made, or one a crash cut short. */
    static final String MARKER = "kiebot.template";
    private static final String PREFIX = "template-";
    private static final String MAKING = ".making-";
    /** The making server's connections: Flyway's two and the pool's one, with room. */
    private static final int MAKING_CONNECTIONS = 8;

    private ClusterTemplate() {
    }

    /** Where the template for these binaries and this build's migrations is, or would be. */
    static Path location(PostgresBinaries binaries, Path cacheRoot) {
        return cacheRoot.resolve(PREFIX + binaries.home().getFileName() + "-" + BundledMigrations.fingerprint());
    }

    /** The template for these binaries and this build's migrations, if one was made. */
    static Optional<Path> find(PostgresBinaries binaries, Path cacheRoot) {
        Path template = location(binaries, cacheRoot);
        return isWhole(template) ? Optional.of(template) : Optional.empty();
    }

    private static boolean isWhole(Path template) {
        return Files.isRegularFile(template.resolve(MARKER));
    }

    /**
     * Makes the template unless it is there, and removes those of other builds (a copy in progress from one of
     * them fails and falls back to {@code initdb}).
     *
     * @return where it is
     */
    static Path make(PostgresBinaries binaries, Path cacheRoot) {
        Path target = location(binaries, cacheRoot);
        if (!isWhole(target)) {
            long started = System.nanoTime();
            Path scratch = cacheRoot.resolve(target.getFileName() + MAKING + ProcessHandle.current().pid());
            try {
                DirectoryTree.delete(scratch);
                Path cluster = scratch.resolve("pg");
                migrate(cluster);
                Files.delete(cluster.resolve(ClusterPassword.FILE));
                Files.writeString(cluster.resolve(MARKER), target.getFileName() + "\n");
                // all on the disk before the rename, which is what makes it found
                DatabaseCluster.sync(binaries, cluster);
                moveInto(cluster, target);
                DirectoryTree.delete(scratch);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make the embedded database's template " + target, e);
            }
            LOG.info("made the embedded database's template {} in {} ms", target,
                    (System.nanoTime() - started) / 1_000_000);
        }
        removeOthers(cacheRoot, target);
        return target;
    }

    /** Copies {@code template} to {@code target}, which must not exist. */
    static void copy(Path template, Path target) throws IOException {
        DirectoryTree.copy(template, target);
        Files.delete(target.resolve(MARKER));
    }

    /** Starts a server on {@code cluster} (made by initdb) and connects the way a bot does, which migrates. */
    private static void migrate(Path cluster) {
        try (EmbeddedDatabase db = EmbeddedDatabase.startIn(cluster,
                new ServerSettings(false, MAKING_CONNECTIONS), false)) {
            Database.connect(db, DatabaseSettings.embedded(cluster).withPoolSize(1)).close();
        }
    }

    /** Another process making the same template at once may win the rename: then its copy is used. */
    private static void moveInto(Path cluster, Path target) throws IOException {
        try {
            Files.move(cluster, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!isWhole(target)) {
                throw e;
            }
        }
    }

    /** A directory {@code <name>.making-<pid>} whose maker is alive; one whose maker died is removed. */
    private static boolean beingMade(Path p) {
        String name = p.getFileName().toString();
        int at = name.lastIndexOf(MAKING);
        if (at < 0) {
            return false;
        }
        try {
            return ProcessHandle.of(Long.parseLong(name.substring(at + MAKING.length()))).isPresent();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void removeOthers(Path cacheRoot, Path kept) {
        List<Path> others;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(cacheRoot, PREFIX + "*")) {
            others = StreamSupport.stream(entries.spliterator(), false)
                    .filter(p -> !p.equals(kept) && !beingMade(p)).toList();
        } catch (IOException e) {
            LOG.debug("cannot list {}: {}", cacheRoot, e.toString());
            return;
        }
        for (Path other : others) {
            try {
                DirectoryTree.delete(other);
                LOG.info("removed the embedded database's template of another build, {}", other);
            } catch (IOException e) {
                LOG.warn("cannot remove the embedded database's template {}: {}", other, e.toString());
            }
        }
    }
}
