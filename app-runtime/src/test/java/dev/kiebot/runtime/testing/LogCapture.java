package dev.kiebot.runtime.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures every log event's raw text (before any masking) for secret checks. */
public final class LogCapture extends AppenderBase<ILoggingEvent> {
    private final List<String> lines = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> levelled = new ArrayList<>();
    private final List<String> withCids = new ArrayList<>();

    public static LogCapture attach() {
        LogCapture c = new LogCapture();
        c.setContext(((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).getLoggerContext());
        c.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(c);
        return c;
    }

    @Override
    protected synchronized void append(ILoggingEvent e) {
        String text = e.getFormattedMessage();
        if (e.getThrowableProxy() != null) {
            text += "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy());
        }
        lines.add(e.getLoggerName() + " " + text);
        levelled.add(e.getLevel() + " " + e.getLoggerName() + " " + text);
        withCids.add("cid=" + e.getMDCPropertyMap().getOrDefault("cid", "") + " " + e.getLoggerName() + " " + text);
        if (e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN)) {
            warnings.add(e.getLevel() + " " + e.getLoggerName() + " " + text);
        }
    }

    /** The lines logged at WARN or ERROR since this capture was attached. */
    public synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** As {@link #lines()}, each after its level: {@code INFO dev.kiebot… text}. */
    public synchronized List<String> linesWithLevels() {
        return List.copyOf(levelled);
    }

    /** As {@link #lines()}, each after its correlation id: {@code cid=upd_5001 dev.kiebot… text} ({@code cid= } for none). */
    public synchronized List<String> linesWithCids() {
        return List.copyOf(withCids);
    }

    public void detach() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(this);
        stop();
    }
}
