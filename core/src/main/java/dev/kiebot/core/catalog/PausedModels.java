package dev.kiebot.core.catalog;

import java.time.Instant;
import java.util.Map;

/**
 * Models an admin took off sale for a while ({@code /pause}), kept across restarts and shared by every instance
 * (port). A paused model stays in the catalog and its card tells users it is paused; no order of it is taken, so
 * nothing is held for a model the provider is failing. The shop reads {@link #all()} on a model's card and at an
 * order: a handful of rows.
 */
public interface PausedModels {
    /**
     * Every paused model's id and since when, the oldest pause first.
     *
     * @return model id to the time of its pause
     */
    Map<String, Instant> all();

    /**
     * Takes the model off sale; one paused already stays paused since its first pause.
     *
     * @param modelId the model's id
     * @param at      the shop's clock's instant
     * @return whether this call paused it
     */
    boolean pause(String modelId, Instant at);

    /**
     * Puts the model back on sale.
     *
     * @param modelId the model's id
     * @return whether this call put a paused model back on sale
     */
    boolean resume(String modelId);

    /**
     * Whether the model is paused now.
     *
     * @param modelId the model's id
     * @return true while paused
     */
    default boolean paused(String modelId) {
        return all().containsKey(modelId);
    }
}
