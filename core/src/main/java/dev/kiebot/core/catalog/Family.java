package dev.kiebot.core.catalog;

/**
 * Which Kie API family serves a model: the Market jobs API or a dedicated endpoint set. Read only by
 * {@code adapters-kie}; a model of another AI service is {@link #JOBS}.
 */
public enum Family {
    /** {@code /api/v1/jobs/createTask} + {@code recordInfo}. */
    JOBS,
    /** {@code /api/v1/veo/generate} + {@code veo/record-info}. */
    VEO,
    /** {@code /api/v1/generate} + {@code generate/record-info}. */
    SUNO
}
