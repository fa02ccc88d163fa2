package dev.kiebot.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The measured figures of one target, in the order they were taken. Names carry their unit
 * ({@code _s}, {@code _ms}, {@code _mb}, {@code _pct_core}, {@code _per_s}); values are numbers or text.
 */
final class Figures {
    private final Map<String, Object> values = new LinkedHashMap<>();

    Figures put(String name, Object value) {
        values.put(name, value);
        return this;
    }

    /** Kilobytes as megabytes (MiB, like {@code ps} and {@code top}). */
    Figures putMb(String name, long kb) {
        return put(name, kb < 0 ? Double.NaN : kb / 1024.0);
    }

    Map<String, Object> asMap() {
        return Collections.unmodifiableMap(values);
    }
}
