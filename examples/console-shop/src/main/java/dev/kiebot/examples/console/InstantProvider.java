package dev.kiebot.examples.console;

import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.SubmitRequest;
import dev.kiebot.core.jobs.TaskStatus;
import java.math.BigDecimal;

/**
 * A {@link GenerationProvider} whose tasks are done at once. Your adapter calls the real AI service: submit
 * creates a task (never retried once the request may have reached the service), status reads it.
 */
public final class InstantProvider implements GenerationProvider {
    private int tasks;

    @Override
    public synchronized String submit(SubmitRequest request) {
        return "task-" + (++tasks);
    }

    @Override
    public TaskStatus status(Model model, String taskId) {
        return new TaskStatus.Succeeded(new JobResult(
                java.util.List.of("https://example.invalid/" + taskId + ".png"), MediaKind.PHOTO));
    }

    @Override
    public String upload(byte[] content, String fileName, String mimeType) {
        return "https://example.invalid/uploads/" + fileName;
    }

    @Override
    public BigDecimal credits() {
        return BigDecimal.ZERO;
    }
}
