package dev.kiebot.runtime.config;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads environment variables and collects every problem instead of stopping at the first, so
 * an operator fixes the configuration in one go. Values of secret variables are never quoted.
 */
final class Env {
    private final Map<String, String> env;
    final List<String> problems = new ArrayList<>();

    Env(Map<String, String> env) {
        this.env = env;
    }

    Optional<String> optional(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    String string(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    Optional<String> secret(String name) {
        return optional(name);
    }

    boolean flag(String name) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return false;
        }
        switch (v.get().toLowerCase(java.util.Locale.ROOT)) {
            case "1", "true", "yes", "on" -> {
                return true;
            }
            case "0", "false", "no", "off" -> {
                return false;
            }
            default -> {
                problems.add(name + " must be 1/0 or true/false, got '" + v.get() + "'");
                return false;
            }
        }
    }

    <T> T parsed(String name, T fallback, Function<String, T> parse, String expected) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return parse.apply(v.get());
        } catch (RuntimeException e) {
            problems.add(name + " must be " + expected + ", got '" + v.get() + "'");
            return fallback;
        }
    }

    int integer(String name, int fallback, int min, int max) {
        int v = parsed(name, fallback, Integer::parseInt, "an integer");
        if (v < min || v > max) {
            problems.add(name + " must be between " + min + " and " + max + ", got " + v);
            return fallback;
        }
        return v;
    }

    BigDecimal positiveDecimal(String name, String fallback) {
        BigDecimal v = parsed(name, new BigDecimal(fallback), BigDecimal::new, "a decimal number like " + fallback);
        if (v.signum() <= 0) {
            problems.add(name + " must be greater than 0, got " + v.toPlainString());
            return new BigDecimal(fallback);
        }
        return v;
    }

    Optional<URI> url(String name) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI u = URI.create(v.get());
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                    || u.getHost() == null) {
                throw new IllegalArgumentException("not http(s)");
            }
            return Optional.of(u);
        } catch (IllegalArgumentException e) {
            problems.add(name + " must be an http(s) URL like https://example.com, got '" + v.get() + "'");
            return Optional.empty();
        }
    }

    List<String> csv(String name) {
        return optional(name).map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .toList()).orElse(List.of());
    }
}
