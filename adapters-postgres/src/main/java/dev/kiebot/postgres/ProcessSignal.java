package dev.kiebot.postgres;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

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
        ProcessBuilder kill = new ProcessBuilder("sh", "-c", "kill -s " + name() + " " + pid)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try {
            Process p = kill.start();
            if (!p.waitFor(SHELL_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
