package dev.kiebot.core.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A job before the store assigned its id; see {@link Job} for the fields. */
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

    public JobDraft {
        values = Map.copyOf(values);
        files = Map.copyOf(files);
    }

    public Job toJob(JobId id) {
        return new Job(id, userId, chatId, language, modelId, skuId, values, files, price, free, JobState.CREATED,
                java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.empty(), createdAt, deadline, createdAt, java.util.Optional.empty(), java.util.Optional.empty(), 0, 0, 0);
    }
}
