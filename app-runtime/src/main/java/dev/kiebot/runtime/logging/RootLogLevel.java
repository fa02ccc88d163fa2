package dev.kiebot.runtime.logging;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code LOG_LEVEL} to Logback's root logger. The configuration reads the variable (Logback does not:
 * the environment is read in one place) and has already checked it is one of TRACE … ERROR.
 */
public final class RootLogLevel {
    private RootLogLevel() {
    }

    public static void set(String level) {
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(Level.toLevel(level, Level.INFO));
        }
    }
}
