package dev.kiebot.postgres;

import java.util.List;

/**
 * The POSIX signals PostgreSQL's postmaster understands as shutdown requests. Java can only send SIGTERM and
 * SIGKILL ({@link Process#destroy()}), which are the wrong ones for PostgreSQL (SIGTERM waits for every client to
 * disconnect), so the others go through the shell's {@code kill}: a shell is on every host PostgreSQL runs on.
 */
enum ProcessSignal {
    /** Fast shutdown: clients are disconnected, a checkpoint is written, the server exits cleanly. */
    INT,
    /** Immediate shutdown: exit now; the next start replays the WAL (crash recovery). */
    QUIT,
    /** The last resort; the next start replays the WAL. */
    KILL;

    private static final long SHELL_WAIT_MILLIS = 10_000;

    /** Sends this signal to {@code pid}; false when it could not be delivered (e.g. the process is gone). */
    boolean sendTo(long pid) {
        return QuickCommand.succeeds(List.of("sh", "-c", "kill -s " + name() + " " + pid), SHELL_WAIT_MILLIS);
    }
}
