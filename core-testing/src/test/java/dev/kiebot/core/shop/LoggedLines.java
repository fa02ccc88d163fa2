package dev.kiebot.core.shop;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * What a class of core logs while a step of a test runs: core logs through {@link System.Logger}, which writes to
 * {@code java.util.logging} in these tests (no other backend on their class path). Each line is its level, a space and
 * its words, its values filled in.
 */
public final class LoggedLines implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger log;
    private final Handler handler;

    private LoggedLines(Class<?> source, Level least) {
        SimpleFormatter words = new SimpleFormatter();
        log = Logger.getLogger(source.getName());
        handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= least.intValue()) {
                    lines.add(r.getLevel() + " " + words.formatMessage(r));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(handler);
    }

    /**
     * The lines {@code source}'s logger writes at {@code least} or above from now until closed: for a test that looks
     * at them between its steps.
     */
    public static LoggedLines recording(Class<?> source, Level least) {
        return new LoggedLines(source, least);
    }

    /** The lines {@code source}'s logger writes at {@code least} or above while {@code run} runs. */
    public static List<String> of(Class<?> source, Level least, Runnable run) {
        try (LoggedLines recorded = recording(source, least)) {
            run.run();
            return recorded.lines();
        }
    }

    /** The lines written so far (and, while recording, those written later: a live view). */
    public List<String> lines() {
        return lines;
    }

    @Override
    public void close() {
        log.removeHandler(handler);
    }
}
