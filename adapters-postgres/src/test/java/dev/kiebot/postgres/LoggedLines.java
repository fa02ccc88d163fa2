package dev.kiebot.postgres;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** What one class (or one named logger) logs while a test watches it: from {@link #of} until {@link #close}. */
final class LoggedLines implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    private LoggedLines(String logger) {
        this.logger = (Logger) LoggerFactory.getLogger(logger);
        lines.start();
        this.logger.addAppender(lines);
    }

    static LoggedLines of(Class<?> source) {
        return new LoggedLines(source.getName());
    }

    /** What the logger of that name logs (one that is no class's, e.g. the server's output). */
    static LoggedLines named(String logger) {
        return new LoggedLines(logger);
    }

    /** The messages logged so far, formatted. */
    List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** The level of each line logged so far whose message starts with {@code start}. */
    List<Level> levelsOf(String start) {
        return lines.list.stream().filter(e -> e.getFormattedMessage().startsWith(start)).map(ILoggingEvent::getLevel)
                .toList();
    }

    @Override
    public void close() {
        logger.detachAppender(lines);
    }
}
