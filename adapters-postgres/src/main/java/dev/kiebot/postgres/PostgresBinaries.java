package dev.kiebot.postgres;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL programs ({@code initdb}, {@code postgres}) from zonky's binaries jars on the class path,
 * unpacked once into a cache directory of this user's alone ({@link OwnDirectory}: the bot runs what is there) and
 * reused by every later start of this user's processes. The
 * cache entry is named after the archive's size and CRC (read from the jar's directory, without reading the
 * archive), and it appears atomically: a half-unpacked copy is never used.
 */
final class PostgresBinaries {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresBinaries.class);
    private static final Object UNPACK = new Object();

    private final Path home;

    private PostgresBinaries(Path home) {
        this.home = home;
    }

    /** The binaries for this machine, unpacked under {@code cacheRoot} if they are not yet. */
    static PostgresBinaries unpackedUnder(Path cacheRoot) {
        String resource = archiveName();
        URL url = PostgresBinaries.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException("no embedded PostgreSQL binaries for this machine on the class path ("
                    + resource + "): set DATABASE_URL to use an external PostgreSQL");
        }
        synchronized (UNPACK) {
            OwnDirectory.prepare(cacheRoot);
            try {
                PostgresBinaries binaries = new PostgresBinaries(cacheRoot.resolve("PG-" + fingerprint(url)));
                if (!binaries.complete()) {
                    DirectoryTree.delete(binaries.home);
                    unpack(url, cacheRoot, binaries.home);
                }
                return binaries;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot unpack the PostgreSQL binaries into " + cacheRoot, e);
            }
        }
    }

    /**
     * The default cache: {@code java.io.tmpdir/embedded-pg-<uid>}, one per user. It was one {@code embedded-pg} for
     * every user, as zonky's, writable by all, where another user could swap the programs the bot runs.
     */
    static Path defaultCacheRoot() {
        int uid = ProcessUser.UID;
        return Path.of(System.getProperty("java.io.tmpdir"), uid < 0 ? "embedded-pg" : "embedded-pg-" + uid);
    }

    /** An executable of this installation, e.g. {@code postgres}. */
    Path program(String name) {
        return home.resolve("bin").resolve(name);
    }

    Path home() {
        return home;
    }

    /** A copy whose programs a temp-file cleaner removed is unpacked again. */
    private boolean complete() {
        return Files.isExecutable(program("postgres")) && Files.isExecutable(program("initdb"));
    }

    /** zonky's names: {@code postgres-<os>-<arch>[-alpine_linux].txz}. */
    private static String archiveName() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String system = os.contains("linux") ? "linux" : os.contains("mac") ? "darwin" : null;
        if (system == null) {
            throw new IllegalStateException("the embedded PostgreSQL runs on Linux and macOS, not on " + os
                    + ": set DATABASE_URL to use an external PostgreSQL");
        }
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String machine = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
                : arch.equals("aarch64") || arch.equals("arm64") ? "arm_64" : arch;
        boolean alpine = system.equals("linux") && Files.exists(Path.of("/etc/alpine-release"));
        return "postgres-" + system + "-" + machine + (alpine ? "-alpine_linux" : "") + ".txz";
    }

    private static String fingerprint(URL url) throws IOException {
        URLConnection connection = url.openConnection();
        if (connection instanceof JarURLConnection jar) {
            jar.setUseCaches(false);
            try (JarFile file = jar.getJarFile()) {
                JarEntry entry = file.getJarEntry(jar.getEntryName());
                if (entry != null && entry.getCrc() >= 0 && entry.getSize() >= 0) {
                    return entry.getSize() + "-" + Long.toHexString(entry.getCrc());
                }
            }
        }
        return connection.getContentLengthLong() + "-" + Long.toHexString(connection.getLastModified());
    }

    private static void unpack(URL url, Path cacheRoot, Path home) throws IOException {
        long started = System.nanoTime();
        Path partial = cacheRoot.resolve(home.getFileName() + ".partial-" + UUID.randomUUID());
        try {
            URLConnection connection = url.openConnection();
            connection.setUseCaches(false);
            try (InputStream in = connection.getInputStream();
                 TarArchiveInputStream tar = new TarArchiveInputStream(
                         new XZInputStream(new BufferedInputStream(in, 1 << 16)))) {
                for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                    write(tar, e, partial);
                }
            }
            Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("PostgreSQL binaries unpacked into {} in {} ms", home, (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            if (!Files.isDirectory(home)) {
                throw e;
            }
            // another process unpacked the same archive first: use its copy
        } finally {
            DirectoryTree.delete(partial);
        }
    }

    private static void write(TarArchiveInputStream tar, TarArchiveEntry entry, Path root) throws IOException {
        Path target = root.resolve(entry.getName()).normalize();
        if (!target.startsWith(root)) {
            throw new IOException("archive entry outside its directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
            Files.createDirectories(target);
            return;
        }
        Files.createDirectories(target.getParent());
        if (entry.isSymbolicLink()) {
            Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
            Files.createLink(target, root.resolve(entry.getLinkName()).normalize());
        } else if (entry.isFile()) {
            Files.copy(tar, target);
            boolean executable = (entry.getMode() & 0111) != 0;
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(executable ? "rwxr-xr-x"
                    : "rw-r--r--"));
        } else {
            throw new IOException("unsupported archive entry " + entry.getName());
        }
    }
}
