package dev.kiebot.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a runner's process ends. Asked to stop (SIGTERM: a deploy, Ctrl-C): the runner is closed (intake stops, the
 * work in flight finishes, the database stops last) and the process exits 0, not 143. Stopped by a condition it
 * cannot leave by itself ({@link #fail}): the same orderly close, then that status, so that a supervisor restarting
 * only failed processes (systemd's {@code Restart=on-failure}, Docker's {@code on-failure}) starts it again.
 */
public final class ProcessEnd {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessEnd.class);
    /**
     * The JVM's own status when it runs out of heap under {@code -XX:+ExitOnOutOfMemoryError} (the image's and
     * {@code small-box.jvm}'s flag): no status of ours takes it, so an operator can tell the two apart.
     */
    public static final int OUT_OF_HEAP = 3;
    /** The bot's own embedded PostgreSQL was left down ({@code EmbeddedDatabase.leftDown}). */
    public static final int DATABASE_LEFT_DOWN = 4;
    /** The webhook runner's {@code setWebhook} failed for good under {@code REQUIRE_WEBHOOK_REGISTERED}. */
    public static final int WEBHOOK_NOT_REGISTERED = 5;
    /**
     * The polling runner found a webhook set for its bot (at start, or behind a 409) and left it, as it must unless
     * {@code POLLING_TAKES_OVER_WEBHOOK} is on: polling would delete it, and the bot serving it would hear nothing.
     * A restart finds the same webhook: {@code deploy/kiebot.service} does not restart on it.
     */
    public static final int WEBHOOK_IS_SET = 6;
    /**
     * The database's schema was migrated by a newer build than this one (an older build started on it: a refused
     * rollback). A restart meets the same schema: {@code deploy/kiebot.service} does not restart on it, and the
     * operator starts the newer build again or restores the copy taken before the upgrade (README, "Upgrading from
     * an earlier build").
     */
    public static final int SCHEMA_NEWER_THAN_BUILD = 7;
    /** The status the process halts with once closed: 0 unless {@link #fail} set another. */
    private static final AtomicInteger STATUS = new AtomicInteger();

    private ProcessEnd() {
    }

    /** When the JVM is asked to exit (SIGTERM, {@link #fail}): closes {@code runner}, then halts with the status. */
    public static void closeOnExit(AutoCloseable runner) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // the stop's first line: its waits (each bounded at 5 s) took half a minute without a word, which read as
            // a hang, and the lines after it (an interrupted task's) as the stop's cause
            int status = STATUS.get();
            LOG.info("stopping ({}): intake stops, the work in flight finishes, the database stops last; up to about "
                    + "half a minute", status == 0 ? "SIGTERM or Ctrl-C" : "exit status " + status);
            try {
                runner.close();
            } catch (Exception e) {
                LOG.error("stopping the bot failed: {}", e.toString());
            } finally {
                // halting here is what turns SIGTERM's 143 into 0, and keeps fail's status
                Runtime.getRuntime().halt(STATUS.get());
            }
        }, "shutdown"));
    }

    /** Closes the runner (through {@link #closeOnExit}) and exits with {@code status} (not 0); does not return. */
    public static void fail(int status, String why) {
        if (status == 0) {
            throw new IllegalArgumentException("a failure exits with a status other than 0: " + why);
        }
        LOG.error("exiting with status {}: {}", status, why);
        STATUS.set(status);
        System.exit(status);
    }
}
