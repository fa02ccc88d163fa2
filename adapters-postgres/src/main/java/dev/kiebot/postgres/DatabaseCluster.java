package dev.kiebot.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the data directory (PostgreSQL's "database cluster") on first use. {@code initdb} writes into a
 * sibling directory that is renamed into place only when complete, so a start killed during {@code initdb}
 * leaves no half-made directory behind that every later start would trip over. Called only while holding the
 * {@link DataDirectoryLock}.
 */
final class DatabaseCluster {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseCluster.class);
    static final String SUPERUSER = "postgres";
    /** Every cluster's locale, the template's and a fallback initdb's alike ({@link #runInitdb}). */
    static final String LOCALE = "C";
    private static final long INITDB_WAIT_MILLIS = 300_000;

    private DatabaseCluster() {
    }

    static boolean exists(Path directory) {
        return Files.exists(directory.resolve("PG_VERSION"));
    }

    /**
     * Makes {@code directory} a data directory unless it is one: a copy of {@code template} with a password of its
     * own, or (without one, or when the copy fails) by initdb.
     */
    static void createIfAbsent(PostgresBinaries binaries, Path directory, boolean durable, Optional<Path> template) {
        if (exists(directory)) {
            return;
        }
        try {
            if (Files.isDirectory(directory) && !isEmpty(directory)) {
                throw new IllegalStateException(directory + " is neither empty nor a PostgreSQL data directory (no "
                        + "PG_VERSION): move it away, or point DATA_DIR elsewhere");
            }
            long started = System.nanoTime();
            Path fresh = directory.resolveSibling(directory.getFileName() + ".initdb");
            DirectoryTree.delete(fresh); // an initdb interrupted by a kill
            boolean copied = template.isPresent() && copied(binaries, template.get(), fresh, durable);
            String how = copied ? " (a copy of the template)" : "";
            if (!copied) {
                initdb(binaries, fresh, durable);
            }
            try {
                Files.move(fresh, directory, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // e.g. the directory is a mount point, which cannot be replaced: initialise it in place
                LOG.info("cannot rename {} to {} ({}): running initdb in place", fresh, directory, e.toString());
                DirectoryTree.delete(fresh);
                initdb(binaries, directory, durable);
                how = " (in place)";
            }
            LOG.info("created the PostgreSQL data directory {} in {} ms{}", directory,
                    (System.nanoTime() - started) / 1_000_000, how);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the PostgreSQL data directory " + directory, e);
        }
    }

    /** A copy of the template in {@code target}, with its own password; false (and nothing left) if it failed. */
    private static boolean copied(PostgresBinaries binaries, Path template, Path target, boolean durable)
            throws IOException {
        try {
            ClusterTemplate.copy(template, target);
            if (durable) {
                sync(binaries, target);
            }
            ClusterPassword.assignNew(binaries, target);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot copy the embedded database's template {} ({}): running initdb instead", template,
                    e.toString());
            DirectoryTree.delete(target);
            return false;
        }
    }

    /**
     * initdb with the superuser's password ({@link ClusterPassword}) given in a file of the owner's only, next to
     * the target (initdb wants an empty target) and deleted after; the password is then kept in the directory.
     */
    private static void initdb(PostgresBinaries binaries, Path target, boolean durable) throws IOException {
        String password = ClusterPassword.newPassword();
        Path passwordFile = target.resolveSibling(target.getFileName() + ".password");
        try {
            ClusterPassword.keepIn(passwordFile, password);
            runInitdb(binaries, target, passwordFile, durable);
        } finally {
            Files.deleteIfExists(passwordFile);
        }
        ClusterPassword.keep(target, password);
    }

    /**
     * The locale named, not the environment's: the image's template is made at build, where no LANG is set (so
     * {@code C}), and a fallback initdb in its container (a copy that failed) ran under its {@code LANG=C.UTF-8}, a
     * cluster unlike the template and every other. {@code C} is the same on every machine (macOS has no C.UTF-8),
     * sorts by byte as the ids' columns already do, and has no collation version for an OS upgrade to change.
     */
    private static void runInitdb(PostgresBinaries binaries, Path target, Path passwordFile, boolean durable)
            throws IOException {
        List<String> arguments = new ArrayList<>(List.of("-D", target.toString(), "-A", "scram-sha-256",
                "--pwfile=" + passwordFile, "-U", SUPERUSER, "-E", "UTF-8", "--locale=" + LOCALE,
                "--no-instructions"));
        if (!durable) {
            arguments.add("--no-sync");
        }
        run(binaries, arguments, "initdb");
    }

    /**
     * Forces every file of the data directory {@code target} to the disk ({@code initdb --sync-only}): PostgreSQL's
     * own pass, which starts the writes of all files before it waits for any, twice as fast as one file after the
     * other.
     */
    static void sync(PostgresBinaries binaries, Path target) throws IOException {
        run(binaries, List.of("--sync-only", "-D", target.toString()), "initdb --sync-only");
    }

    private static void run(PostgresBinaries binaries, List<String> arguments, String what) throws IOException {
        Process process = new ProcessBuilder(PostgresCommand.of(binaries.program("initdb"), arguments, false))
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        ServerLog log = ServerLog.follow(process.getInputStream(), "initdb-" + process.pid(), true);
        try {
            if (!process.waitFor(INITDB_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(what + " did not finish in " + INITDB_WAIT_MILLIS / 1000 + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + what, e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(what + " failed with status " + process.exitValue() + ":\n"
                    + ProcessUser.explainNoEntry(log.lastLines()));
        }
    }

    private static boolean isEmpty(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }
}
