package dev.kiebot.postgres;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a PostgreSQL program's output into the bot's log, keeping the last lines for error messages. The
 * server's own messages (start, recovery, checkpoints) are logged at INFO, problems of the server itself
 * (WARNING, FATAL, PANIC) at WARN; a failed statement (ERROR and its DETAIL, STATEMENT...) only at DEBUG, since
 * the client got that error and decides what it means.
 */
final class ServerLog {
    private static final Logger LOG = LoggerFactory.getLogger("dev.kiebot.postgres.server");
    /** {@code log_line_prefix} set by {@link ServerSettings}: the pid, then the severity. */
    private static final Pattern SEVERITY = Pattern.compile("(?:\\[\\d+\\] )?([A-Z]+):  ");
    /**
     * FATAL for a session that was still ending when a fast shutdown came: the normal end of a session whose
     * client already closed it, not a problem.
     */
    private static final String SESSION_ENDED_BY_SHUTDOWN = "terminating connection due to administrator command";
    private static final int LINES_KEPT = 30;
    private static final long END_WAIT_MILLIS = 2_000;

    private final Deque<String> lastLines = new ArrayDeque<>(LINES_KEPT);
    private final boolean quiet;
    private final CountDownLatch ended = new CountDownLatch(1);

    private ServerLog(boolean quiet) {
        this.quiet = quiet;
    }

    /**
     * Starts copying {@code output} on a daemon thread named {@code name}.
     *
     * @param quiet everything at DEBUG (a tool's chatter, e.g. initdb's), kept for an error message only
     */
    static ServerLog follow(InputStream output, String name, boolean quiet) {
        ServerLog log = new ServerLog(quiet);
        Thread t = new Thread(() -> log.copy(output), name);
        t.setDaemon(true);
        t.start();
        return log;
    }

    /** The last lines written, oldest first, once the program has closed its output (waiting a little for that). */
    String lastLines() {
        awaitEnd();
        synchronized (this) {
            return "  " + String.join("\n  ", new ArrayList<>(lastLines));
        }
    }

    /**
     * Waits (a little, at most {@value #END_WAIT_MILLIS} ms) until the program's output has ended and every line of
     * it is logged. A program's exit is seen before the thread copying its output reads the last lines, so without
     * this the server's "database system is shut down" was logged after whatever its stopper logged next (a failed
     * start's last line, an ERROR meant to be the last).
     */
    void awaitEnd() {
        try {
            ended.await(END_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void copy(InputStream output) {
        Level level = Level.INFO;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                keep(line);
                Matcher m = SEVERITY.matcher(line);
                // DETAIL, HINT, STATEMENT... and unprefixed lines continue the message before them
                level = m.lookingAt() ? Level.of(m.group(1)).orElse(level) : level;
                if (line.contains(SESSION_ENDED_BY_SHUTDOWN)) {
                    level = Level.INFO;
                }
                switch (quiet ? Level.DEBUG : level) {
                    case DEBUG -> LOG.debug("{}", line);
                    case INFO -> LOG.info("{}", line);
                    case WARN -> LOG.warn("{}", line);
                }
            }
        } catch (IOException e) {
            LOG.debug("server output closed: {}", e.toString());
        } finally {
            ended.countDown();
        }
    }

    private synchronized void keep(String line) {
        if (lastLines.size() == LINES_KEPT) {
            lastLines.removeFirst();
        }
        lastLines.addLast(line);
    }

    private enum Level {
        DEBUG, INFO, WARN;

        /** The level of a message's first line; empty for the lines that continue a message. */
        static Optional<Level> of(String severity) {
            return switch (severity) {
                case "ERROR" -> Optional.of(DEBUG);
                case "WARNING", "FATAL", "PANIC" -> Optional.of(WARN);
                case "LOG", "INFO", "NOTICE", "DEBUG" -> Optional.of(INFO);
                default -> Optional.empty();
            };
        }
    }
}
