package dev.kiebot.bench;

import java.util.Locale;

/** The optional parts of a runner's measurement; the fresh start and its ready time always run. */
enum Phase {
    IDLE, BURST, RESTART, LOAD;

    static Phase parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--skip takes idle, burst, restart, load; got '" + text + "'");
        }
    }
}
