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
 * {@code java.util.logging} in these tests (no other backend on their class path).
 */
final class LoggedLines {
    private LoggedLines() {
    }

    /**
     * The lines {@code source}'s logger writes at {@code least} or above while {@code run} runs.
     *
     * @return each line's level, a space and its words, its values filled in
     */
    static List<String> of(Class<?> source, Level least, Runnable run) {
        List<String> lines = new CopyOnWriteArrayList<>();
        SimpleFormatter words = new SimpleFormatter();
        Logger log = Logger.getLogger(source.getName());
        Handler handler = new Handler() {
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
        try {
            run.run();
        } finally {
            log.removeHandler(handler);
        }
        return lines;
    }
}
