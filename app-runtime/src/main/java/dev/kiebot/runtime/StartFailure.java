package dev.kiebot.runtime;

import dev.kiebot.runtime.config.ConfigException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A start that cannot go on for a reason the operator fixes: a bot token Telegram refuses, a database that cannot be
 * reached or started, a setting that can only be checked once the bot is assembled. Its message is one line that
 * says what to check, never a secret.
 *
 * <p>A runner's {@code main} starts through {@link #orExit}: any failure of the start, this one, a wrong
 * configuration ({@link ConfigException}) or anything else, becomes one ERROR line and exit status
 * {@value #STATUS}. An operator (or a supervisor's log view) then reads what to fix on the last line, not at the top
 * of a stack trace that scrolled it away; a supervisor restarting failed processes sees the same status for every
 * start that needs a human, as it did for the configuration alone. A failure nobody foresaw (a bug, not a setting)
 * also logs its stack trace, as a WARN line above the ERROR one.
 */
public final class StartFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(StartFailure.class);
    /** The exit status of every start that failed (a wrong configuration's since the first version). */
    public static final int STATUS = 2;
    /** {@link #STATUS}, or one of {@link ProcessEnd}'s for a failure a supervisor should tell apart. */
    private final int status;

    /** @param message one line: what failed and what to check; no secret */
    public StartFailure(String message) {
        this(STATUS, message);
    }

    /** @param message one line: what failed and what to check; no secret */
    public StartFailure(String message, Throwable cause) {
        super(message, cause);
        this.status = STATUS;
    }

    /**
     * A failure with an exit status of its own (one of {@link ProcessEnd}'s): one a supervisor must not simply restart.
     *
     * @param message one line: what failed and what to check; no secret
     */
    public StartFailure(int status, String message) {
        super(message);
        if (status == 0) {
            throw new IllegalArgumentException("a failed start exits with a status other than 0: " + message);
        }
        this.status = status;
    }

    /** The exit status {@link #orExit} ends the process with. */
    public int status() {
        return status;
    }

    /**
     * What {@code start} returns; if it throws, logs the failure as one line and exits with {@value #STATUS}, or the
     * status of a {@code StartFailure} that has one of its own (does not return then). For a runner's {@code main}:
     * reading the settings, then starting the runner.
     */
    public static <T> T orExit(Supplier<T> start) {
        try {
            return start.get();
        } catch (RuntimeException e) {
            if (!expected(e)) {
                // a bug rather than a setting: where it happened is for a developer, and a start that failed once
                // may not fail the same way again, so its trace is kept; above the line, which stays the last one
                LOG.warn("the start failed here", e);
            }
            int status = e instanceof StartFailure failure ? failure.status() : STATUS;
            LOG.error("cannot start (exit status {}): {}", status, line(e));
            System.exit(status);
            throw e; // System.exit does not return; the compiler does not know
        }
    }

    /** Whether {@code e} says all there is to say in its message: no stack trace could help the operator. */
    static boolean expected(RuntimeException e) {
        return e instanceof StartFailure || e instanceof ConfigException;
    }

    /** The failure as one line: a wrong configuration lists every problem, anything else names its type as well. */
    static String line(RuntimeException e) {
        if (e instanceof ConfigException config) {
            return "the configuration has " + config.problems().size() + " problem(s); fix the environment and "
                    + "restart: " + String.join("; ", config.problems().stream().map(StartFailure::oneLine).toList());
        }
        String message = e.getMessage() == null ? "" : oneLine(e.getMessage());
        if (e instanceof StartFailure) {
            return message;
        }
        return e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message)
                + " (where: the stack trace above)";
    }

    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
