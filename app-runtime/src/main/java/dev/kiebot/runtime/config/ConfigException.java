package dev.kiebot.runtime.config;

import java.util.List;
import java.util.stream.Collectors;

/** Start-up configuration is wrong; the message lists every problem with its variable. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> problems;

    public ConfigException(List<String> problems) {
        super("Configuration has " + problems.size() + " problem(s); fix the environment and restart:\n"
                + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
