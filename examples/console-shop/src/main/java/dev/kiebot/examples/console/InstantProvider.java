package dev.kiebot.examples.console;

import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.SubmitRequest;
import dev.kiebot.core.jobs.TaskStatus;
import java.util.List;
import java.util.UUID;

/**
 * A {@link GenerationProvider} whose tasks are done at once. Your adapter calls the real AI service: submit
 * creates a task (never retried once the request may have reached the service), status reads it. If your
 * {@code status} retries a failed read inside, also override {@code statusOnce} with a single attempt: the job worker
 * reads through it, and its next scheduled read is the retry (a read held up by retries holds up every other job).
 */
public final class InstantProvider implements GenerationProvider {
    @Override
    public String submit(SubmitRequest request) {
        // task ids are unique in the jobs table, also across restarts: a counter from 1 would repeat after one
        return "task-" + UUID.randomUUID();
    }

    @Override
    public TaskStatus status(Model model, String taskId) {
        return new TaskStatus.Succeeded(new JobResult(
                List.of("https://example.invalid/" + taskId + ".png"), MediaKind.PHOTO));
    }

    @Override
    public String upload(byte[] content, String fileName, String mimeType) {
        return "https://example.invalid/uploads/" + fileName;
    }

    // no credits(): this provider has no balance to read, so the dashboard says none is known
}
