package dev.kiebot.postgres;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded server's password. The server listens on localhost, which every process of the machine reaches, and
 * it holds the balances: every connection, the bot's own too, gives the password, so that another user of a
 * shared box cannot connect as the superuser and credit himself (or run programs as the bot's user). Random, made
 * once per data directory and kept inside it ({@value #FILE}, readable by its owner only), so that a copy of the
 * directory carries it. A directory made before passwords (its server trusted every local connection) gets one at
 * its next start, set in single-user mode before the server listens; the client authentication file is written at
 * every start, so that it says the same whatever an earlier version or an operator left there.
 */
final class ClusterPassword {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterPassword.class);
    static final String FILE = "kiebot.password";
    static final String CLIENT_AUTHENTICATION_FILE = "pg_hba.conf";
    /** 24 random bytes: 32 characters of base64url, nothing to quote in SQL or a shell. */
    private static final int PASSWORD_BYTES = 24;
    private static final long SINGLE_USER_WAIT_MILLIS = 60_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * The password itself goes over the loopback ({@code password}, checked against the stored SCRAM verifier): only
     * root can read loopback traffic, and root can read {@value #FILE} as well. The SCRAM exchange would hide it from
     * nobody else, and pgjdbc's side of it left the JVM about 10 MiB more resident after the start (freed native
     * memory glibc keeps; BENCHMARKS.md section 20).
     */
    private static final String CLIENT_AUTHENTICATION = String.join("\n",
            "# Written by kiebot at every start (ClusterPassword): over TCP from this machine only, with the password",
            "# in " + FILE + ". The server has no Unix socket (unix_socket_directories is empty).",
            "host all all 127.0.0.1/32 password",
            "host all all ::1/128 password",
            "");

    private ClusterPassword() {
    }

    static String newPassword() {
        byte[] bytes = new byte[PASSWORD_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The password kept in {@code cluster}, if it has one. */
    static Optional<String> read(Path cluster) {
        Path file = cluster.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            String password = Files.readString(file, StandardCharsets.UTF_8).strip();
            return password.isEmpty() ? Optional.empty() : Optional.of(password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the embedded database's password in " + file, e);
        }
    }

    /** Keeps {@code password} in {@code cluster}: whole or not at all, readable by its owner only. */
    static void keep(Path cluster, String password) {
        keepIn(cluster.resolve(FILE), password);
    }

    /** {@code password} alone on a line in {@code file}, readable by its owner only (initdb's --pwfile too). */
    static void keepIn(Path file, String password) {
        writeOwnerOnly(file, password + "\n");
    }

    /**
     * The password of {@code cluster}, whose server is not running; one is made and set first when the directory has
     * none. It is kept only once set: a start cut off in between leaves no file, and the next start sets another.
     */
    static String ensure(PostgresBinaries binaries, Path cluster) {
        Optional<String> kept = read(cluster);
        if (kept.isPresent()) {
            return kept.get();
        }
        String password = assignNew(binaries, cluster);
        LOG.info("the embedded database now asks every connection for a password (kept in {}): it had trusted "
                + "every process on this machine", cluster.resolve(FILE));
        return password;
    }

    /** A new password for {@code cluster}, whose server is not running: set, then kept. */
    static String assignNew(PostgresBinaries binaries, Path cluster) {
        String password = newPassword();
        setInSingleUserMode(binaries, cluster, password);
        keep(cluster, password);
        return password;
    }

    /** Writes the client authentication file: password connections over TCP from this machine, nothing else. */
    static void writeClientAuthentication(Path cluster) {
        writeOwnerOnly(cluster.resolve(CLIENT_AUTHENTICATION_FILE), CLIENT_AUTHENTICATION);
    }

    /** {@code ALTER ROLE} on the stopped server's files; the password goes through standard input, never argv. */
    private static void setInSingleUserMode(PostgresBinaries binaries, Path cluster, String password) {
        List<String> arguments = List.of("--single", "-D", cluster.toString(), "-c", "password_encryption=scram-sha-256",
                "postgres");
        Process process;
        try {
            process = new ProcessBuilder(PostgresCommand.of(binaries.program("postgres"), arguments, false))
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL in single-user mode on " + cluster, e);
        }
        ServerLog log = ServerLog.follow(process.getInputStream(), "postgres-single-" + process.pid(), true);
        try (OutputStream in = process.getOutputStream()) {
            in.write(("ALTER ROLE " + DatabaseCluster.SUPERUSER + " PASSWORD '" + password + "'\n")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException("cannot set the embedded database's password on " + cluster, e);
        }
        try {
            if (!process.waitFor(SINGLE_USER_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("setting the embedded database's password on " + cluster
                        + " did not finish in " + SINGLE_USER_WAIT_MILLIS / 1000 + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting the embedded database's password", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("setting the embedded database's password on " + cluster
                    + " failed with status " + process.exitValue() + ":\n"
                    + ProcessUser.explainNoEntry(log.lastLines()));
        }
    }

    private static void writeOwnerOnly(Path file, String text) {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        try {
            Files.deleteIfExists(next);
            Files.createFile(next);
            try {
                Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its own access rules apply
            }
            Files.writeString(next, text, StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
