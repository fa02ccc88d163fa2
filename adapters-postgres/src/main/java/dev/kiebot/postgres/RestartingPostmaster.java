package dev.kiebot.postgres;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bot's own server, kept running: a {@link Postmaster} that exits without being asked to (killed by an operator
 * or by the out-of-memory killer of a small box) is started again on the same directory and port, so the pool
 * reconnects where it was and the bot answers again after a crash recovery instead of staying unready until
 * somebody restarts it. The work in flight is safe across the gap: an update's handling commits or leaves nothing,
 * and what waited is taken up again (the same as after a database outage).
 *
 * <p>Bounded, so a server that cannot run (its directory damaged or removed, the port taken) is not started for
 * ever: each exit gets {@link Policy#attemptsMax()} attempts, backing off, and after {@link Policy#exitsMax()} exits
 * within {@link Policy#exitsWindow()} it is left down with an error saying to restart the bot ({@code /readyz}
 * says the database is unreachable all the while).
 */
final class RestartingPostmaster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RestartingPostmaster.class);

    /**
     * How hard to try.
     *
     * @param attemptsMax starts tried after one exit before giving up
     * @param firstDelay  the wait before the first attempt (the dead server's backends notice and exit meanwhile;
     *                    PostgreSQL refuses to start while one of them still holds the shared memory), doubled
     *                    before each next one up to {@code delayMax}
     * @param exitsMax    the exit without being asked to that leaves the server down when the ones before it all
     *                    fall within {@code exitsWindow}
     */
    record Policy(int attemptsMax, Duration firstDelay, Duration delayMax, int exitsMax, Duration exitsWindow) {
        /** About a minute of attempts per exit; a server that dies five times in ten minutes is left down. */
        static final Policy DEFAULT = new Policy(8, Duration.ofMillis(250), Duration.ofSeconds(15), 5,
                Duration.ofMinutes(10));

        Policy {
            if (attemptsMax < 1 || exitsMax < 1 || firstDelay.isNegative() || delayMax.compareTo(firstDelay) < 0
                    || exitsWindow.isNegative()) {
                throw new IllegalArgumentException("invalid restart policy " + attemptsMax + ", " + firstDelay
                        + ", " + delayMax + ", " + exitsMax + ", " + exitsWindow);
            }
        }
    }

    private final PostgresBinaries binaries;
    private final Path directory;
    private final ServerSettings settings;
    private final Policy policy;
    private final Object lock = new Object();
    /** Written under {@link #lock}; read without it by {@link #pid()}, which must not wait for a start. */
    private volatile Postmaster current;
    /** Every server of this directory listens here: the pool's URL names it. */
    private final int port;
    /** Guarded by {@link #lock}: set by {@link #close()}, after which nothing is started. */
    private boolean closing;
    /**
     * When the server exited without being asked to ({@link System#nanoTime()}): used by one restart thread at a
     * time (the next exit's thread takes {@link #lock} after the one before has let go of it).
     */
    private final Deque<Long> exitsNanos = new ArrayDeque<>();
    private final CompletableFuture<Void> leftDown = new CompletableFuture<>();
    private final AtomicLong restarts = new AtomicLong();

    private RestartingPostmaster(PostgresBinaries binaries, Path directory, ServerSettings settings, Policy policy,
                                 Postmaster first) {
        this.binaries = binaries;
        this.directory = directory;
        this.settings = settings;
        this.policy = policy;
        this.current = first;
        this.port = first.port();
    }

    /** Starts the server on {@code directory} and watches it. */
    static RestartingPostmaster start(PostgresBinaries binaries, Path directory, ServerSettings settings,
                                      Policy policy) {
        RestartingPostmaster server = new RestartingPostmaster(binaries, directory, settings, policy,
                Postmaster.start(binaries, directory, settings));
        synchronized (server.lock) {
            server.watch(server.current);
        }
        return server;
    }

    int port() {
        return port;
    }

    /** The server's process id (another one after a restart; the dead one's until then). */
    long pid() {
        return current.pid();
    }

    /** Completes once the server was left down (too many exits, or every attempt after one failed). */
    CompletionStage<Void> leftDown() {
        return leftDown;
    }

    /** How many times the server was started again after it died. */
    long restarts() {
        return restarts.get();
    }

    boolean gaveUp() {
        return leftDown.isDone();
    }

    @SuppressWarnings("FutureReturnValueIgnored") // the exit's action starts a thread and throws nothing to lose
    private void watch(Postmaster server) {
        // the exit is reported on the JDK's process reaper thread, which must not wait for a start
        server.onExit().thenRun(() -> {
            Thread restart = new Thread(() -> afterExit(server), "embedded-postgres-restart");
            restart.setDaemon(true);
            restart.start();
        });
    }

    private void afterExit(Postmaster exited) {
        synchronized (lock) {
            if (closing || current != exited) {
                return;
            }
        }
        LOG.error("PostgreSQL (pid {}) on {} exited with status {} without being asked to; starting it again on "
                + "port {}", exited.pid(), directory, exited.exitStatus(), port);
        if (tooManyExits()) {
            giveUp("it exited " + exitsNanos.size() + " times within " + policy.exitsWindow().toMinutes()
                    + " minutes");
            return;
        }
        Duration delay = policy.firstDelay();
        for (int attempt = 1; attempt <= policy.attemptsMax(); attempt++) {
            if (!pause(delay) || closing()) {
                return;
            }
            if (startAgain(attempt)) {
                return;
            }
            Duration doubled = delay.multipliedBy(2);
            delay = doubled.compareTo(policy.delayMax()) > 0 ? policy.delayMax() : doubled;
        }
        giveUp(policy.attemptsMax() + " attempts to start it failed");
    }

    private boolean closing() {
        synchronized (lock) {
            return closing;
        }
    }

    /** @return whether the server runs again (false after {@link #close()} too: the loop then ends) */
    private boolean startAgain(int attempt) {
        synchronized (lock) {
            if (closing) {
                return false;
            }
            try {
                current = Postmaster.start(binaries, directory, settings, port);
                restarts.incrementAndGet();
                watch(current);
                LOG.info("PostgreSQL on {} runs again (pid {}, attempt {})", directory, current.pid(), attempt);
                return true;
            } catch (RuntimeException e) {
                LOG.warn("PostgreSQL on {} did not start again (attempt {} of {}): {}", directory, attempt,
                        policy.attemptsMax(), e.getMessage());
                return false;
            }
        }
    }

    /** Counts this exit; true when the window holds more than the policy allows. */
    private boolean tooManyExits() {
        long now = System.nanoTime();
        exitsNanos.addLast(now);
        while (now - exitsNanos.peekFirst() > policy.exitsWindow().toNanos()) {
            exitsNanos.removeFirst();
        }
        return exitsNanos.size() >= policy.exitsMax();
    }

    private void giveUp(String why) {
        LOG.error("PostgreSQL on {} is left stopped: {}. The bot cannot work without it (/readyz says so): see the "
                + "server's log lines above, then restart the bot", directory, why);
        leftDown.complete(null);
    }

    private static boolean pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the server (fast shutdown) and starts no other; waits for a start in progress to end first. */
    @Override
    public void close() {
        Postmaster server;
        synchronized (lock) {
            closing = true;
            server = current;
        }
        server.close();
    }
}
