package dev.kiebot.core.testing.memory;

import dev.kiebot.core.catalog.PausedModels;
import dev.kiebot.core.shop.KeptInMemory;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Paused models in a map: for tests only, forgotten at a restart. */
public final class InMemoryPausedModels implements PausedModels, KeptInMemory {
    private final Map<String, Instant> paused = new LinkedHashMap<>();

    /** No model paused. */
    public InMemoryPausedModels() {
    }

    @Override
    public synchronized Map<String, Instant> all() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(paused));
    }

    @Override
    public synchronized boolean pause(String modelId, Instant at) {
        return paused.putIfAbsent(modelId, at) == null;
    }

    @Override
    public synchronized boolean resume(String modelId) {
        return paused.remove(modelId) != null;
    }
}
