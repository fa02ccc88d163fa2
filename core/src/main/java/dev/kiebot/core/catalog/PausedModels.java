package dev.kiebot.core.catalog;

import java.time.Instant;
import java.util.Map;

/**
 * Models an admin took off sale for a while ({@code /pause}), kept across restarts and shared by every instance
 * (port). A paused model stays in the catalog and its card tells users it is paused; no order of it is taken, so
 * nothing is held for a model the provider is failing. The shop reads {@link #all()} on a model's card and at an
 * order: a handful of rows.
 *
 * <p>{@link #all()} may answer a set kept in memory, as the PostgreSQL adapter's does when its wiring can hear of
 * changes ({@code PgPausedModels}): this instance's own {@link #pause} and {@link #resume} must count in its next
 * {@link #all()} (within their transaction too), and another instance's within a bounded delay (there: a notification,
 * 60 s at the worst when one is lost). A store that cannot hear of other instances' changes reads them at every call.
 * What a delay costs: an order of a model paused a moment before on another instance is taken as one taken before the
 * pause (its price held, the job submitted, refunded if the provider fails it); a pause stops new orders, not jobs
 * already taken.
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
     * Whether the model is paused now. A default because it is sound: read from {@link #all}, as a store would.
     *
     * @param modelId the model's id
     * @return true while paused
     */
    default boolean paused(String modelId) {
        return all().containsKey(modelId);
    }
}
