package dev.kiebot.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server this process started, a child process of the JVM. It runs until {@link #close()}: nothing
 * else in this JVM stops it (no shutdown hook), so the bot's own shutdown decides when the database goes, after
 * the work that needs it.
 */
final class Postmaster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Postmaster.class);
    /** Crash recovery after a kill replays the WAL written since the last checkpoint (at most 5 minutes' worth). */
    private static final long STARTUP_WAIT_MILLIS = 120_000;
    private static final long POLL_MILLIS = 5;
    /** After its pid file is gone the server only has to exit. */
    private static final long EXIT_WAIT_MILLIS = 5_000;
    /** Line 8 of postmaster.pid: "ready" once the server accepts connections (what pg_ctl -w waits for). */
    private static final int STATUS_LINE = 7;
    /**
     * Free ports a start tries. A port is free when it is chosen and bound by the server a moment later: another
     * process (a second bot starting beside this one, a build's test server) may take it between the two, which is
     * no reason for the bot not to start.
     */
    static final int PORT_ATTEMPTS_MAX = 3;
    /** The one address the server listens on and the bot connects to. */
    static final String LOOPBACK = "127.0.0.1";

    private final Process process;
    /** The server's output, copied into the bot's log. */
    private final ServerLog log;
    private final Path directory;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Postmaster(Process process, ServerLog log, Path directory, int port) {
        this.process = process;
        this.log = log;
        this.directory = directory;
        this.port = port;
    }

    /**
     * Starts the server on {@code directory} (an initialised data directory), on a free local port, and waits until
     * it is ready.
     */
    static Postmaster start(PostgresBinaries binaries, Path directory, ServerSettings settings) {
        return start(binaries, directory, settings, Postmaster::freeLocalPort);
    }

    /**
     * Starts the server on the next port of {@code ports}, and on another when that one was taken before the server
     * could listen on it, at most {@link #PORT_ATTEMPTS_MAX} ports in all.
     */
    static Postmaster start(PostgresBinaries binaries, Path directory, ServerSettings settings, IntSupplier ports) {
        for (int attempt = 1; ; attempt++) {
            int port = ports.getAsInt();
            try {
                return start(binaries, directory, settings, port);
            } catch (PortTaken e) {
                if (attempt == PORT_ATTEMPTS_MAX) {
                    throw e;
                }
                LOG.warn("port {} was taken before PostgreSQL on {} could listen on it; starting it on another",
                        port, directory);
            }
        }
    }

    /** Starts the server on {@code port}, where its clients already connect ({@link RestartingPostmaster}). */
    static Postmaster start(PostgresBinaries binaries, Path directory, ServerSettings settings, int port) {
        List<String> arguments = new ArrayList<>(List.of("-D", directory.toString(), "-p", Integer.toString(port)));
        arguments.addAll(settings.commandLineOptions());
        ProcessBuilder builder = new ProcessBuilder(PostgresCommand.of(binaries.program("postgres"), arguments, true))
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL from " + binaries.home(), e);
        }
        ServerLog log = ServerLog.follow(process.getInputStream(), "postgres-" + process.pid(), false);
        Postmaster postmaster = new Postmaster(process, log, directory, port);
        try {
            postmaster.awaitReady(log);
        } catch (RuntimeException e) {
            postmaster.close();
            throw e;
        }
        return postmaster;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** Completes when the server has exited, whoever stopped it. */
    CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** The exit status; only once {@link #onExit()} has completed. */
    int exitStatus() {
        return process.exitValue();
    }

    private void awaitReady(ServerLog log) {
        long deadline = System.nanoTime() + STARTUP_WAIT_MILLIS * 1_000_000;
        while (!isReady()) {
            if (!process.isAlive()) {
                String lines = log.lastLines();
                String why = "PostgreSQL exited with status " + process.exitValue() + " while starting on "
                        + directory + ":\n" + lines;
                throw taken(lines) ? new PortTaken(why) : new IllegalStateException(why);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL on " + directory + " was not ready after "
                        + STARTUP_WAIT_MILLIS / 1000 + " s:\n" + log.lastLines());
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while PostgreSQL was starting on " + directory, e);
            }
        }
    }

    /**
     * Whether a server that exited while starting was refused its port: PostgreSQL says so in the words of the
     * system's error («Address already in use», in English unless the machine's locale translates it), and the
     * port being taken now says it in any language.
     */
    @SuppressWarnings("AddressSelection") // a literal loopback address, not a name: one address is all there is
    private boolean taken(String lines) {
        if (lines.contains("Address already in use")) {
            return true;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** The server could not listen on its port: another process had taken it. */
    static final class PortTaken extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PortTaken(String message) {
            super(message);
        }
    }

    /** Our server (its pid in the pid file) says "ready". */
    private boolean isReady() {
        try {
            List<String> lines = Files.readAllLines(directory.resolve(LeftoverPostmaster.PID_FILE),
                    StandardCharsets.UTF_8);
            return lines.size() > STATUS_LINE && lines.get(0).trim().equals(Long.toString(process.pid()))
                    && lines.get(STATUS_LINE).trim().equals("ready");
        } catch (IOException e) {
            return false;
        }
    }

    /** Fast shutdown (clients disconnected, a checkpoint written), waiting until the server has exited. */
    @Override
    public void close() {
        if (closed.getAndSet(true) || !process.isAlive()) {
            return;
        }
        long started = System.nanoTime();
        if (PostmasterShutdown.stop(process.toHandle(), directory) && awaitExit()) {
            log.awaitEnd(); // its last lines logged before whatever the stopper logs next
            LOG.info("PostgreSQL on {} stopped in {} ms", directory, (System.nanoTime() - started) / 1_000_000);
        } else {
            LOG.error("PostgreSQL (pid {}) on {} did not stop", process.pid(), directory);
        }
    }

    private boolean awaitExit() {
        try {
            return process.waitFor(EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A port free now on the loopback interface; the server binds it a moment later. */
    @SuppressWarnings("AddressSelection") // a literal loopback address, not a name: one address is all there is
    private static int freeLocalPort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port for PostgreSQL", e);
        }
    }
}
