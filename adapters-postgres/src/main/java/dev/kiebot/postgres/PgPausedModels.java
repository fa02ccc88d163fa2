package dev.kiebot.postgres;

import dev.kiebot.core.catalog.PausedModels;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;

/** Paused models in PostgreSQL: a row per model, so that racing pauses or resumes of one model decide once. */
public final class PgPausedModels implements PausedModels {
    private final Jdbi jdbi;

    public PgPausedModels(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    @Override
    public Map<String, Instant> all() {
        Map<String, Instant> paused = new LinkedHashMap<>();
        jdbi.withHandle(h -> h.createQuery("SELECT model_id, paused_at FROM paused_models ORDER BY paused_at, model_id")
                .map((rs, ctx) -> Map.entry(rs.getString("model_id"), Sql.instant(rs, "paused_at")))
                .list()).forEach(e -> paused.put(e.getKey(), e.getValue()));
        return paused;
    }

    @Override
    public boolean pause(String modelId, Instant at) {
        return jdbi.withHandle(h -> h.createUpdate("INSERT INTO paused_models (model_id, paused_at) VALUES (:id, :at) "
                        + "ON CONFLICT (model_id) DO NOTHING")
                .bind("id", modelId)
                .bind("at", Sql.ts(at))
                .execute()) == 1;
    }

    @Override
    public boolean resume(String modelId) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM paused_models WHERE model_id = :id")
                .bind("id", modelId)
                .execute()) == 1;
    }
}
