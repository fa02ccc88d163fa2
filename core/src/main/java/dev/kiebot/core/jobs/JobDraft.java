package dev.kiebot.core.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A job before the store assigned its id; see {@link Job} for the fields.
 *
 * @param userId    who ordered it
 * @param chatId    where its messages go
 * @param language  the language it was ordered in
 * @param modelId   the catalog's id of the model
 * @param skuId     the priced variant
 * @param values    text and choice inputs by field name
 * @param files     media inputs by field name: the platform's file ids
 * @param price     minor units held; 0 for a free job
 * @param free      whether the free allowance pays
 * @param createdAt when it was ordered
 * @param deadline  past it the job fails and is refunded
 */
public record JobDraft(
        long userId,
        long chatId,
        String language,
        String modelId,
        String skuId,
        Map<String, String> values,
        Map<String, List<String>> files,
        long price,
        boolean free,
        Instant createdAt,
        Instant deadline) {

    /**
     * Copies the maps.
     *
     * @param userId    who ordered it
     * @param chatId    where its messages go
     * @param language  the language it was ordered in
     * @param modelId   the model
     * @param skuId     the priced variant
     * @param values    copied
     * @param files     copied
     * @param price     minor units
     * @param free      whether the free allowance pays
     * @param createdAt when it was ordered
     * @param deadline  when it fails
     */
    public JobDraft {
        values = Map.copyOf(values);
        files = Map.copyOf(files);
    }

    /**
     * The job as a store keeps it at {@link Jobs#create}.
     *
     * @param id the new id the store gave it
     * @return the job CREATED, version 0, first looked at at its creation
     */
    public Job toJob(JobId id) {
        return new Job(id, userId, chatId, language, modelId, skuId, values, files, price, free, JobState.CREATED,
                java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty(), createdAt, deadline, createdAt, java.util.Optional.empty(), java.util.Optional.empty(), 0, 0, 0);
    }
}
