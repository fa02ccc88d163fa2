package dev.kiebot.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server still running on a data directory whose owner is gone. The server runs in its own session,
 * so when the bot's JVM is killed (OOM killer, {@code kill -9}) the server outlives it; PostgreSQL would then
 * refuse to start a second server on the directory. Called only while holding the {@link DataDirectoryLock}, so
 * no live bot owns the directory: a server on it is a leftover, and it is stopped.
 *
 * <p>The pid file alone is not trusted: the process it names must be a {@code postgres} whose command line names
 * this very directory ({@code -D}). Anything else is left alone. One case is repaired: when the pid file names a
 * live process that is provably not that server (not PostgreSQL, or started after the server the file records:
 * its pid was reused, typical after a container restart or a reboot), the stale pid file is removed, because
 * PostgreSQL itself would refuse to start while that pid is alive.
 */
final class LeftoverPostmaster {
    private static final Logger LOG = LoggerFactory.getLogger(LeftoverPostmaster.class);
    static final String PID_FILE = "postmaster.pid";
    /** Far more than a process start time's rounding and the moments before a postmaster writes its pid file. */
    private static final Duration START_TIME_SLACK = Duration.ofMinutes(1);

    /** What the pid file of a data directory turned out to name. */
    enum Finding {
        /** No pid file: the last server stopped cleanly. */
        NO_PID_FILE,
        /** Unreadable, or names a process that is gone: PostgreSQL treats it as stale itself. */
        STALE,
        /** A postgres on this directory, left by a killed owner: stopped. */
        LEFT_RUNNING,
        /**
         * A live process that is not that server (not PostgreSQL, or younger than it): the pid was reused, the stale
         * pid file is removed.
         */
        PID_REUSED,
        /** A process this check cannot prove to be either: left to PostgreSQL's own checks. */
        UNKNOWN
    }

    private LeftoverPostmaster() {
    }

    /** Inspects {@code directory}'s pid file and stops a leftover server or removes a stale pid file. */
    static Finding clear(Path directory) {
        Finding finding = inspect(directory);
        switch (finding) {
            case LEFT_RUNNING -> stopLeftover(directory);
            case PID_REUSED -> removeStalePidFile(directory);
            case NO_PID_FILE, STALE, UNKNOWN -> { }
        }
        return finding;
    }

    static Finding inspect(Path directory) {
        Optional<Long> pid = pidInFile(directory);
        if (pid.isEmpty()) {
            return Files.exists(directory.resolve(PID_FILE)) ? Finding.STALE : Finding.NO_PID_FILE;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return Finding.STALE;
        }
        List<String> commandLine = commandLine(process.get());
        if (!commandLine.isEmpty() && isPostmasterOf(commandLine, directory)) {
            return Finding.LEFT_RUNNING;
        }
        if (startedAfterTheServerOfThePidFile(process.get(), directory)) {
            // e.g. after a reboot, the pid now another PostgreSQL's (a system server, one of its backends)
            return Finding.PID_REUSED;
        }
        if (commandLine.isEmpty()) {
            return Finding.UNKNOWN;
        }
        return commandLine.get(0).contains("postgres") ? Finding.UNKNOWN : Finding.PID_REUSED;
    }

    /**
     * Whether {@code process} started well after the server the pid file names (its third line, seconds since the
     * epoch, written by the postmaster in its first moments): then it cannot be that server, whatever it is.
     */
    private static boolean startedAfterTheServerOfThePidFile(ProcessHandle process, Path directory) {
        Optional<Instant> server = serverStartInFile(directory);
        Optional<Instant> started = process.info().startInstant();
        return server.isPresent() && started.isPresent()
                && started.get().isAfter(server.get().plus(START_TIME_SLACK));
    }

    private static Optional<Instant> serverStartInFile(Path directory) {
        try {
            List<String> lines = Files.readAllLines(directory.resolve(PID_FILE), StandardCharsets.UTF_8);
            return lines.size() < 3 ? Optional.empty()
                    : Optional.of(Instant.ofEpochSecond(Long.parseLong(lines.get(2).trim())));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@code postgres ... -D <directory> ...}: how this class (and zonky before it) starts the server. */
    static boolean isPostmasterOf(List<String> commandLine, Path directory) {
        String program = commandLine.get(0);
        if (!program.substring(program.lastIndexOf('/') + 1).equals("postgres")) {
            return false;
        }
        for (int i = 1; i + 1 < commandLine.size(); i++) {
            if (commandLine.get(i).equals("-D") && sameDirectory(commandLine.get(i + 1), directory)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameDirectory(String named, Path directory) {
        try {
            Path path = Path.of(named);
            return path.toAbsolutePath().normalize().equals(directory.toAbsolutePath().normalize())
                    || Files.isSameFile(path, directory);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void stopLeftover(Path directory) {
        long pid = pidInFile(directory).orElseThrow();
        Optional<ProcessHandle> postmaster = ProcessHandle.of(pid);
        LOG.warn("a PostgreSQL server (pid {}) is still running on {}, left by a bot process that did not stop it "
                + "(killed?): stopping it", pid, directory);
        if (postmaster.isPresent() && !PostmasterShutdown.stop(postmaster.get(), directory)) {
            throw new IllegalStateException("the PostgreSQL server (pid " + pid + ") left running on " + directory
                    + " did not stop; stop it by hand (kill " + pid + ") and start again");
        }
    }

    private static void removeStalePidFile(Path directory) {
        Path pidFile = directory.resolve(PID_FILE);
        LOG.warn("{} names pid {}, which now belongs to another program: removing the stale pid file", pidFile,
                pidInFile(directory).map(String::valueOf).orElse("?"));
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new IllegalStateException("cannot remove the stale " + pidFile + ": " + e.getMessage(), e);
        }
    }

    /** The first line of the pid file: the postmaster's pid. */
    private static Optional<Long> pidInFile(Path directory) {
        try {
            List<String> lines = Files.readAllLines(directory.resolve(PID_FILE), StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()))
                    .filter(pid -> pid > 0);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The process's argv, from {@code /proc} where there is one; empty when it cannot be read. */
    private static List<String> commandLine(ProcessHandle process) {
        Path procCmdline = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        if (Files.isDirectory(Path.of("/proc/self"))) {
            try {
                String raw = new String(Files.readAllBytes(procCmdline), StandardCharsets.UTF_8);
                return raw.isEmpty() ? List.of() : List.of(raw.split("\0"));
            } catch (IOException | SecurityException e) {
                return List.of();
            }
        }
        ProcessHandle.Info info = process.info();
        if (info.command().isEmpty() || info.arguments().isEmpty()) {
            return List.of();
        }
        List<String> argv = new ArrayList<>();
        argv.add(info.command().get());
        argv.addAll(Arrays.asList(info.arguments().get()));
        return argv;
    }
}
