package dev.kiebot.bench;

import java.nio.file.Path;

/**
 * One runner jar to measure.
 *
 * @param label names the jar in the summary (e.g. {@code before}, {@code after})
 */
record Target(Runner runner, String label, Path jar) {

    /** {@code [LABEL=]PATH}; without a label the path is the label. */
    static Target parse(Runner runner, String text) {
        int eq = text.indexOf('=');
        if (eq > 0 && text.substring(0, eq).matches("[A-Za-z0-9_.-]{1,40}")) {
            return new Target(runner, text.substring(0, eq), Path.of(text.substring(eq + 1)));
        }
        return new Target(runner, text, Path.of(text));
    }

    /** A file-name-safe name for this target's work directory. */
    String directoryName(int index) {
        return index + "-" + runner.key() + "-" + label.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}
