package dev.kiebot.postgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a postmaster the way {@code pg_ctl stop -m fast} does, with a bounded wait, escalating only when a step
 * does not finish in time: fast shutdown (SIGINT), then immediate shutdown (SIGQUIT), then SIGKILL. It waits for
 * the server's own processes too, so that a server started next on the same directory finds them gone.
 */
final class PostmasterShutdown {
    private static final Logger LOG = LoggerFactory.getLogger(PostmasterShutdown.class);
    /** A fast shutdown writes one checkpoint: at most shared_buffers of dirty pages. */
    private static final long FAST_WAIT_MILLIS = 30_000;
    private static final long IMMEDIATE_WAIT_MILLIS = 10_000;
    private static final long KILL_WAIT_MILLIS = 10_000;
    private static final long POLL_MILLIS = 10;

    private PostmasterShutdown() {
    }

    /**
     * Stops {@code postmaster}, the server of {@code directory}.
     *
     * @return true when it and its processes are gone
     */
    static boolean stop(ProcessHandle postmaster, Path directory) {
        List<ProcessHandle> serverProcesses = postmaster.descendants().collect(Collectors.toList());
        boolean stopped = step(ProcessSignal.INT, postmaster, directory, FAST_WAIT_MILLIS)
                || step(ProcessSignal.QUIT, postmaster, directory, IMMEDIATE_WAIT_MILLIS)
                || step(ProcessSignal.KILL, postmaster, directory, KILL_WAIT_MILLIS);
        for (ProcessHandle p : serverProcesses) {
            stopped &= awaitGone(p, KILL_WAIT_MILLIS);
        }
        return stopped;
    }

    private static boolean step(ProcessSignal signal, ProcessHandle postmaster, Path directory, long waitMillis) {
        if (signal != ProcessSignal.INT) {
            LOG.warn("PostgreSQL (pid {}) did not stop in time; sending SIG{}", postmaster.pid(), signal);
        }
        if (!signal.sendTo(postmaster.pid()) && postmaster.isAlive()) {
            LOG.warn("could not send SIG{} to PostgreSQL (pid {})", signal, postmaster.pid());
        }
        return awaitStopped(postmaster, directory, waitMillis);
    }

    /**
     * Stopped: the process is gone, or it removed its pid file, the last thing a clean shutdown does (a server
     * left behind by a killed owner may stay a zombie of a parent that does not reap it).
     */
    private static boolean awaitStopped(ProcessHandle postmaster, Path directory, long waitMillis) {
        Path pidFile = directory.resolve("postmaster.pid");
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        while (postmaster.isAlive() && Files.exists(pidFile)) {
            if (System.nanoTime() > deadline || !pause()) {
                return false;
            }
        }
        return true;
    }

    private static boolean awaitGone(ProcessHandle process, long waitMillis) {
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        while (process.isAlive()) {
            if (System.nanoTime() > deadline || !pause()) {
                return false;
            }
        }
        return true;
    }

    private static boolean pause() {
        try {
            Thread.sleep(POLL_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
